import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import pg from 'pg'
import { describe, expect, it } from 'vitest'
import { DbError } from '../../db/errors'
import { FileKeyStore } from '../../db/keystore-file'
import { checkServer, connectFailure, isLocalHost, poolConfig, type PostgresConnection } from '../../db/pg-connect'
import { connectionFromUrl, openPostgres, probePostgres } from '../../db/postgres'
import { PorchlightCore, type Session } from '../../electron/ipc/core'
import { dispatch } from '../../electron/ipc/dispatch'
import { coreTime } from '../clock'
import { dbErrorCode, useTempDirs } from './helpers'
import { describePostgres, usePostgresDatabases } from './pg-helpers'
import { closedPort } from '../closed-port'

const REMOTE: PostgresConnection = { host: 'db.center.example', port: 5432, database: 'porchlight', user: 'porchlight', auth: 'password', password: 'pw' }

describe('connection settings for the center’s server', () => {
  const tempDir = useTempDirs()

  it('requires TLS with the certificate checked for any host but this PC', () => {
    expect(poolConfig(REMOTE).ssl).toEqual({ rejectUnauthorized: true })
    for (const host of ['localhost', '127.0.0.1', '::1', '[::1]']) {
      expect(isLocalHost(host)).toBe(true)
      expect(poolConfig({ ...REMOTE, host }).ssl).toBe(false)
    }
    // Near misses are other computers.
    for (const host of ['localhost.example', '127.0.0.2', '10.0.0.5']) expect(poolConfig({ ...REMOTE, host }).ssl).toEqual({ rejectUnauthorized: true })
  })

  it('trusts the CA file given (on this PC too) and sends a client certificate with its key', () => {
    const dir = tempDir()
    for (const [name, text] of [['ca.pem', 'CA'], ['client.crt', 'CERT'], ['client.key', 'KEY']]) writeFileSync(join(dir, name!), text!)
    const ssl = poolConfig({
      ...REMOTE,
      host: 'localhost',
      auth: 'certificate',
      caFile: join(dir, 'ca.pem'),
      certFile: join(dir, 'client.crt'),
      keyFile: join(dir, 'client.key'),
      keyPassphrase: 'kp',
    }).ssl
    expect(ssl).toEqual({ rejectUnauthorized: true, ca: 'CA', cert: 'CERT', key: 'KEY', passphrase: 'kp' })
  })

  it('says which file it cannot read', () => {
    const error = (() => {
      try {
        poolConfig({ ...REMOTE, caFile: '/nowhere/ca.pem' })
      } catch (thrown) {
        return thrown as DbError
      }
    })()
    expect(error?.code).toBe('PG_FILE')
    expect(error?.message).toContain('/nowhere/ca.pem')
    expect(error?.message).toContain('CA certificate')
  })

  it('reads a postgres:// URL, with libpq’s names for the CA and client certificate files', () => {
    expect(connectionFromUrl('postgres://ana:s%40cret@db.center.example:6543/records?sslrootcert=/etc/ca.pem')).toEqual({
      host: 'db.center.example',
      port: 6543,
      database: 'records',
      user: 'ana',
      auth: 'password',
      password: 's@cret',
      caFile: '/etc/ca.pem',
    })
    expect(connectionFromUrl('postgresql://porchlight@db/porchlight?sslcert=/c.crt&sslkey=/c.key')).toMatchObject({ auth: 'certificate', certFile: '/c.crt', keyFile: '/c.key', port: 5432 })
    for (const typo of ['postgress://db/x', 'db.center.example/porchlight', 'http://db/x']) {
      expect(() => connectionFromUrl(typo)).toThrow(/not a PostgreSQL address/)
    }
  })

  it('sorts what goes wrong into errors that say what to check', () => {
    const node = (code: string, text: string) => Object.assign(new Error(text), { code })
    expect(connectFailure(node('SELF_SIGNED_CERT_IN_CHAIN', 'self-signed certificate in certificate chain'), REMOTE).code).toBe('PG_CERT_UNTRUSTED')
    expect(connectFailure(node('ERR_TLS_CERT_ALTNAME_INVALID', "Hostname/IP does not match certificate's altnames"), REMOTE).code).toBe('PG_CERT_UNTRUSTED')
    expect(connectFailure(node('CERT_HAS_EXPIRED', 'certificate has expired'), REMOTE).code).toBe('PG_CERT_UNTRUSTED')
    expect(connectFailure(node('ENOTFOUND', 'getaddrinfo ENOTFOUND db.center.example'), REMOTE).code).toBe('PG_UNREACHABLE')
    expect(connectFailure(new Error('The server does not support SSL connections'), REMOTE).code).toBe('PG_NO_TLS')
    expect(connectFailure(node('28000', 'no pg_hba.conf entry for host "10.0.0.9"'), REMOTE).code).toBe('PG_NOT_ALLOWED')
    const untrusted = connectFailure(node('UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'unable to verify the first certificate'), REMOTE)
    expect(untrusted.message).toContain('db.center.example:5432/porchlight')
    expect(untrusted.message).toMatch(/CA file/)
  })

  it('refuses a server older than PostgreSQL 13, and an unencrypted connection to another computer', async () => {
    const answering = (num: string, ssl: boolean | null) => ({
      query: async () => ({ rows: [{ num, version: `${Number(num) / 10000}`, ssl, tls: ssl ? 'TLSv1.3' : null }] }) as never,
    })
    expect(await dbErrorCode(checkServer(answering('120017', true), REMOTE))).toBe('PG_TOO_OLD')
    expect(await dbErrorCode(checkServer(answering('160004', false), REMOTE))).toBe('PG_NO_TLS')
    expect(await dbErrorCode(checkServer(answering('160004', null), REMOTE))).toBe('PG_NO_TLS')
    expect(await checkServer(answering('160004', true), REMOTE)).toMatchObject({ versionNum: 160004, tls: 'TLSv1.3' })
    // This PC's own server may be reached without TLS: the connection never leaves it.
    expect(await checkServer(answering('130000', false), { ...REMOTE, host: 'localhost' })).toMatchObject({ tls: null })
  })
})

const SETUP = { centerName: 'Harbor House', adminName: 'Ana Ruiz', username: 'ana', password: 'a long enough password' }

describePostgres('connecting to the center’s server', () => {
  const databases = usePostgresDatabases()
  const tempDir = useTempDirs()
  const connectionTo = (url: string): PostgresConnection => connectionFromUrl(url)

  it('checks TLS and the version on connect, and says what it found without writing', async () => {
    const url = await databases.make()
    const found = await probePostgres(connectionTo(url))
    expect(found).toMatchObject({ holds: 'empty', setUp: false, centerName: null, schemaVersion: 0 })
    expect(found.server.versionNum).toBeGreaterThanOrEqual(130000)
    // The test server is this PC's and listens without TLS: allowed here only.
    expect(found.server.tls).toBeNull()
    const client = new pg.Client({ connectionString: url })
    await client.connect()
    const tables = await client.query(`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'public'`)
    await client.end()
    expect(tables.rows[0].n).toBe(0)
  })

  it('a wrong password, a closed port, a missing database, a server without TLS: each its own clear refusal', async () => {
    const right = connectionTo(await databases.make())
    const wrong = await openPostgres({ ...right, password: 'not-the-password' }).then(() => null, (error: unknown) => error as DbError)
    expect(wrong?.code).toBe('PG_LOGIN_REFUSED')
    expect(wrong?.message).not.toContain('not-the-password')
    expect(wrong?.message).toContain(right.user)
    const closed = await openPostgres({ ...right, port: await closedPort() }).then(() => null, (error: unknown) => error as DbError)
    expect(closed?.code).toBe('PG_UNREACHABLE')
    expect(closed?.message).toMatch(/firewall/)
    expect(await dbErrorCode(openPostgres({ ...right, database: 'no_such_database' }))).toBe('PG_NO_DATABASE')
    // A CA file asks for TLS even on this PC; the test server offers none.
    const ca = join(tempDir(), 'ca.pem')
    writeFileSync(ca, 'not used: the server refuses TLS before any certificate is read')
    expect(await dbErrorCode(openPostgres({ ...right, caFile: ca }))).toBe('PG_NO_TLS')
  })

  it('first run on the server: connect, name the center, no recovery key; the next start opens it again', async () => {
    const url = await databases.make()
    const password = connectionTo(url).password!
    const dir = tempDir()
    const options = { dbFile: join(dir, 'porchlight.db'), keyStore: new FileKeyStore(join(dir, 'porchlight.key')), ...coreTime() }
    const core = new PorchlightCore(options)
    const session: Session = { staff: null }
    try {
      await core.start()
      expect(core.status(session)).toMatchObject({ phase: 'setup', records: 'file', server: null })
      const tested = await dispatch('setup.testServer', connectionTo(url), { core, session })
      expect(tested).toMatchObject({ ok: true, value: { holds: 'empty', tls: null } })
      const connected = await dispatch('setup.connectServer', { connection: connectionTo(url) }, { core, session })
      expect(connected).toMatchObject({ ok: true, value: { phase: 'setup', records: 'server', server: expect.stringContaining('/porchlight_test_') } })
      // Nothing was made on this PC but the key and the connection details; the password is not in them in clear.
      expect(existsSync(options.dbFile)).toBe(false)
      expect(readFileSync(join(dir, 'postgres-connection.json'), 'utf8')).not.toContain(password)
      const created = await dispatch('setup.create', SETUP, { core, session })
      expect(created).toMatchObject({ ok: true, value: { recoveryKey: null, staff: { username: 'ana', role: 'admin' } } })
      // What only the file on a PC has answers honestly instead of failing.
      // Backups on the server: pg_dump into the chosen folder, once one is chosen; the overview says whose backups they are.
      expect(await dispatch('backups.run', {}, { core, session })).toMatchObject({ ok: false, error: { code: 'VALIDATION', key: 'backups.chooseFolder' } })
      const folder = tempDir()
      const saved = await dispatch('backups.saveSettings', { folder, schedule: { kind: 'off' }, keepDaily: 7, keepWeekly: 8 }, { core, session })
      expect(saved).toMatchObject({ ok: true, value: { server: { where: expect.stringContaining('/porchlight_test_'), pgDump: expect.stringMatching(/pg_dump$/) } } })
      const dumped = await dispatch('backups.run', {}, { core, session })
      expect(dumped).toMatchObject({ ok: true, value: { file: expect.stringMatching(/^porchlight-\d{8}-\d{6}\.dump$/), status: 'verified' } })
      expect(readdirSync(folder)).toEqual([(dumped as { value: { file: string } }).value.file])
      expect(await dispatch('backups.overview', {}, { core, session })).toMatchObject({ ok: true, value: { lastSuccess: { ok: true, file: (dumped as { value: { file: string } }).value.file }, running: null } })
      expect(await dispatch('backups.checkNow', {}, { core, session })).toMatchObject({ ok: false, error: { code: 'CONFLICT', key: 'pg.checkOnServer' } })
      expect(await dispatch('security.newRecoveryKey', { confirm: true }, { core, session })).toMatchObject({ ok: false, error: { code: 'CONFLICT', key: 'pg.noRecoveryKey' } })
      // Set up: the first-run channels refuse.
      expect(await dispatch('setup.testServer', connectionTo(url), { core, session })).toMatchObject({ ok: false, error: { code: 'ALREADY_SET_UP' } })
    } finally {
      await core.close()
    }
    const again = new PorchlightCore({ ...options, keyStore: new FileKeyStore(join(dir, 'porchlight.key')), ...coreTime() })
    try {
      await again.start()
      expect(again.status({ staff: null })).toMatchObject({ phase: 'signed-out', centerName: 'Harbor House', records: 'server' })
      expect(await dispatch('auth.login', { username: 'ana', password: SETUP.password }, { core: again, session: { staff: null } })).toMatchObject({ ok: true })
    } finally {
      await again.close()
    }
  })

  it('a second PC connecting to set-up records goes straight to sign-in', async () => {
    const url = await databases.make()
    const first = new PorchlightCore({ dbFile: join(tempDir(), 'porchlight.db'), keyStore: new FileKeyStore(join(tempDir(), 'k')), ...coreTime() })
    const second = new PorchlightCore({ dbFile: join(tempDir(), 'porchlight.db'), keyStore: new FileKeyStore(join(tempDir(), 'k')), ...coreTime() })
    try {
      await first.connectServer(connectionTo(url))
      await first.setup(SETUP)
      expect(await second.testConnection(connectionTo(url))).toMatchObject({ holds: 'records', setUp: true, centerName: 'Harbor House' })
      await second.connectServer(connectionTo(url))
      expect(second.status({ staff: null })).toMatchObject({ phase: 'signed-out', centerName: 'Harbor House' })
    } finally {
      await first.close()
      await second.close()
    }
  })

  it('a refused connection leaves this PC at first run, with nothing written', async () => {
    const url = await databases.make()
    const dir = tempDir()
    const keyFile = join(dir, 'porchlight.key')
    const core = new PorchlightCore({ dbFile: join(dir, 'porchlight.db'), keyStore: new FileKeyStore(keyFile), ...coreTime() })
    try {
      const refused = await dispatch('setup.connectServer', { connection: { ...connectionTo(url), password: 'wrong' } }, { core, session: { staff: null } })
      expect(refused).toMatchObject({ ok: false, error: { code: 'PG_LOGIN_REFUSED' } })
      expect(existsSync(keyFile)).toBe(false)
      expect(existsSync(join(dir, 'postgres-connection.json'))).toBe(false)
      expect(core.status({ staff: null })).toMatchObject({ phase: 'setup', records: 'file' })
    } finally {
      await core.close()
    }
  })

  it('a server gone at start: the error screen says what to check, and the retry opens it once it is back', async () => {
    const url = await databases.make()
    const dir = tempDir()
    const options = { dbFile: join(dir, 'porchlight.db'), keyStore: new FileKeyStore(join(dir, 'porchlight.key')), ...coreTime() }
    const setUpCore = new PorchlightCore(options)
    await setUpCore.connectServer(connectionTo(url))
    await setUpCore.setup(SETUP)
    await setUpCore.close()
    // The same PC later: its stored details now point at a port where nothing answers.
    const file = join(dir, 'postgres-connection.json')
    const stored = JSON.parse(readFileSync(file, 'utf8')) as { connection: { port: number } }
    const realPort = stored.connection.port
    stored.connection.port = await closedPort()
    writeFileSync(file, JSON.stringify(stored))
    const core = new PorchlightCore(options)
    try {
      await core.start()
      const status = core.status({ staff: null })
      expect(status).toMatchObject({ phase: 'error', records: 'server', error: { code: 'PG_UNREACHABLE' } })
      expect(status.error?.message).toMatch(/pg_hba\.conf/)
      stored.connection.port = realPort
      writeFileSync(file, JSON.stringify(stored))
      expect(await dispatch('app.status', {}, { core, session: { staff: null } })).toMatchObject({ ok: true, value: { phase: 'signed-out' } })
    } finally {
      await core.close()
    }
  })
})
