import { spawnSync } from 'node:child_process'
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { FileKeyStore } from '../../db/keystore-file'
import type { StaffSummary } from '../../db/services/setup'
import type { ChannelName } from '../../electron/ipc/channels'
import type { InputOf, ResultOf } from '../../electron/ipc/contract'
import { PorchlightCore, type Session } from '../../electron/ipc/core'
import { dispatch } from '../../electron/ipc/dispatch'
import type { Envelope } from '../../electron/ipc/envelope'
import type { Platform } from '../../electron/ipc/platform'
import { fileNamePart, fileProblem, paperSizeFor, writeDurably, type PdfPageOptions, type PrintingPage } from '../../electron/ipc/printing'
import { webContentsPage } from '../../electron/main/printing'
import { electronPlatform } from '../../electron/main/platform'
import { clock } from './front-desk-helpers'
import { expectError, useTempDirs } from './helpers'

vi.mock('electron', () => ({}))

/**
 * Saving a printable page as a PDF through the real door, on a real encrypted database: only the
 * two things Electron owns are stand-ins here (the window's page, which prints, and the OS save
 * dialog), each with the same interface main's real ones have. What is checked is everything
 * around them: who may, what the dialog proposes, what a cancel leaves, that the file is whole
 * and alone on disk, the audit row, and what a full or read-only disk says.
 */
const tempDir = useTempDirs()
const PDF = new TextEncoder().encode('%PDF-1.7\n% a sign-in sheet\n%%EOF\n')

let dir: string
let core: PorchlightCore
let admin: StaffSummary
let facilitator: StaffSummary
let otherFacilitator: StaffSummary
let sessionId: number
/** What the save dialog answers next, and what it was asked. */
let saveAs: string | null
let proposed: string[]
let printed: PdfPageOptions[]
const time = clock()

const page: PrintingPage = {
  printToPdf: async (options) => {
    printed.push(options)
    return PDF
  },
}

const platform: Platform = {
  chooseFolder: async () => null,
  openFolder: async () => {},
  chooseSpreadsheet: async () => null,
  chooseSaveFile: async (fileName) => {
    proposed.push(fileName)
    return saveAs
  },
}

function send<C extends ChannelName>(who: StaffSummary, channel: C, input: InputOf<C>, withPage = true): Promise<Envelope<ResultOf<C>>> {
  const session: Session = { staff: who }
  return dispatch(channel, input, withPage ? { core, session, page } : { core, session }) as Promise<Envelope<ResultOf<C>>>
}

async function ok<C extends ChannelName>(who: StaffSummary, channel: C, input: InputOf<C>): Promise<ResultOf<C>> {
  const result = await send(who, channel, input)
  if (!result.ok) throw new Error(`${channel}: ${result.error.code} ${result.error.message}`)
  return result.value
}

async function auditRows(action: string) {
  return core.database!.db.selectFrom('audit_log').select(['staff_id', 'target_type', 'target_id', 'detail']).where('action', '=', action).execute()
}

async function startCenter(timeZone: string) {
  dir = tempDir()
  time.set('2026-11-25T15:00:00.000Z')
  saveAs = null
  proposed = []
  printed = []
  core = new PorchlightCore({ dbFile: join(dir, 'porchlight.db'), keyStore: new FileKeyStore(join(dir, 'porchlight.key')), now: time.now, timeZone, platform })
  await core.start()
  const created = await dispatch('setup.create', { centerName: 'Harbor House', adminName: 'Robin Admin', username: 'robin', password: 'a long enough password' }, { core, session: { staff: null } })
  if (!created.ok) throw new Error(created.error.message)
  admin = (created.value as { staff: StaffSummary }).staff
  const made = async (username: string) => {
    const staff = await ok(admin, 'staff.create', { username, displayName: username, role: 'facilitator', password: 'a long enough password' })
    return { id: staff.id, username, displayName: username, role: 'facilitator' as const }
  }
  facilitator = await made('fac')
  otherFacilitator = await made('other')
  const group = await ok(admin, 'groups.save', {
    name: 'SMART Recovery: Tuesdays & Thursdays',
    kind: 'closed',
    capacity: 12,
    durationMinutes: 90,
    facilitatorIds: [facilitator.id],
    schedule: { pattern: { startDate: '2026-11-01', startTime: '10:30', frequency: 'weekly', interval: 1, weekdays: ['WE'] } },
  })
  for (const firstName of ['Ana', 'Ben']) {
    const person = await ok(admin, 'participants.create', { firstName, lastName: 'Lima' })
    await ok(admin, 'groups.enroll', { groupId: group.id, participantId: person.id })
  }
  sessionId = (await ok(admin, 'sessions.week', { from: '2026-11-25' }))[0]!.id
}

