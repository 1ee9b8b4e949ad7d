import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { configure, TextWriter, Uint8ArrayReader, Uint8ArrayWriter, ZipReader, type Entry, type FileEntry } from '@zip.js/zip.js'
import Papa from 'papaparse'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { FileKeyStore } from '../../db/keystore-file'
import { generateKey, type DbKey } from '../../db/keys'
import { createDatabase, openDatabase, type OpenDatabase } from '../../db/open'
import { seedDatabase } from '../../db/seed'
import type { ServiceContext } from '../../db/services/context'
import { NOT_EXPORTED } from '../../db/services/export/dictionary'
import { exportEverything } from '../../db/services/export/run'
import { exportTables, undescribed } from '../../db/services/export/write'
import { completeSetup } from '../../db/services/setup'
import { TEST_START, runningClock } from '../clock'
import { admin } from './admin-helpers'
import { useTempDirs } from './helpers'

configure({ useWebWorkers: false })

const tempDir = useTempDirs()
let dir: string
let key: DbKey
let opened: OpenDatabase
let ctx: ServiceContext

beforeEach(async () => {
  dir = tempDir()
  key = generateKey()
  opened = await createDatabase(join(dir, 'porchlight.db'), key)
  const now = runningClock()
  const staff = await completeSetup({ db: opened.db, staffId: null, now }, { centerName: 'Harbor House', adminName: 'Robin Admin', username: 'robin', password: 'a long enough password' })
  ctx = { db: opened.db, staffId: staff.id, now, timeZone: 'UTC' }
  await seedDatabase(opened, { participants: 40, days: 20, seed: 3, until: new Date(TEST_START) })
})

afterEach(async () => {
  await opened.close()
})

function isFile(entry: Entry): entry is FileEntry {
  return !entry.directory
}

/** The zip's files by name, read with the password (when given). */
async function unzip(file: string, password?: string): Promise<Map<string, Uint8Array>> {
  const reader = new ZipReader(new Uint8ArrayReader(readFileSync(file)))
  const files = new Map<string, Uint8Array>()
  for (const entry of (await reader.getEntries()).filter(isFile)) files.set(entry.filename, await entry.getData(new Uint8ArrayWriter(), password ? { password } : {}))
  await reader.close()
  return files
}

function csv(bytes: Uint8Array | undefined): string[][] {
  expect(bytes).toBeDefined()
  return Papa.parse<string[]>(new TextDecoder().decode(bytes), { skipEmptyLines: true }).data
}

