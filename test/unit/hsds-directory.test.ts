import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeEach, describe, expect, it } from 'vitest'
import { english } from '../../shared/messages'
import { EXIT } from '../../db/cli/admin'
import { FileKeyStore } from '../../db/keystore-file'
import { openDatabase } from '../../db/open'
import { listAgencies, saveAgency } from '../../db/services/agencies'
import { createCenter } from '../../db/services/centers'
import { exportDirectory } from '../../db/services/hsds/export'
import { hsdsStateKey, importDirectory, previewDirectoryImport } from '../../db/services/hsds/import'
import { MAX_FILE_BYTES } from '../../db/services/hsds/read'
import { createParticipant } from '../../db/services/participants'
import { createReferral } from '../../db/services/referrals'
import type { ServiceContext } from '../../db/services/context'
import { auditActionsOf, serviceError, setUpCenter, useCenter, type CenterDesk } from './front-desk-helpers'
import { describeEachBackend, useRecords } from './pg-helpers'
import { admin } from './admin-helpers'
import { useTempDirs } from './helpers'
import { runningClock } from '../clock'

const EXAMPLES = join(import.meta.dirname, '../fixtures/hsds-3.0-examples')
const tempDir = useTempDirs()

/** A copy of the specification's examples that a test may change. */
function examples(): string {
  const folder = join(tempDir(), 'hsds')
  cpSync(EXAMPLES, folder, { recursive: true })
  return folder
}

const comparable = (agencies: Awaited<ReturnType<typeof listAgencies>>) => agencies.map(({ id: _id, updatedAt: _updatedAt, ...rest }) => rest)

/** Everything an import could change: the agencies, their kinds and the kept HSDS rows. */
async function directoryState({ db }: ServiceContext) {
  return {
    agencies: await db.selectFrom('agencies').selectAll().orderBy('id').execute(),
    types: await db.selectFrom('agency_referral_types').selectAll().orderBy('agency_id').orderBy('type').execute(),
    hsds: (await db.selectFrom('settings').select('value').where('key', '=', hsdsStateKey(1)).executeTakeFirst())?.value ?? null,
  }
}