describe('a sign-in sheet saved as a PDF (New York: Letter paper)', () => {
  beforeEach(() => startCenter('America/New_York'))
  afterEach(() => core.close())

  it('proposes a file name from the group and the day, prints the page on Letter, writes it whole and audits it', async () => {
    const file = join(dir, 'Documents', 'sheet.pdf')
    mkdirSync(join(dir, 'Documents'))
    saveAs = file
    expect(await ok(facilitator, 'pdf.signInSheet', { sessionId })).toEqual({ file })
    expect(proposed).toEqual(['sign-in-sheet-smart-recovery-tuesdays-thursdays-2026-11-25.pdf'])
    expect(printed).toEqual([{ pageSize: 'Letter', landscape: false, margins: { top: 0.4, bottom: 0.4, left: 0.4, right: 0.4 }, printBackground: true, preferCSSPageSize: true }])
    expect(readFileSync(file)).toEqual(Buffer.from(PDF))
    // Nothing else beside it: the temporary file became the PDF.
    expect(readdirSync(join(dir, 'Documents'))).toEqual(['sheet.pdf'])
    const rows = await auditRows('session.sheet_pdf')
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({ staff_id: facilitator.id, target_type: 'session', target_id: sessionId })
    expect(JSON.parse(rows[0]!.detail!)).toEqual({ people: 2, format: 'pdf', file })
  })

  it('a cancelled save dialog prints nothing, writes nothing and audits nothing', async () => {
    saveAs = null
    expect(await ok(admin, 'pdf.signInSheet', { sessionId })).toEqual({ file: null })
    expect(printed).toEqual([])
    expect(await auditRows('session.sheet_pdf')).toEqual([])
  })

  it('replaces a file the person chose to overwrite, whole', async () => {
    const file = join(dir, 'old.pdf')
    writeFileSync(file, 'an older sheet, longer than the new one '.repeat(10))
    saveAs = file
    await ok(admin, 'pdf.signInSheet', { sessionId })
    expect(readFileSync(file)).toEqual(Buffer.from(PDF))
  })

  it('a facilitator cannot save the sheet of another facilitator’s group, and nothing is asked or written', async () => {
    saveAs = join(dir, 'theirs.pdf')
    expectError(await send(otherFacilitator, 'pdf.signInSheet', { sessionId }), 'FORBIDDEN')
    expect(proposed).toEqual([])
    expect(existsSync(saveAs)).toBe(false)
    expect(await auditRows('session.sheet_pdf')).toEqual([])
  })

  it('without a window to print (the admin command line) it says to use Print instead, and writes nothing', async () => {
    saveAs = join(dir, 'none.pdf')
    const error = expectError(await send(admin, 'pdf.signInSheet', { sessionId }, false), 'CONFLICT')
    expect(error.message).toMatch(/Use Print instead/)
    expect(existsSync(saveAs)).toBe(false)
  })

  it('a folder that cannot be written says so and what to do, and leaves no file and no audit row', async () => {
    const folder = join(dir, 'locked')
    mkdirSync(folder)
    // Root writes anywhere: a read-only mount is what refuses it there.
    const readOnly = process.getuid?.() === 0 && spawnSync('mount', ['-t', 'tmpfs', '-o', 'ro,size=1m', 'porchlight-ro', folder]).status === 0
    if (!readOnly) chmodSync(folder, 0o500)
    try {
      saveAs = join(folder, 'sheet.pdf')
      const error = expectError(await send(admin, 'pdf.signInSheet', { sessionId }), 'CONFLICT')
      expect(error.message).toBe(`The PDF was not saved: Porchlight may not write in ${folder}. Choose another folder, such as Documents, and save again.`)
      expect(readdirSync(folder)).toEqual([])
      expect(await auditRows('session.sheet_pdf')).toEqual([])
    } finally {
      if (readOnly) spawnSync('umount', ['-l', folder])
      else chmodSync(folder, 0o700)
    }
  })

  it('a full disk says so and what to do, and leaves no half-written file behind', async () => {
    const folder = join(dir, 'usb')
    mkdirSync(folder)
    // A real full disk needs a mount (root on Linux); elsewhere the same errno is checked on its words.
    const mounted = process.getuid?.() === 0 && spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=4k', 'porchlight-full', folder]).status === 0
    if (!mounted) {
      expect(fileProblem(Object.assign(new Error('no space'), { code: 'ENOSPC' }), join(folder, 'a.pdf')).message).toMatch(/is full/)
      return
    }
    try {
      const big = new Uint8Array(64 * 1024).fill(37)
      const error = await writeDurably(join(folder, 'sheet.pdf'), big).then(
        () => null,
        (thrown: unknown) => thrown as Error,
      )
      expect(error?.message).toBe(`The PDF was not saved: the disk holding ${folder} is full. Free some space or choose another folder (a USB drive), then save again.`)
      expect(readdirSync(folder)).toEqual([])
    } finally {
      spawnSync('umount', ['-l', folder])
    }
  })

  it('a folder that went away (a drive unplugged) says so', async () => {
    saveAs = join(dir, 'gone', 'sheet.pdf')
    const error = expectError(await send(admin, 'pdf.signInSheet', { sessionId }), 'CONFLICT')
    expect(error.message).toMatch(/is no longer there/)
  })
})

