import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EXIT } from '../../db/cli/admin'
import { generateKey, keyToHex } from '../../db/keys'
import { createDatabase, type OpenDatabase } from '../../db/open'
import { seedDatabase } from '../../db/seed'
import { createCenter } from '../../db/services/centers'
import type { ServiceContext } from '../../db/services/context'
import { dashboard } from '../../db/services/reports/dashboard'
import { reportCsv, reportLines } from '../../db/services/reports/export'
import { funderReport } from '../../db/services/reports/report'
import { reportWorkbook } from '../../db/services/reports/workbook'
import { completeSetup } from '../../db/services/setup'
import { admin } from './admin-helpers'

/**
 * One seeded center, three ways to ask it for the same range: the dashboard, the funder report
 * (and its CSV) and `admin report`. They must agree figure for figure.
 */
const RANGE = { from: '2026-09-01', to: '2026-10-31' }
let dir: string
let opened: OpenDatabase
let ctx: ServiceContext
let keyFile: string

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'porchlight-'))
  const key = generateKey()
  keyFile = join(dir, 'center.key')
  writeFileSync(keyFile, keyToHex(key), { mode: 0o600 })
  opened = await createDatabase(join(dir, 'center.db'), key)
  const now = () => new Date('2026-11-20T15:00:00.000Z')
  await completeSetup({ db: opened.db, staffId: null, now }, { centerName: 'Harbor, "North" House', adminName: 'Robin Admin', username: 'robin', password: 'a long enough password' })
  await seedDatabase(opened, { participants: 400, days: 120, endDate: new Date('2026-11-19T12:00:00.000Z'), seed: 7 })
  // No time zone: `admin report` counts in this computer's zone, and so must the comparison.
  ctx = { db: opened.db, staffId: null, now }
}, 120_000)