// The directory is the same on either backend: every import, export and refusal runs on both.
describeEachBackend('the HSDS directory', (backend) => {
  const center = useCenter(backend)
  // A second center for the round trips (the export of one read by another).
  const otherRecords = useRecords(backend)
  const otherCenter = () => setUpCenter(otherRecords().db)
  let desk: CenterDesk
  beforeEach(() => {
    desk = center()
  })

  describe('the specification’s examples', () => {
    it('preview cleanly and import as one agency with its services, phone, schedule, languages and area folded in', async () => {
      const preview = await previewDirectoryImport(desk.ctx, EXAMPLES)
      expect(preview.problems).toEqual([])
      expect(preview.fatal).toBe(false)
      expect(preview.counts).toEqual({ new: 1, changed: 0, unchanged: 0, removed: 0, deactivated: 0 })
      expect(preview.files.map((file) => file.file)).toContain('schedules.csv')
      expect(preview.notes.map((note) => note.key)).toContain('hsds.packageUnreadable')
      expect((await directoryState(desk.ctx)).agencies).toEqual([])

      const result = await importDirectory(desk.ctx, EXAMPLES, { skipBadRows: false })
      expect(result.counts.new).toBe(1)
      expect(result.records).toEqual({ new: 21, changed: 0, unchanged: 0, removed: 0 })
      const [agency] = await listAgencies(desk.ctx)
      expect(agency).toMatchObject({
        name: 'Example Organization Inc.',
        types: ['mental_health'],
        contactName: 'Ann Persona',
        phone: '+44 1234 234567',
        email: 'email@example.com',
        address: '1-30 Main Street, MyVillage, MyCity, MyState ABC 1234',
        website: 'http://example.com',
        verifiedOn: '2005-01-01',
        active: true,
      })
      expect(agency!.hours).toContain('10 am to 6pm weekdays')
      expect(agency!.notes).toContain('Services: Community Counselling')
      expect(agency!.notes).toContain('Languages: Urdu')
      expect(agency!.notes).toContain('Service area: The service is available to all residents')
      expect(await auditActionsOf(desk.ctx.db)).toContain('directory.import')
    })

    it('change nothing when the same files are imported again (idempotent on HSDS ids)', async () => {
      await importDirectory(desk.ctx, EXAMPLES, { skipBadRows: false })
      const before = await directoryState(desk.ctx)
      desk.clock.advance(1)
      const preview = await previewDirectoryImport(desk.ctx, EXAMPLES)
      expect(preview.counts).toEqual({ new: 0, changed: 0, unchanged: 1, removed: 0, deactivated: 0 })
      expect(preview.records).toEqual({ new: 0, changed: 0, unchanged: 21, removed: 0 })
      const again = await importDirectory(desk.ctx, EXAMPLES, { skipBadRows: false })
      expect(again.counts.unchanged).toBe(1)
      const after = await directoryState(desk.ctx)
      expect(after.agencies).toEqual(before.agencies)
      expect(after.types).toEqual(before.types)
      const records = (state: Awaited<ReturnType<typeof directoryState>>) => (JSON.parse(String(state.hsds)) as { records: unknown; agencies: unknown })
      expect(records(after).records).toEqual(records(before).records)
      expect(records(after).agencies).toEqual(records(before).agencies)
    })

    it('round-trip: export, import the export into another center, and the directory is the same; the export’s files and columns are the specification’s', async () => {
      await importDirectory(desk.ctx, EXAMPLES, { skipBadRows: false })
      await saveAgency(desk.ctx, { name: 'Open Door Housing', types: ['housing', 'employment'], phone: '555-0100', notes: 'Walk-ins Tuesday' })
      const out = join(tempDir(), 'export')
      const exported = await exportDirectory(desk.ctx, out)
      expect(exported.agencies).toBe(2)
      for (const file of readdirSync(EXAMPLES).filter((name) => name.endsWith('.csv'))) {
        const header = (folder: string) => readFileSync(join(folder, file), 'utf8').replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0]
        expect(header(out), file).toBe(header(EXAMPLES))
      }
      const datapackage = JSON.parse(readFileSync(join(out, 'datapackage.json'), 'utf8')) as { resources: Array<{ path: string }> }
      expect(datapackage.resources.map((resource) => resource.path).sort()).toEqual(readdirSync(EXAMPLES).filter((name) => name.endsWith('.csv')).sort())
      expect(await auditActionsOf(desk.ctx.db)).toContain('directory.export')

      const other = await otherCenter()
      const preview = await previewDirectoryImport(other.ctx, out)
      expect(preview.problems).toEqual([])
      await importDirectory(other.ctx, out, { skipBadRows: false })
      expect(comparable(await listAgencies(other.ctx))).toEqual(comparable(await listAgencies(desk.ctx)))

      // And the export read back by the center that wrote it changes nothing it shows.
      const back = await previewDirectoryImport(desk.ctx, out)
      expect(back.counts).toMatchObject({ new: 0, changed: 0, removed: 0, deactivated: 0, unchanged: 2 })

      // A second export of the re-imported directory writes the same files.
      const out2 = join(tempDir(), 'export2')
      await exportDirectory(other.ctx, out2)
      for (const file of readdirSync(out).filter((name) => name.endsWith('.csv'))) {
        expect(readFileSync(join(out2, file), 'utf8'), file).toBe(readFileSync(join(out, file), 'utf8'))
      }
    })

    it('refuses to export over an HSDS directory already in the folder', async () => {
      await importDirectory(desk.ctx, EXAMPLES, { skipBadRows: false })
      const error = await serviceError(exportDirectory(desk.ctx, examples()))
      expect(error.key).toBe('hsds.exportNotEmpty')
    })
  })

  describe('formula injection', () => {
    it('is neutralized in an export and read back as written', async () => {
      await saveAgency(desk.ctx, { name: '=HYPERLINK("http://evil.example","Click")', types: ['other'], phone: '+1 555 0100' })
      const out = join(tempDir(), 'export')
      await exportDirectory(desk.ctx, out)
      const organizations = readFileSync(join(out, 'organizations.csv'), 'utf8')
      expect(organizations).toContain(`"'=HYPERLINK(""http://evil.example"",""Click"")"`)
      expect(organizations).not.toMatch(/(^|,)"?=HYPERLINK/m)
      // A phone number keeps its +: it is not a formula.
      expect(readFileSync(join(out, 'phones.csv'), 'utf8')).toContain(',+1 555 0100,')
      const other = await otherCenter()
      await importDirectory(other.ctx, out, { skipBadRows: false })
      expect((await listAgencies(other.ctx)).map((agency) => agency.name)).toEqual(['=HYPERLINK("http://evil.example","Click")'])
    })

    it.each([['=HYPERLINK("http://evil.example")'], ['@SUM(A1)'], ['+cmd|calc'], ['-2+3']])('%s in an import is refused with its file, row and column', async (cell) => {
      const folder = examples()
      const file = join(folder, 'organizations.csv')
      writeFileSync(file, readFileSync(file, 'utf8').replace('Example Org,', `"${cell.replace(/"/g, '""')}",`))
      const preview = await previewDirectoryImport(desk.ctx, folder)
      expect(preview.problems.map((problem) => [problem.file, problem.row, problem.column, problem.message.key])).toEqual([['organizations.csv', 2, 'alternate_name', 'hsds.formula']])
      const error = await serviceError(importDirectory(desk.ctx, folder, { skipBadRows: false }))
      expect(error.key).toBe('hsds.hasErrors')
      expect(error.message).toContain('organizations.csv, row 2, column alternate_name')
      expect(await directoryState(desk.ctx)).toEqual({ agencies: [], types: [], hsds: null })
    })
  })

  describe('bad input is refused with a message naming the file, row and column, and nothing is written', () => {
    const cases: Array<[string, (folder: string) => void, string]> = [
      ['an empty file', (folder) => writeFileSync(join(folder, 'services.csv'), ''), 'hsds.empty'],
      ['a workbook renamed to .csv', (folder) => writeFileSync(join(folder, 'services.csv'), Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0, 0])), 'hsds.notCsv'],
      ['Windows-1252 text', (folder) => writeFileSync(join(folder, 'programs.csv'), Buffer.concat([Buffer.from('id,organization_id,name\r\nx1,d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610,Pe'), Buffer.from([0xf1]), Buffer.from('a\r\n')])), 'hsds.notUtf8'],
      ['semicolons between columns', (folder) => writeFileSync(join(folder, 'taxonomies.csv'), 'id;name;description\r\nt1;Kinds;x\r\n'), 'hsds.delimiter'],
      ['an unknown column', (folder) => writeFileSync(join(folder, 'taxonomies.csv'), 'id,name,favourite_colour\r\nt1,Kinds,blue\r\n'), 'hsds.unknownColumn'],
      ['a file named in datapackage.json but missing', (folder) => writeFileSync(join(folder, 'datapackage.json'), JSON.stringify({ resources: [{ name: 'funding', path: 'funding_2024.csv' }] })), 'hsds.fileMissing'],
      ['no organizations.csv', (folder) => rmSync(join(folder, 'organizations.csv')), 'hsds.noOrganizations'],
    ]
    it.each(cases)('%s', async (_name, spoil, key) => {
      const folder = examples()
      spoil(folder)
      const preview = await previewDirectoryImport(desk.ctx, folder)
      expect(preview.fatal).toBe(true)
      expect(preview.problems.map((problem) => problem.message.key)).toContain(key)
      const error = await serviceError(importDirectory(desk.ctx, folder, { skipBadRows: true }))
      expect(error.key).toBe('hsds.fileProblems')
      expect(await directoryState(desk.ctx)).toEqual({ agencies: [], types: [], hsds: null })
    })

    it('a file over the size limit (50 MB of one column)', async () => {
      const folder = examples()
      const line = `${'x'.repeat(1023)}\n`
      writeFileSync(join(folder, 'meta_table_descriptions.csv'), `id\n${line.repeat(Math.ceil(MAX_FILE_BYTES / 1024) + 1)}`)
      const preview = await previewDirectoryImport(desk.ctx, folder)
      expect(preview.problems.map((problem) => english(problem.message))).toEqual(['meta_table_descriptions.csv is 51 MB; a directory file may be at most 50 MB.'])
    })

    it('a missing folder', async () => {
      const error = await serviceError(importDirectory(desk.ctx, join(tempDir(), 'nowhere'), { skipBadRows: false }))
      expect(error.message).toMatch(/nowhere does not exist/)
    })

    it('a byte-order mark and quoted newlines are fine', async () => {
      const folder = examples()
      const file = join(folder, 'organizations.csv')
      writeFileSync(file, `\uFEFF${readFileSync(join(EXAMPLES, 'organizations.csv'), 'utf8').replace('Example Org is a non-profit organization dedicated to providing services to qualified beneficiaries', '"Two lines:\nhere"')}`)
      const preview = await previewDirectoryImport(desk.ctx, folder)
      expect(preview.problems).toEqual([])
      await importDirectory(desk.ctx, folder, { skipBadRows: false })
      expect((await listAgencies(desk.ctx))[0]!.notes).toContain('Two lines:\nhere')
    })

    it('a broken reference and a duplicate id: refused by default; skipped with a report when chosen, with the rows that name them', async () => {
      const folder = examples()
      writeFileSync(
        join(folder, 'organizations.csv'),
        `${readFileSync(join(folder, 'organizations.csv'), 'utf8').trimEnd()}\r\nd9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610,Twice,,,,,,,,,,,\r\n0f0f0f0f-0000-4000-8000-000000000001,Second Street Shelter,,,,,,,,,,,\r\n`,
      )
      writeFileSync(join(folder, 'service_areas.csv'), `${readFileSync(join(folder, 'service_areas.csv'), 'utf8').trimEnd()}\r\nsa-2,no-such-service,County,,,,\r\n`)
      const preview = await previewDirectoryImport(desk.ctx, folder)
      expect(preview.fatal).toBe(false)
      expect(preview.problems.map((problem) => english(problem.message))).toEqual([
        'organizations.csv, row 3, column id: the id d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610 is already used on row 2.',
        'service_areas.csv, row 3, column service_id: no-such-service is not an id in services.csv.',
      ])
      expect(preview.badRows).toBe(2)
      const refused = await serviceError(importDirectory(desk.ctx, folder, { skipBadRows: false }))
      expect(refused.key).toBe('hsds.hasErrors')
      expect(await directoryState(desk.ctx)).toEqual({ agencies: [], types: [], hsds: null })

      const result = await importDirectory(desk.ctx, folder, { skipBadRows: true })
      expect(result.skipped.map((problem) => [problem.file, problem.row])).toEqual([
        ['organizations.csv', 3],
        ['service_areas.csv', 3],
      ])
      expect((await listAgencies(desk.ctx)).map((agency) => agency.name)).toEqual(['Example Organization Inc.', 'Second Street Shelter'])
    })

    it('a NUL character in a cell past where the file is sniffed: refused with its file, row and column, skippable', async () => {
      const folder = examples()
      const file = join(folder, 'phones.csv')
      // The first 8 KB are checked for the NUL bytes of a file that is not text; this one comes after.
      writeFileSync(file, readFileSync(file, 'utf8').replace('if we are busy.', `if we are busy.${' '.repeat(9000)}\u0000`))
      const preview = await previewDirectoryImport(desk.ctx, folder)
      expect(preview.problems.map((problem) => [problem.file, problem.row, problem.column, problem.message.key])).toEqual([['phones.csv', 2, 'description', 'hsds.nulCharacter']])
      const error = await serviceError(importDirectory(desk.ctx, folder, { skipBadRows: false }))
      expect(error.key).toBe('hsds.hasErrors')
      expect(await directoryState(desk.ctx)).toEqual({ agencies: [], types: [], hsds: null })
      await importDirectory(desk.ctx, folder, { skipBadRows: true })
      expect((await listAgencies(desk.ctx))[0]!.phone).toBeNull()
    })

    it('a skipped organization takes its services and their rows with it', async () => {
      const folder = examples()
      const file = join(folder, 'organizations.csv')
      writeFileSync(file, readFileSync(file, 'utf8').replace('Example Organization Inc.,Example Org,', ',Example Org,'))
      const preview = await previewDirectoryImport(desk.ctx, folder)
      expect(preview.problems.map((problem) => problem.message.key)).toEqual(['hsds.nameRequired'])
      const result = await importDirectory(desk.ctx, folder, { skipBadRows: true })
      const skipped = result.skipped.map((problem) => problem.file)
      expect(skipped).toEqual(expect.arrayContaining(['organizations.csv', 'services.csv', 'programs.csv', 'phones.csv', 'schedules.csv', 'languages.csv', 'service_areas.csv']))
      expect(await listAgencies(desk.ctx)).toEqual([])
    })
  })

  describe('agencies an import leaves out', () => {
    it('are deleted when nothing names them, and kept inactive with a note when a referral does', async () => {
      await importDirectory(desk.ctx, EXAMPLES, { skipBadRows: false })
      const folder = examples()
      writeFileSync(
        join(folder, 'organizations.csv'),
        `${readFileSync(join(folder, 'organizations.csv'), 'utf8').trimEnd()}\r\n0f0f0f0f-0000-4000-8000-000000000001,Second Street Shelter,,,,,,,,,,,\r\n`,
      )
      await importDirectory(desk.ctx, folder, { skipBadRows: false })
      const agencies = await listAgencies(desk.ctx)
      const example = agencies.find((agency) => agency.name === 'Example Organization Inc.')!
      const person = await createParticipant(desk.ctx, { firstName: 'Dana', lastName: 'Reyes', birthYear: 1985 })
      await createReferral(desk.ctx, { participantId: person.id, agencyId: example.id, type: 'mental_health' })

      // A directory with neither organization: the one with a referral stays, inactive; the other goes.
      const empty = join(tempDir(), 'empty')
      mkdirSync(empty)
      writeFileSync(join(empty, 'organizations.csv'), 'id,name\r\n0f0f0f0f-0000-4000-8000-000000000002,Third Place\r\n')
      const preview = await previewDirectoryImport(desk.ctx, empty)
      expect(preview.counts).toEqual({ new: 1, changed: 0, unchanged: 0, removed: 1, deactivated: 1 })
      await importDirectory(desk.ctx, empty, { skipBadRows: false })
      const after = await listAgencies(desk.ctx, { includeInactive: true })
      expect(after.map((agency) => [agency.name, agency.active])).toEqual([
        ['Third Place', true],
        ['Example Organization Inc.', false],
      ])
      expect(after[1]!.notes).toContain('No longer in the HSDS directory imported on 2026-11-25')
      expect(after[1]!.openReferrals).toBe(1)
    })

    it('keep a verification made at the desk after the directory’s own date', async () => {
      await importDirectory(desk.ctx, EXAMPLES, { skipBadRows: false })
      const [agency] = await listAgencies(desk.ctx)
      await saveAgency(desk.ctx, { ...agency!, id: agency!.id, verifiedOn: '2026-11-20' })
      const preview = await previewDirectoryImport(desk.ctx, EXAMPLES)
      expect(preview.counts.unchanged).toBe(1)
      await importDirectory(desk.ctx, EXAMPLES, { skipBadRows: false })
      expect((await listAgencies(desk.ctx))[0]!.verifiedOn).toBe('2026-11-20')
    })
  })
})