describe('the funder report saved as a PDF (Madrid: A4 paper)', () => {
  beforeEach(() => startCenter('Europe/Madrid'))
  afterEach(() => core.close())

  it('names the file by the counted range, prints on A4, and audits it as an export', async () => {
    saveAs = join(dir, 'report.pdf')
    await ok(admin, 'pdf.funderReport', { range: { from: '2026-07-01', to: '2026-09-30' } })
    expect(proposed).toEqual(['porchlight-report-2026-07-01-to-2026-09-30.pdf'])
    expect(printed[0]?.pageSize).toBe('A4')
    const rows = await auditRows('report.export')
    // A PDF leaves the building as a CSV does: small counts hidden by default, at the center's threshold.
    expect(rows.map((row) => JSON.parse(row.detail!))).toEqual([{ from: '2026-07-01', to: '2026-09-30', suppressed: 10, format: 'pdf', file: saveAs }])
  })

  it('hides small counts as the files do: the center’s threshold, or every count when the person cleared the box', async () => {
    await ok(admin, 'reports.saveSettings', { suppressionThreshold: 5, suppressOnScreen: false })
    saveAs = join(dir, 'hidden.pdf')
    await ok(admin, 'pdf.funderReport', { range: { from: '2026-07-01', to: '2026-09-30' }, suppress: true })
    saveAs = join(dir, 'shown.pdf')
    await ok(admin, 'pdf.funderReport', { range: { from: '2026-07-01', to: '2026-09-30' }, suppress: false })
    await ok(admin, 'reports.export', { range: { from: '2026-07-01', to: '2026-09-30' }, format: 'csv', suppress: true })
    const rows = await auditRows('report.export')
    expect(rows.map((row) => (JSON.parse(row.detail!) as { format: string; suppressed: number | null }))).toMatchObject([
      { format: 'pdf', suppressed: 5 },
      { format: 'pdf', suppressed: null },
      { format: 'csv', suppressed: 5 },
    ])
  })

  it('a range that ends before it starts is refused before any dialog opens', async () => {
    saveAs = join(dir, 'report.pdf')
    const error = expectError(await send(admin, 'pdf.funderReport', { range: { from: '2026-09-30', to: '2026-07-01' } }), 'VALIDATION')
    expect(Object.keys(error.fields ?? {})).toEqual(['to'])
    expect(proposed).toEqual([])
  })

  it('a facilitator gets FORBIDDEN', async () => {
    expectError(await send(facilitator, 'pdf.funderReport', { range: { preset: 'last_quarter' } }), 'FORBIDDEN')
  })
})

