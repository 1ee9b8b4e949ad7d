import { execFile } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import pg from 'pg'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { BackupError } from '../../db/backup'
import { DbError } from '../../db/errors'
import type { PostgresConnection } from '../../db/pg-connect'
import { dumpPostgres } from '../../db/pg-dump'
import { connectionFromUrl, openPostgres, probePostgres } from '../../db/postgres'
import { TEST_START } from '../clock'
import { admin } from './admin-helpers'
import { useTempDirs } from './helpers'
import { postgresBinDir, startCluster, type TestCluster } from './pg-cluster'
import { describePostgres } from './pg-helpers'

const openssl = promisify(execFile)

/**
 * TLS with a real certificate: a server of the test's own with ssl on and a certificate signed by
 * a throwaway CA for the address 127.0.0.2 only. 127.0.0.2 is this PC's loopback, but not a name
 * Porchlight counts as this PC, so TLS with the certificate checked is required, as for the
 * center's server. The same server also answers on 127.0.0.3, an address its certificate does
 * not name.
 */
const HOST = '127.0.0.2'
const OTHER_HOST = '127.0.0.3'
const DATABASE = 'porchlight_tls'

/** A CA (self-signed) and, when `server` is set, a server key and certificate it signed for `server`. */
async function makeCa(dir: string, name: string, server?: string): Promise<{ ca: string; cert?: string; key?: string }> {
  const file = (suffix: string) => join(dir, `${name}.${suffix}`)
  // Elliptic-curve keys: made in milliseconds, where RSA takes a noticeable share of a CI run.
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes']
  await openssl('openssl', ['req', '-x509', ...ec, '-keyout', file('ca.key'), '-out', file('ca.crt'), '-days', '3650', '-subj', `/CN=${name} test CA`])
  if (!server) return { ca: file('ca.crt') }
  await openssl('openssl', ['req', ...ec, '-keyout', file('key'), '-out', file('csr'), '-subj', `/CN=${server}`])
  writeFileSync(file('ext'), `subjectAltName=IP:${server}\n`)
  await openssl('openssl', ['x509', '-req', '-in', file('csr'), '-CA', file('ca.crt'), '-CAkey', file('ca.key'), '-CAcreateserial', '-out', file('crt'), '-days', '3650', '-extfile', file('ext')])
  return { ca: file('ca.crt'), cert: file('crt'), key: file('key') }
}

async function refusal(work: Promise<unknown>): Promise<DbError> {
  const error = await work.then(
    () => null,
    (thrown: unknown) => thrown,
  )
  if (!(error instanceof DbError)) throw new Error(`expected a DbError, got ${String(error)}`)
  return error
}

