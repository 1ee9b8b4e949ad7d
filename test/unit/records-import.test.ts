import { truncateSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { english } from '../../shared/messages'
import type { RecordMapping } from '../../db/domain/records-import'
import { generateKey } from '../../db/keys'
import { createDatabase } from '../../db/open'
import { setFieldRules } from '../../db/services/field-rules'
import { createParticipant } from '../../db/services/participants'
import { importRecords, previewRecords, type RecordsJob } from '../../db/services/records-import'
import { parseDay, parsePhone, parseTime } from '../../db/services/records-import/values'
import { runRecordsTask } from '../../db/services/records-import/run'
import { checkRollups } from '../../db/services/reports/rollups'
import { serviceError, useDesk, type Desk } from './front-desk-helpers'
import { useTempDirs } from './helpers'
import { TEST_START } from '../clock'

const tempDir = useTempDirs()
const desk = useDesk(tempDir)

const PEOPLE_MAP: RecordMapping = { personId: 'Client ID', firstName: 'First', lastName: 'Last', nickname: 'Nickname', birthDate: 'DOB', phone: 'Phone', gender: 'Gender' }
const VISITS_MAP: RecordMapping = { person: 'Client ID', date: 'Date', timeIn: 'In', timeOut: 'Out', services: 'Services' }

const PEOPLE_CSV = [
  '\uFEFFClient ID,First,Last,Nickname,DOB,Phone,Gender',
  'A-1,José,Álvarez,Pepe,1979-04-02,(555) 201-3344,man',
  'A-2,Zoë,"O\'Brien",,3/15/1990,555.201.9876,woman',
  'A-3,Nguyễn,Văn An,,12/1/85,+1 555 201 4455,',
].join('\r\n')

const VISITS_CSV = [
  'Client ID,Date,In,Out,Services',
  'A-1,2025-01-06,9:30 AM,11:00 AM,Meal; Shower',
  'A-1,01/07/2025,13:05,14:00,Peer support',
  'A-2,2025-01-07,10:00,,',
  ',1/8/2025,9:00,,Meal',
].join('\n')

function write(name: string, text: string | Buffer): string {
  const file = join(tempDir(), name)
  writeFileSync(file, text)
  return file
}

function job(file: string, kind: RecordsJob['kind'], mapping: RecordMapping | null, more: Partial<RecordsJob> = {}): RecordsJob {
  return { file, kind, mapping, staffId: desk().adminId, now: desk().clock.now().toISOString(), timeZone: 'UTC', ...more }
}

function counts(d: Desk) {
  const one = (table: string) => d.opened.sqlite.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number
  return { people: one('participants'), visits: one('visits'), services: one('visit_services'), files: one('import_files'), rows: one('import_rows') }
}

describe('cells in the forms old spreadsheets use', () => {
  it('reads US and ISO dates, times of day and phone numbers, and refuses what is not one', () => {
    const ref = TEST_START.slice(0, 10)
    expect(['2024-03-05', '3/5/2024', '03/05/24', '3-5-2024', 'Mar 5, 2024', '5 March 2024', '2024/3/5', '2024-03-05 09:30'].map((t) => parseDay(t, ref))).toEqual(Array(8).fill('2024-03-05'))
    expect(['2/30/2024', '13/1/2024', 'yesterday', ''].map((t) => parseDay(t, ref))).toEqual([null, null, null, null])
    expect(['9:30', '09:30:00', '9:30 AM', '9:30pm', '9 pm', '1330', '12:15 a.m.', '2024-03-05 17:45'].map(parseTime)).toEqual(['09:30', '09:30', '09:30', '21:30', '21:00', '13:30', '00:15', '17:45'])
    expect(['25:00', '9:75', 'noon', '13 pm'].map(parseTime)).toEqual([null, null, null, null])
    expect(['(555) 201-3344', '555.201.3344', '+1 555 201 3344', '5552013344 x12'].every((t) => parsePhone(t) !== null)).toBe(true)
    expect(['call me', '12', '555-CALL-NOW'].map(parsePhone)).toEqual([null, null, null])
  })
})

describe('a people list and a sign-in log', () => {
  it('preview with a guessed mapping, import once, feed the roll-ups like sign-ins, and never import twice', async () => {
    const people = write('people.csv', PEOPLE_CSV)
    const hidden = await previewRecords(desk().opened, job(people, 'participants', null))
    expect(hidden.problems.map((p) => english(p.message))).toEqual([
      'The mapping reads Date of birth, which this center does not keep (it is turned off under Settings, Participant fields). Turn it on there, or leave that column out.',
      'The mapping reads Gender, which this center does not keep (it is turned off under Settings, Participant fields). Turn it on there, or leave that column out.',
    ])
    await setFieldRules(desk().ctx, { birthDate: 'optional', gender: 'optional' })
    const preview = await previewRecords(desk().opened, job(people, 'participants', null))
    expect(preview.mapping).toMatchObject({ personId: 'Client ID', firstName: 'First', lastName: 'Last', birthDate: 'DOB', phone: 'Phone' })
    expect(preview.problems).toEqual([])
    expect(preview.counts).toMatchObject({ newPeople: 3, matched: 0, duplicates: 0, badRows: 0 })
    expect(counts(desk()).people).toBe(0)

    const imported = await importRecords(desk().opened, job(people, 'participants', PEOPLE_MAP))
    expect(imported.counts.newPeople).toBe(3)
    const rows = desk().opened.sqlite.prepare('SELECT first_name, last_name, nickname, birth_date, birth_year, phone FROM participants ORDER BY id').all()
    expect(rows).toEqual([
      { first_name: 'José', last_name: 'Álvarez', nickname: 'Pepe', birth_date: '1979-04-02', birth_year: 1979, phone: '(555) 201-3344' },
      { first_name: 'Zoë', last_name: "O'Brien", nickname: null, birth_date: '1990-03-15', birth_year: 1990, phone: '555.201.9876' },
      { first_name: 'Nguyễn', last_name: 'Văn An', nickname: null, birth_date: '1985-12-01', birth_year: 1985, phone: '+1 555 201 4455' },
    ])

    const visits = write('visits.csv', VISITS_CSV)
    const dry = await previewRecords(desk().opened, job(visits, 'visits', VISITS_MAP))
    expect(dry.counts).toMatchObject({ visits: 4, anonymous: 1, alreadyImported: 0, badRows: 0 })
    const result = await importRecords(desk().opened, job(visits, 'visits', VISITS_MAP))
    expect(result.counts.visits).toBe(4)
    expect(counts(desk())).toMatchObject({ people: 3, visits: 4, services: 4, files: 2, rows: 7 })
    const jose = desk().opened.sqlite.prepare(`SELECT visit_count, last_visit_at FROM participants WHERE first_name = 'José'`).get()
    expect(jose).toEqual({ visit_count: 2, last_visit_at: '2025-01-07T13:05:00.000Z' })
    expect(desk().opened.sqlite.prepare('SELECT signed_in_at, signed_out_at FROM visits ORDER BY id LIMIT 1').get()).toEqual({ signed_in_at: '2025-01-06T09:30:00.000Z', signed_out_at: '2025-01-06T11:00:00.000Z' })
    // The roll-ups hold exactly what the desk's own sign-ins would have left.
    expect((await checkRollups(desk().opened.db)).filter((check) => check.missing + check.extra > 0)).toEqual([])
    expect(desk().opened.sqlite.prepare(`SELECT count(*) FROM audit_log WHERE action = 'records.import'`).pluck().get()).toBe(2)

    // The same files again: known by their bytes, refused, nothing written twice.
    const again = await previewRecords(desk().opened, job(visits, 'visits', null))
    expect(again.importedBefore).not.toBeNull()
    expect(again.remembered).toBe(true)
    expect(again.mapping).toEqual(VISITS_MAP)
    expect(again.counts).toMatchObject({ visits: 0, alreadyImported: 4 })
    const refused = await serviceError(importRecords(desk().opened, job(visits, 'visits', VISITS_MAP)))
    expect(refused.key).toBe('recordsImport.alreadyImported')
    // Another file holding the same rows and one new one: only the new one goes in.
    const more = write('visits-2.csv', `${VISITS_CSV}\nA-3,2025-01-09,10:00,11:00,Laundry\n`)
    const second = await importRecords(desk().opened, job(more, 'visits', VISITS_MAP))
    expect(second.counts).toMatchObject({ visits: 1, alreadyImported: 4 })
    expect(counts(desk()).visits).toBe(5)
    expect((await checkRollups(desk().opened.db)).filter((check) => check.missing + check.extra > 0)).toEqual([])
  })

  it('holds possible duplicates for review, and a reviewed one joins the person already registered', async () => {
    const maria = await createParticipant(desk().ctx, { firstName: 'Maria', lastName: 'Lopez', birthYear: 1980 })
    const file = write('people.csv', 'ID,First,Last,Birth year\nB1,María,López,1980\nB2,Sam,Reyes,1970\n')
    const mapping: RecordMapping = { personId: 'ID', firstName: 'First', lastName: 'Last', birthYear: 'Birth year' }
    const preview = await previewRecords(desk().opened, job(file, 'participants', mapping))
    expect(preview.counts).toMatchObject({ newPeople: 2, duplicates: 1 })
    expect(preview.duplicates).toEqual([{ row: 2, name: 'María López', candidates: [expect.objectContaining({ id: maria.id, reasons: ['same_name_birth_year'] })] }])
    const result = await importRecords(desk().opened, job(file, 'participants', mapping, { matches: [{ row: 2, participantId: maria.id }] }))
    expect(result.counts).toMatchObject({ newPeople: 1, matched: 1 })
    expect(counts(desk()).people).toBe(2)
    // Her visits in the old log now land on her record.
    const visits = write('visits.csv', 'ID,Date\nB1,2025-02-03\n')
    await importRecords(desk().opened, job(visits, 'visits', { person: 'ID', date: 'Date' }))
    expect(desk().opened.sqlite.prepare('SELECT participant_id FROM visits').pluck().get()).toBe(maria.id)
  })

  it('reads an Excel workbook, its dates and times as cells', async () => {
    const { default: ExcelJS } = await import('exceljs')
    const book = new ExcelJS.Workbook()
    const sheet = book.addWorksheet('Log')
    sheet.addRow(['Code', 'Date', 'Time in'])
    const person = await createParticipant(desk().ctx, { firstName: 'Kofi' })
    sheet.addRow([person.code, new Date(Date.UTC(2025, 2, 4)), new Date(Date.UTC(1899, 11, 30, 9, 45))])
    sheet.addRow([person.code.toLowerCase(), '3/5/2025', '10:15'])
    const file = join(tempDir(), 'log.xlsx')
    await book.xlsx.writeFile(file)
    const result = await importRecords(desk().opened, job(file, 'visits', null))
    expect(result.counts).toMatchObject({ visits: 2, anonymous: 0 })
    expect(desk().opened.sqlite.prepare('SELECT signed_in_at FROM visits ORDER BY id').pluck().all()).toEqual(['2025-03-04T09:45:00.000Z', '2025-03-05T10:15:00.000Z'])
  })

  it('runs on the worker thread, and a refusal there reaches the caller as the same refusal', async () => {
    const key = generateKey()
    const opened = await createDatabase(join(tempDir(), 'worker.db'), key)
    await opened.close()
    const file = write('people.csv', PEOPLE_CSV)
    const basic: RecordMapping = { personId: 'Client ID', firstName: 'First', lastName: 'Last', phone: 'Phone' }
    const preview = await runRecordsTask({ file: opened.file }, key, 'preview', job(file, 'participants', basic, { staffId: null }))
    expect(preview.counts.newPeople).toBe(3)
    const result = await runRecordsTask({ file: opened.file }, key, 'import', job(file, 'participants', basic, { staffId: null }))
    expect(result.counts.newPeople).toBe(3)
    const refused = await serviceError(runRecordsTask({ file: opened.file }, key, 'import', job(file, 'participants', basic, { staffId: null })))
    expect(refused.key).toBe('recordsImport.alreadyImported')
  }, 180_000)
})

describe('bad input: a clear message naming the file, row and column, and nothing written', () => {
  const refusals = async (file: string, kind: RecordsJob['kind'], mapping: RecordMapping | null) => {
    const before = counts(desk())
    const preview = await previewRecords(desk().opened, job(file, kind, mapping))
    const error = await serviceError(importRecords(desk().opened, job(file, kind, mapping ?? preview.mapping)))
    expect(counts(desk())).toEqual(before)
    return { messages: preview.problems.map((problem) => english(problem.message)), error: error.message, preview }
  }

  it('refuses files that are not a table of records', async () => {
    const cases: Array<[string, string | Buffer, string]> = [
      ['photo.csv', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d]), 'photo.csv is not a CSV file or an Excel workbook (.xlsx).'],
      ['old.xls', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 1, 2, 3]), 'old.xls is an old Excel file (.xls).'],
      ['fake.xlsx', Buffer.from('PK\u0003\u0004 not really a workbook'), 'fake.xlsx looks like a zip file but is not an Excel workbook'],
      ['empty.csv', '', 'empty.csv is empty'],
      ['blank.csv', '\uFEFF\r\n  \r\n', 'blank.csv is empty'],
      ['header.csv', 'Client ID,First\r\n', 'header.csv has a header row but no records under it.'],
      ['column.csv', `Name\n${'x'.repeat(60)}\n`.repeat(20_000), 'column.csv has only one column.'],
      ['quotes.csv', 'ID,First\nA1,"Ann\nA2,Bo\n', 'quotes.csv, row 2: a quoted cell is never closed'],
      ['twice.csv', 'ID,First,first\nA1,Ann,Ann\n', 'twice.csv, row 1: two columns are both called “first”.'],
    ]
    for (const [name, text, expected] of cases) {
      const { messages } = await refusals(write(name, text), 'participants', { firstName: 'First' })
      expect(messages[0], name).toContain(expected)
    }
    const huge = write('huge.csv', 'a,b\n')
    truncateSync(huge, 51 * 1024 * 1024)
    expect((await refusals(huge, 'participants', { firstName: 'a' })).messages[0]).toBe('huge.csv is 51 MB; a records file is read up to 50 MB. Split it into smaller files by year.')
  })

  it('reads a Windows-1252 file, another separator and quoted line breaks, and says so', async () => {
    const latin = Buffer.from('ID;First;Last\r\nC1;Peña;"Muñoz\r\nGarcía"\r\n', 'latin1')
    const file = write('latin.csv', latin)
    const preview = await previewRecords(desk().opened, job(file, 'participants', { personId: 'ID', firstName: 'First', lastName: 'Last' }))
    expect(preview.notes.map(english)).toEqual([
      'latin.csv is not UTF-8; it was read as Windows-1252 (Excel’s plain CSV). Check that names with accents look right in the preview.',
      'The columns of latin.csv are separated by ;.',
    ])
    expect(preview.sample).toEqual([['C1', 'Peña', 'Muñoz\r\nGarcía']])
    expect(preview.counts.newPeople).toBe(1)
  })

  it('refuses a mapping that leaves out a required field or names a column the file lacks', async () => {
    const file = write('visits.csv', VISITS_CSV)
    expect((await refusals(file, 'visits', { person: 'Client ID' })).messages).toEqual(['The mapping leaves out Date, which visits.csv needs: choose the column it is in.'])
    expect((await refusals(file, 'visits', { date: 'Day' })).messages).toEqual(['The mapping reads Date from a column “Day”, which visits.csv does not have.'])
  })

  it('refuses bad rows, each named by row and column, unless told to skip them', async () => {
    await importRecords(desk().opened, job(write('people.csv', PEOPLE_CSV.replace(/,DOB|,1979-04-02|,3\/15\/1990|,12\/1\/85/g, '').replace(/,Gender|,man|,woman|,$/gm, '')), 'participants', { personId: 'Client ID', firstName: 'First' }))
    const bad = [
      'Client ID,Date,In,Out,Services',
      'A-1,2025-01-06,9:30,10:00,Meal',
      'A-9,2025-01-06,9:30,,',
      'A-1,2025-02-30,9:30,,',
      'A-2,2025-01-06,noon,,',
      'A-2,2025-01-07,11:00,10:00,',
      'A-3,2025-01-06,9:30,,Haircut',
      'A-3,2025-01-08,9:30,,=HYPERLINK("http://x")',
      '@A-3,2025-01-09,9:30,,',
      'A-3,2099-01-01,9:30,,',
      // Past the first 8 KB, where the reader looks for the NUL bytes of a file that is not text.
      `A-3,2025-01-10,9:30,,Meal${' '.repeat(9000)}\u0000`,
    ].join('\n')
    const file = write('bad.csv', bad)
    const { messages, error } = await refusals(file, 'visits', VISITS_MAP)
    expect(messages).toEqual([
      'Row 3, column Client ID: no one with the id or code “A-9” (import the people list first).',
      'Row 4, column Date: “2025-02-30” is not a date (use 2024-03-05 or 3/5/2024).',
      'Row 5, column In: “noon” is not a time of day (use 9:30, 09:30 or 9:30 AM).',
      'Row 6, column Out: the time out is before the time in.',
      'Row 7, column Services: “Haircut” is not a service in the catalog (add it under Settings, or correct the name).',
      'bad.csv, row 8, column Services: the cell starts like a spreadsheet formula (=). Remove that first character, or put an apostrophe before it.',
      'bad.csv, row 9, column Client ID: the cell starts like a spreadsheet formula (@). Remove that first character, or put an apostrophe before it.',
      'Row 10, column Date: 2099-01-01 is in the future.',
      'bad.csv, row 11, column Services: the cell holds an invisible NUL character, which cannot be saved. Is the file damaged?',
    ])
    expect(error).toContain('Not imported: 9 rows have problems')
    const skipped = await importRecords(desk().opened, job(file, 'visits', VISITS_MAP, { skipBadRows: true }))
    expect(skipped.counts.visits).toBe(1)
    expect(skipped.skippedCount).toBe(9)
    expect(skipped.skipped[0]).toMatchObject({ file: 'bad.csv', row: 3, column: 'Client ID' })
    expect(counts(desk()).visits).toBe(1)
  })
})