describe('the pieces around the PDF', () => {
  it('paper follows the center’s zone: Letter in the Americas and Manila, A4 elsewhere', () => {
    expect(['America/New_York', 'America/Los_Angeles', 'America/Mexico_City', 'Pacific/Honolulu', 'Asia/Manila'].map(paperSizeFor)).toEqual(['Letter', 'Letter', 'Letter', 'Letter', 'Letter'])
    expect(['Europe/Madrid', 'Europe/London', 'Africa/Lagos', 'Australia/Sydney', 'UTC'].map(paperSizeFor)).toEqual(['A4', 'A4', 'A4', 'A4', 'A4'])
  })

  it('file names keep letters and digits, drop accents and punctuation, and are never empty', () => {
    expect(fileNamePart('Grupo de Mujeres: Sanación')).toBe('grupo-de-mujeres-sanacion')
    expect(fileNamePart('../../etc/passwd')).toBe('etc-passwd')
    expect(fileNamePart('★★★')).toBe('group')
    expect(fileNamePart('x'.repeat(200))).toHaveLength(60)
  })

  it('Electron’s webContents gets exactly main’s options, without a header or footer', async () => {
    const printToPDF = vi.fn().mockResolvedValue(Buffer.from(PDF))
    const options: PdfPageOptions = { pageSize: 'A4', landscape: false, margins: { top: 0.4, bottom: 0.4, left: 0.4, right: 0.4 }, printBackground: true, preferCSSPageSize: true }
    const bytes = await webContentsPage({ printToPDF }).printToPdf(options)
    expect(Buffer.from(bytes)).toEqual(Buffer.from(PDF))
    expect(printToPDF).toHaveBeenCalledWith({ ...options, displayHeaderFooter: false })
  })

  it('Electron’s save dialog starts in Documents with the proposed name, adds .pdf when typed without it, and a cancel is null', async () => {
    const window = { id: 1 } as never
    const showSaveDialog = vi
      .fn()
      .mockResolvedValueOnce({ canceled: false, filePath: '/home/dana/Documents/sheet' })
      .mockResolvedValueOnce({ canceled: false, filePath: '/media/usb/Sheet.PDF' })
      .mockResolvedValueOnce({ canceled: true, filePath: '' })
    const electron = electronPlatform({ showOpenDialog: vi.fn(), showSaveDialog }, () => window, { openPath: async () => '' }, () => '/home/dana/Documents')
    expect(await electron.chooseSaveFile('sign-in-sheet-wrap-2026-11-25.pdf')).toBe('/home/dana/Documents/sheet.pdf')
    expect(showSaveDialog).toHaveBeenCalledWith(window, {
      defaultPath: join('/home/dana/Documents', 'sign-in-sheet-wrap-2026-11-25.pdf'),
      filters: [{ name: 'PDF', extensions: ['pdf'] }],
      properties: ['createDirectory', 'showOverwriteConfirmation'],
    })
    expect(await electron.chooseSaveFile('a.pdf')).toBe('/media/usb/Sheet.PDF')
    expect(await electron.chooseSaveFile('a.pdf')).toBeNull()
  })
})