describe('a full export', () => {
  it('writes every table as CSV, described column by column, in a zip only its one-time password opens', async () => {
    const folder = tempDir()
    const steps: Array<[number, number]> = []
    const result = await exportEverything(opened, key, ctx, { folder, encrypted: true }, (done, total) => steps.push([done, total]))
    expect(result.password).toMatch(/^([a-z2-9]{4}-){5}[a-z2-9]{4}$/)
    expect(readdirSync(folder)).toEqual([result.file.slice(folder.length + 1)])

    // Without the password nothing inside can be read.
    const reader = new ZipReader(new Uint8ArrayReader(readFileSync(result.file)))
    const entries = (await reader.getEntries()).filter(isFile)
    expect(entries.every((entry) => entry.encrypted)).toBe(true)
    await expect(entries[0]!.getData(new TextWriter())).rejects.toThrow()
    await expect(entries[0]!.getData(new TextWriter(), { password: 'wrong-password' })).rejects.toThrow()

    const files = await unzip(result.file, result.password!)
    for (const table of ['participants', 'visits', 'visit_services', 'services', 'groups', 'group_sessions', 'attendance', 'referrals', 'consents', 'assessments', 'agencies', 'coaching_contacts', 'workforce_credentials', 'workforce_training', 'workforce_supervision', 'restrictions', 'care_flags', 'staff', 'audit_log', 'settings']) {
      expect(files.has(`${table}.csv`), table).toBe(true)
    }
    for (const left of Object.keys(NOT_EXPORTED)) expect(files.has(`${left}.csv`)).toBe(false)
    expect([...files.keys()].some((name) => name.startsWith('participant_search'))).toBe(false)

    // Every row of every table, as the database holds them.
    const counts = opened.sqlite.prepare(`SELECT (SELECT count(*) FROM participants) AS p, (SELECT count(*) FROM visits) AS v, (SELECT count(*) FROM attendance) AS a`).get() as { p: number; v: number; a: number }
    expect(counts.v).toBeGreaterThan(100)
    expect(csv(files.get('participants.csv')).length - 1).toBe(counts.p)
    expect(csv(files.get('visits.csv')).length - 1).toBe(counts.v)
    expect(csv(files.get('attendance.csv')).length - 1).toBe(counts.a)
    const total = result.files.reduce((sum, file) => sum + file.rows, 0)
    expect(steps.at(-1)).toEqual([total, total])

    // The staff file has no password hashes, under any column.
    const staff = csv(files.get('staff.csv'))
    expect(staff[0]).not.toContain('password_hash')
    expect(staff[0]).toContain('username')
    const hash = opened.sqlite.prepare('SELECT password_hash FROM staff LIMIT 1').pluck().get() as string
    for (const [name, bytes] of files) expect(new TextDecoder().decode(bytes).includes(hash), name).toBe(false)

    // The dictionary describes every column of every file, and nothing else.
    const dictionary = csv(files.get('data-dictionary.csv'))
    expect(dictionary[0]).toEqual(['file', 'column', 'type', 'may_be_empty', 'meaning'])
    for (const [name, bytes] of files) {
      if (!name.endsWith('.csv') || name === 'data-dictionary.csv') continue
      const described = dictionary.filter((row) => row[0] === name && row[1] !== '').map((row) => row[1])
      expect(csv(bytes)[0], name).toEqual(described)
    }
    expect(dictionary.every((row) => row[4]!.trim() !== '')).toBe(true)

    // Audited, without the password.
    const audit = await opened.db.selectFrom('audit_log').select(['action', 'staff_id', 'detail']).orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow()
    expect(audit).toMatchObject({ action: 'export.create', staff_id: ctx.staffId })
    expect(audit.detail).not.toContain(result.password!)
    expect(JSON.parse(audit.detail!)).toMatchObject({ encrypted: true, rows: total })
  })

  it('neutralizes cells a spreadsheet would run as formulas, and carries documents as files', async () => {
    await opened.db.updateTable('participants').set({ first_name: '=HYPERLINK("http://evil.example","x")', nickname: '@SUM(A1)', last_name: '+cmd' }).where('id', '=', 1).execute()
    const staffId = ctx.staffId!
    const pdf = new TextEncoder().encode('%PDF-1.4 a scanned certificate')
    await opened.db.insertInto('workforce_documents').values({ staff_id: staffId, file_name: 'cert scan.pdf', mime: 'application/pdf', size: pdf.length, sha256: 'x'.repeat(64), content: pdf, created_by: staffId, created_at: TEST_START }).execute()
    const result = await exportEverything(opened, key, ctx, { folder: tempDir(), encrypted: false })
    expect(result.password).toBeNull()
    const files = await unzip(result.file)
    const people = csv(files.get('participants.csv'))
    const header = people[0]!
    const row = people.find((cells) => cells[header.indexOf('id')] === '1')!
    expect(row[header.indexOf('first_name')]).toBe(`'=HYPERLINK("http://evil.example","x")`)
    expect(row[header.indexOf('nickname')]).toBe(`'@SUM(A1)`)
    expect(row[header.indexOf('last_name')]).toBe(`'+cmd`)
    const docs = csv(files.get('workforce_documents.csv'))
    expect(docs[0]).not.toContain('content')
    const path = docs[1]![docs[0]!.indexOf('file_in_zip')]!
    expect(path).toMatch(/^documents\/\d+-cert_scan\.pdf$/)
    expect(files.get(path)).toEqual(pdf)
  })

  it('never writes over a file and leaves nothing behind when refused', async () => {
    const folder = tempDir()
    const first = await exportEverything(opened, key, ctx, { folder, encrypted: true })
    const before = readFileSync(first.file)
    // The same second on the clock names the same file: refused, the first one untouched.
    const at = new Date(Date.parse(first.file.match(/(\d{8}-\d{6})/)![1]!.replace(/(\d{4})(\d\d)(\d\d)-(\d\d)(\d\d)(\d\d)/, '$1-$2-$3T$4:$5:$6Z')))
    await expect(exportEverything(opened, key, { ...ctx, now: () => at }, { folder, encrypted: true })).rejects.toMatchObject({ key: 'export.exists' })
    expect(readFileSync(first.file)).toEqual(before)
    expect(readdirSync(folder)).toHaveLength(1)
    await expect(exportEverything(opened, key, ctx, { folder: join(folder, 'missing'), encrypted: true })).rejects.toMatchObject({ code: 'BACKUP_FOLDER' })
  })

  it('has a meaning for every column of every table a migration made (or says why a table is left out)', async () => {
    expect(undescribed(await exportTables(opened.db))).toEqual([])
  })
})

describe('npm run admin -- export', () => {
  it('writes the encrypted zip, prints its password once, and refuses a folder that is not there', async () => {
    const keyFile = join(dir, 'key.txt')
    new FileKeyStore(keyFile).save(key)
    await opened.close()
    const to = tempDir()
    const run = await admin(['export', '--db', opened.file, '--key-file', keyFile, '--to', to])
    expect(run.stderr).not.toContain('Unexpected')
    expect(run.code).toBe(0)
    const password = run.stdout.match(/^ {4}([a-z2-9-]{29})$/m)?.[1]
    expect(password).toBeDefined()
    const [zip] = readdirSync(to)
    const files = await unzip(join(to, zip!), password)
    expect(files.has('data-dictionary.csv')).toBe(true)
    const plain = await admin(['export', '--db', opened.file, '--key-file', keyFile, '--to', tempDir(), '--unencrypted'])
    expect(plain.stdout).toContain('NOT encrypted')
    const missing = await admin(['export', '--db', opened.file, '--key-file', keyFile, '--to', join(to, 'nowhere')])
    expect(missing.code).toBe(14)
    opened = await openDatabase(opened.file, key)
  })
})
