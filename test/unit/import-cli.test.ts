import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { importRecordsCommand, IMPORT_REFUSED, type ImportRecordsOptions } from '../../db/cli/import-records'
import { progressBar } from '../../db/cli/progress'
import { generateKey } from '../../db/keys'
import { createDatabase, openDatabase } from '../../db/open'
import { createParticipant } from '../../db/services/participants'
import { completeSetup } from '../../db/services/setup'
import { clock } from './front-desk-helpers'
import { useTempDirs } from './helpers'
import { coreTime } from '../clock'

/**
 * `admin import` of a people list on a real encrypted file: possible duplicates are listed as the
 * screen lists them, and refuse the import (nothing written) until the command is told what to do
 * with them, as the screen asks for a decision on each.
 */
const tempDir = useTempDirs()

describe('npm run admin -- import', () => {
  it('lists possible duplicates and writes nothing until told to import them as new people', async () => {
    const file = join(tempDir(), 'center.db')
    const key = generateKey()
    const opened = await createDatabase(file, key)
    const time = clock()
    const admin = await completeSetup({ db: opened.db, staffId: null, now: time.now, timeZone: 'UTC' }, { centerName: 'Harbor House', adminName: 'Robin Admin', username: 'robin', password: 'a long enough password' })
    await createParticipant({ db: opened.db, staffId: admin.id, now: time.now, timeZone: 'UTC' }, { firstName: 'Maria', lastName: 'Lopez', birthYear: 1980 })
    await opened.close()
    const people = join(tempDir(), 'people.csv')
    writeFileSync(people, ['ID,First,Last,Birth year', 'P1,María,López,1980', 'P2,Kofi,Mensah,1975'].join('\n'))
    const mapping = join(tempDir(), 'map.json')
    writeFileSync(mapping, JSON.stringify({ personId: 'ID', firstName: 'First', lastName: 'Last', birthYear: 'Birth year' }))

    const run = async (more: Partial<ImportRecordsOptions>) => {
      const out: string[] = []
      const err: string[] = []
      const io = { stdout: (line: string) => out.push(line), stderr: (line: string) => err.push(line), progress: () => progressBar({ write: () => {} }), ...coreTime() }
      const outcome = await importRecordsCommand({ participants: people, mapping, dryRun: false, skipBadRows: false, ...more }, io, () => openDatabase(file, key, { check: 'none' }))
      return { outcome, out: out.join('\n'), err: err.join('\n') }
    }
    const count = async () => {
      const db = await openDatabase(file, key, { check: 'none', readonly: true })
      try {
        return db.sqlite.prepare('SELECT count(*) FROM participants').pluck().get() as number
      } finally {
        await db.close()
      }
    }

    const refused = await run({})
    expect(refused.outcome).toBe(IMPORT_REFUSED)
    expect(refused.out).toContain('People: 2 new, 0 matched to someone already here; possible duplicates: 1.')
    expect(refused.out).toMatch(/Row 2: María López may be someone already registered:\n {2}Maria Lopez \(\S+, born 1980\): /)
    expect(refused.err).toContain('Not imported: possible duplicates (1) need a decision. Nothing was written.')
    expect(await count()).toBe(1)
    // A dry run says the same and refuses the same way.
    expect((await run({ dryRun: true })).outcome).toBe(IMPORT_REFUSED)

    const told = await run({ duplicatesAsNew: true })
    expect(told.err).toBe('')
    expect(told.outcome).toBe('ok')
    expect(await count()).toBe(3)
  })
})