afterAll(async () => {
  await opened.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('admin report = dashboard = CSV', () => {
  it('the seeded range has something in every section', async () => {
    const report = await funderReport(ctx, RANGE)
    expect(report.people.people).toBeGreaterThan(50)
    expect(report.referrals.made).toBeGreaterThan(0)
    expect(report.recoveryCapital.assessed).toBeGreaterThan(0)
    expect(report.naloxoneKits).toBeGreaterThan(0)
  })

  it('the funder report gives the dashboard figures', async () => {
    const [board, report] = [await dashboard(ctx, RANGE), await funderReport(ctx, RANGE)]
    expect(report.people).toEqual(board.summary.current.people)
    expect(report.visits).toEqual(board.summary.current.visits)
    expect(report.services).toEqual(board.services.current)
    expect(report.referrals).toEqual(board.referrals.current)
    expect(report.recoveryCapital).toEqual(board.recoveryCapital.current)
    expect(board.series.current.reduce((sum, point) => sum + point.visits, 0)).toBe(board.summary.current.visits.visits)
  })

  it('admin report prints the CSV the app exports, and its JSON holds the same values', async () => {
    // The app's connection stays open, as it would be while IT runs the command.
    const db = join(dir, 'center.db')
    const csv = await admin(['report', '--db', db, '--key-file', keyFile, '--from', RANGE.from, '--to', RANGE.to, '--suppress', 'off'])
    expect(csv.stderr).toBe('')
    expect(csv.code).toBe(EXIT.OK)
    const json = await admin(['report', '--db', db, '--key-file', keyFile, '--from', RANGE.from, '--to', RANGE.to, '--format', 'json', '--suppress', 'off'])
    expect(json.code).toBe(EXIT.OK)
    const report = await funderReport(ctx, RANGE)
    const board = await dashboard(ctx, RANGE)
    // The command prints line by line; the export joins the same lines with CRLF.
    expect(csv.stdout.split('\n').join('\r\n') + '\r\n').toBe(reportCsv(report, null))
    const lines = (JSON.parse(json.stdout) as { lines: Array<{ table: string; row: string; measure: string; value: number | string }> }).lines
    const expected = reportLines(report)
    expect(lines).toHaveLength(expected.length)
    const value = (table: string, row: string, measure: string) => lines.find((l) => l.table === table && l.row === row && l.measure === measure)?.value
    expect(value('people', 'unduplicated', 'people')).toBe(board.summary.current.people.people)
    expect(value('people', 'new', 'people')).toBe(board.summary.current.people.newPeople)
    expect(value('visits', 'all', 'visits')).toBe(board.summary.current.visits.visits)
    expect(value('referrals', 'all', 'connected')).toBe(board.referrals.current.connected)
    expect(value('recovery_capital', 'barc10', 'n_with_two_or_more')).toBe(board.recoveryCapital.current.n)
    const naloxone = board.services.current.find((s) => s.key === 'naloxone')!
    expect(value('services', 'naloxone', 'items')).toBe(naloxone.quantity)
    expect(value('naloxone', 'kits', 'items')).toBe(naloxone.quantity)
    // The center's name, with its comma and quotes, is one quoted field on every line.
    expect(csv.stdout.split('\n')[1]).toMatch(/^"Harbor, ""North"" House",2026-09-01,2026-10-31,people,unduplicated,people,\d+$/)
  })

  it('suppresses small counts by default and refuses a reversed range with its own exit code', async () => {
    const db = join(dir, 'center.db')
    const suppressed = await admin(['report', '--db', db, '--key-file', keyFile, '--from', RANGE.from, '--to', RANGE.to, '--format', 'json'])
    const lines = (JSON.parse(suppressed.stdout) as { suppressedUpTo: number; lines: Array<{ value: number | string }> })
    expect(lines.suppressedUpTo).toBe(10)
    expect(lines.lines.some((line) => line.value === '<11')).toBe(true)
    expect(lines.lines.every((line) => typeof line.value !== 'number' || line.value === 0 || line.value > 10 || !Number.isInteger(line.value))).toBe(true)
    const reversed = await admin(['report', '--db', db, '--key-file', keyFile, '--from', RANGE.to, '--to', RANGE.from])
    expect(reversed.code).toBe(EXIT.REPORT_RANGE)
    expect(reversed.stderr).toContain('ends before it starts')
    const stray = await admin(['report', '--db', db, '--key-file', keyFile, '--from', RANGE.from, '--to', RANGE.to, '--yes'])
    expect(stray.code).toBe(EXIT.USAGE)
  })
})

describe('the Excel workbook', () => {
  it('holds the CSV lines, one sheet per table, headed by the center and the range', async () => {
    const report = await funderReport(ctx, RANGE)
    const { default: ExcelJS } = await import('exceljs')
    const book = new ExcelJS.Workbook()
    // exceljs types its Buffer against an older @types/node.
    await book.xlsx.load((await reportWorkbook(report, 10, ctx.now())) as unknown as ArrayBuffer)
    const people = book.getWorksheet('people')!
    expect(people.getCell('A1').value).toBe('Harbor, "North" House')
    expect(people.getCell('A2').value).toBe('2026-09-01 to 2026-10-31')
    expect(people.getRow(5).values).toEqual([undefined, 'unduplicated', 'people', report.people.people])
    const sheets = book.worksheets.map((sheet) => sheet.name)
    expect(sheets).toEqual([...new Set(reportLines(report).map((line) => line.table))])
    const cells = book.worksheets.flatMap((sheet) => sheet.getColumn(3).values.slice(5))
    expect(cells).toHaveLength(reportLines(report).length)
    expect(cells.some((cell) => cell === '<11')).toBe(true)
  })
})

// Last in the file: it adds a second center to the database the tests above share.
describe('admin report --center (issue 15)', () => {
  it('names the center by id or all; with several centers and none named, it lists them and counts nothing', async () => {
    const db = join(dir, 'center.db')
    const args = ['report', '--db', db, '--key-file', keyFile, '--from', RANGE.from, '--to', RANGE.to, '--format', 'json', '--suppress', 'off']
    const people = (stdout: string) => (JSON.parse(stdout) as { lines: Array<{ table: string; row: string; measure: string; value: number }> }).lines.find((l) => l.table === 'people' && l.row === 'unduplicated')?.value
    const before = await admin(args)
    expect(before.code).toBe(EXIT.OK)
    await createCenter({ ...ctx, staffId: null }, { name: 'North Side' })
    const unnamed = await admin(args)
    expect(unnamed.code).toBe(EXIT.USAGE)
    expect(unnamed.stderr).toContain('1 (Harbor, "North" House), 2 (North Side)')
    const harbor = await admin([...args, '--center', '1'])
    const north = await admin([...args, '--center', '2'])
    const all = await admin([...args, '--center', 'all'])
    // North Side has no records yet: Harbor House's figures are the organization's.
    expect([people(harbor.stdout), people(north.stdout), people(all.stdout)]).toEqual([people(before.stdout), 0, people(before.stdout)])
    expect((await admin([...args, '--center', '9'])).code).toBe(EXIT.USAGE)
  })
})