describePostgres('TLS with a real certificate (a server with ssl on)', () => {
  const tempDir = useTempDirs()
  let cluster: TestCluster
  let certs: { ca: string; wrongCa: string }
  let connection: PostgresConnection
  let certDir = ''

  /** Tables in the test's database, read over TLS past Porchlight's code: nothing written on a refusal. */
  const tables = async (): Promise<number> => {
    const client = new pg.Client({ ...connection, host: HOST, ssl: { ca: readFileSync(certs.ca, 'utf8') } })
    await client.connect()
    try {
      const { rows } = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'public'`)
      return rows[0]!.n
    } finally {
      await client.end()
    }
  }

  beforeAll(async () => {
    if (!postgresBinDir()) throw new Error('No PostgreSQL server binaries to start a TLS server with')
    // The certificates outlive each test (useTempDirs empties its folders after every one).
    certDir = mkdtempSync(join(tmpdir(), 'porchlight-tls-'))
    const dir = certDir
    const right = await makeCa(dir, 'center', HOST)
    const wrong = await makeCa(dir, 'stranger')
    certs = { ca: right.ca, wrongCa: wrong.ca }
    cluster = await startCluster({
      listen: [HOST, OTHER_HOST],
      settings: { ssl: 'on', ssl_cert_file: `'server.crt'`, ssl_key_file: `'server.key'` },
      // Over TCP only with TLS: the server refuses a plain connection too.
      hba: 'local all all scram-sha-256\nhostssl all all 127.0.0.0/8 scram-sha-256\n',
      files: { 'server.crt': readFileSync(right.cert!, 'utf8'), 'server.key': readFileSync(right.key!, 'utf8') },
    })
    connection = { ...connectionFromUrl(cluster.url), database: DATABASE }
    const client = new pg.Client({ ...connection, database: 'postgres', ssl: { ca: readFileSync(certs.ca, 'utf8') } })
    await client.connect()
    await client.query(`CREATE DATABASE ${DATABASE}`)
    await client.end()
  }, 120_000)

  afterAll(async () => {
    await cluster?.remove()
    if (certDir) rmSync(certDir, { recursive: true, force: true })
  })

  it('refuses the server’s certificate without the CA file, saying to give it; nothing is written', async () => {
    expect(connection.host).toBe(HOST)
    const refused = await refusal(openPostgres(connection))
    expect(refused.code).toBe('PG_CERT_UNTRUSTED')
    expect(refused.message).toContain(`${HOST}:${cluster.port}/${DATABASE}`)
    expect(refused.message).toContain('is not trusted (unable to verify the first certificate). Give the CA file that signed the server’s certificate')
    expect(refused.message).not.toContain(cluster.password)
    expect((await refusal(probePostgres(connection))).code).toBe('PG_CERT_UNTRUSTED')
    expect(await tables()).toBe(0)
  })

  it('refuses a CA file that did not sign the server’s certificate, and the right one for an address the certificate does not name', async () => {
    expect((await refusal(openPostgres({ ...connection, caFile: certs.wrongCa }))).code).toBe('PG_CERT_UNTRUSTED')
    const elsewhere = await refusal(openPostgres({ ...connection, host: OTHER_HOST, caFile: certs.ca }))
    expect(elsewhere.code).toBe('PG_CERT_UNTRUSTED')
    expect(elsewhere.message).toContain(`IP: ${OTHER_HOST} is not in the cert's list: ${HOST}`)
    expect(await tables()).toBe(0)
  })

  it('connects with the CA file given, encrypted as the server itself reports it; init and verify work over it', async () => {
    const probed = await probePostgres({ ...connection, caFile: certs.ca })
    expect(probed).toMatchObject({ holds: 'empty', setUp: false })
    expect(probed.server.tls).toMatch(/^TLSv1\.[23]$/)
    // The admin command line names the CA as libpq does (sslrootcert).
    const url = new URL(cluster.url)
    url.pathname = `/${DATABASE}`
    url.searchParams.set('sslrootcert', certs.ca)
    const init = await admin(['init', '--postgres', url.toString(), '--center', 'Harbor House', '--admin-name', 'Ana Ruiz', '--username', 'ana'])
    expect(init.code, init.stderr).toBe(0)
    const verified = await admin(['verify', '--postgres', url.toString()])
    expect(verified.code, verified.stderr).toBe(0)
    expect(verified.stdout).toMatch(new RegExp(`Database: ${HOST}:${cluster.port}/${DATABASE} \\(PostgreSQL [\\d.]+, TLS TLSv1\\.[23]\\)`))
  })

  // After the test above: the dump is checked for the audit log's and the visits' data, which init made.
  it('pg_dump checks the certificate the same way: a dump with the CA file, a refusal with another', async () => {
    const folder = tempDir()
    const now = new Date(TEST_START)
    const dumped = await dumpPostgres({ ...connection, caFile: certs.ca }, folder, { now })
    expect(dumped.bytes).toBeGreaterThan(0)
    const refused = await dumpPostgres({ ...connection, caFile: certs.wrongCa }, tempDir(), { now }).then(
      () => null,
      (error: unknown) => error,
    )
    expect(refused).toBeInstanceOf(BackupError)
    expect((refused as BackupError).message).toMatch(/certificate verify failed/)
    expect(readdirSync(folder)).toEqual([dumped.file])
  })
})
