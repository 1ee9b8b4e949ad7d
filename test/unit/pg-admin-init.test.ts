import pg from 'pg'
import { expect, it } from 'vitest'
import { EXIT } from '../../db/cli/admin'
import { openPostgres } from '../../db/postgres'
import { getCenterName } from '../../db/services/setup'
import { signInStaff } from '../../db/services/staff'
import { runningClock } from '../clock'
import { admin } from './admin-helpers'
import { describePostgres, tablesOf, usePostgresDatabases } from './pg-helpers'

const FIRST_ADMIN = ['--center', 'Harbor House', '--admin-name', 'Ana Ruiz', '--username', 'ana']

/** The one-time password `init`/`reset-password` print on a line of their own. */
const printedPassword = (stdout: string) => /^ {4}(\S+)$/m.exec(stdout)?.[1]

describePostgres('admin init --postgres', () => {
  const databases = usePostgresDatabases()

  it('prepares an empty database: the schema, the center, a first admin who must choose a password at first sign-in', async () => {
    const url = await databases.make()
    const run = await admin(['init', '--postgres', url, ...FIRST_ADMIN])
    expect(run.stderr).toBe('')
    expect(run.code).toBe(EXIT.OK)
    expect(run.stdout).toMatch(/PostgreSQL \d+/)
    expect(run.stdout).toMatch(/reset-password --postgres URL --username ana/)
    // The URL's password is never printed.
    expect(run.stdout).not.toContain(new URL(url).password)
    const password = printedPassword(run.stdout)!
    const opened = await openPostgres(url)
    try {
      const ctx = { db: opened.db, staffId: null, now: runningClock() }
      expect(await getCenterName(opened.db)).toBe('Harbor House')
      const signedIn = await signInStaff(ctx, 'ana', password)
      expect(signedIn).toMatchObject({ staff: { username: 'ana', role: 'admin' }, mustChangePassword: true })
    } finally {
      await opened.close()
    }
  })

  it('refuses, changing nothing: records already there, someone else’s tables, missing options, a wrong password', async () => {
    const url = await databases.make()
    expect((await admin(['init', '--postgres', url, ...FIRST_ADMIN])).code).toBe(EXIT.OK)
    const again = await admin(['init', '--postgres', url, '--center', 'Other', '--admin-name', 'Bo', '--username', 'bo'])
    expect(again.code).toBe(EXIT.DB_EXISTS)
    expect(again.stderr).toMatch(/already holds Porchlight's records \(Harbor House\)/)

    const foreign = await databases.make()
    const client = new pg.Client({ connectionString: foreign })
    await client.connect()
    await client.query('CREATE TABLE invoices (id integer PRIMARY KEY)')
    await client.end()
    const refused = await admin(['init', '--postgres', foreign, ...FIRST_ADMIN])
    expect(refused.code).toBe(EXIT.DB_NOT_DATABASE)
    expect(await tablesOf(foreign)).toEqual(['invoices'])

    const empty = await databases.make()
    expect((await admin(['init', '--postgres', empty])).code).toBe(EXIT.USAGE)
    expect((await admin(['init', '--postgres', empty, '--db', '/tmp/x.db', ...FIRST_ADMIN])).code).toBe(EXIT.USAGE)
    const wrong = new URL(empty)
    wrong.password = 'not-the-password'
    const denied = await admin(['init', '--postgres', wrong.toString(), ...FIRST_ADMIN])
    expect(denied.code).toBe(EXIT.PG_LOGIN_REFUSED)
    expect(denied.stderr).not.toContain('not-the-password')
    expect(await tablesOf(empty)).toEqual([])
  })

  it('reset-password --postgres gives a locked-out center a way back in', async () => {
    const url = await databases.make()
    await admin(['init', '--postgres', url, ...FIRST_ADMIN])
    const run = await admin(['reset-password', '--postgres', url, '--username', 'ana'])
    expect(run.code).toBe(EXIT.OK)
    const opened = await openPostgres(url)
    try {
      const signedIn = await signInStaff({ db: opened.db, staffId: null, now: runningClock() }, 'ana', printedPassword(run.stdout)!)
      expect(signedIn.mustChangePassword).toBe(true)
    } finally {
      await opened.close()
    }
  })
})