describe('npm run admin -- import-directory / export-directory', () => {
  it('dry-runs, refuses a package with a bad row (exit 22, nothing written), imports with --skip-bad-rows, and exports', async () => {
    const dir = tempDir()
    const env = { INIT_CWD: dir }
    expect((await admin(['init', '--db', 'c.db', '--key-file', 'c.key'], env)).code).toBe(EXIT.OK)
    const base = ['--db', 'c.db', '--key-file', 'c.key']
    const dry = await admin(['import-directory', ...base, '--from', EXAMPLES, '--dry-run'], env)
    expect(dry.code).toBe(EXIT.OK)
    expect(dry.stdout).toContain('Agencies: 1 new, 0 changed, 0 unchanged, 0 removed, 0 kept inactive')
    expect(dry.stdout).toContain('Dry run: nothing was written.')

    const folder = examples()
    writeFileSync(join(folder, 'service_areas.csv'), `${readFileSync(join(folder, 'service_areas.csv'), 'utf8').trimEnd()}\r\nsa-2,no-such-service,County,,,,\r\n`)
    const refused = await admin(['import-directory', ...base, '--from', folder], env)
    expect(refused.code).toBe(EXIT.IMPORT_REFUSED)
    expect(refused.stderr).toContain('service_areas.csv, row 3, column service_id: no-such-service is not an id in services.csv.')
    expect(refused.stderr).toContain('Nothing was written')

    const skipped = await admin(['import-directory', ...base, '--from', folder, '--skip-bad-rows'], env)
    expect(skipped.code).toBe(EXIT.OK)
    expect(skipped.stdout).toContain('Skipped 1 rows:')
    const again = await admin(['import-directory', ...base, '--from', EXAMPLES], env)
    expect(again.stdout).toContain('Agencies: 0 new, 0 changed, 1 unchanged')

    const exported = await admin(['export-directory', ...base, '--to', 'out'], env)
    expect(exported.code).toBe(EXIT.OK)
    expect(exported.stdout).toContain('Wrote 21 HSDS files and datapackage.json with 1 agencies')
    expect(readFileSync(join(dir, 'out', 'organizations.csv'), 'utf8')).toContain('Example Organization Inc.')
  })

  it('works in one center: --center ID names it, needed when there are several (the error names them); never all', async () => {
    const dir = tempDir()
    const env = { INIT_CWD: dir }
    expect((await admin(['init', '--db', 'c.db', '--key-file', 'c.key'], env)).code).toBe(EXIT.OK)
    const opened = await openDatabase(join(dir, 'c.db'), new FileKeyStore(join(dir, 'c.key')).load())
    const north = await createCenter({ db: opened.db, staffId: null, now: runningClock(), timeZone: 'UTC' }, { name: 'North Side' })
    await opened.close()
    const base = ['--db', 'c.db', '--key-file', 'c.key']

    const unnamed = await admin(['import-directory', ...base, '--from', EXAMPLES], env)
    expect(unnamed.code).toBe(EXIT.USAGE)
    expect(unnamed.stderr).toContain(`several centers: 1 (Center 1), ${north.id} (North Side). Name one with --center ID.`)
    expect((await admin(['export-directory', ...base, '--to', 'none'], env)).code).toBe(EXIT.USAGE)
    expect((await admin(['import-directory', ...base, '--from', EXAMPLES, '--center', 'all'], env)).code).toBe(EXIT.USAGE)
    expect((await admin(['import-directory', ...base, '--from', EXAMPLES, '--center', '9'], env)).stderr).toContain('No center has the id 9')

    const imported = await admin(['import-directory', ...base, '--from', EXAMPLES, '--center', String(north.id)], env)
    expect(imported.code, imported.stderr).toBe(EXIT.OK)
    expect(imported.stdout).toContain('Agencies: 1 new')
    const first = await admin(['export-directory', ...base, '--to', 'first', '--center', '1'], env)
    expect(first.stdout).toContain('with 0 agencies')
    const northSide = await admin(['export-directory', ...base, '--to', 'north', '--center', String(north.id)], env)
    expect(northSide.stdout).toContain('with 1 agencies')
    expect(readFileSync(join(dir, 'north', 'organizations.csv'), 'utf8')).toContain('Example Organization Inc.')
  })
})
