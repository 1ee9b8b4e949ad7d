import { readFileSync } from 'node:fs'
import type pg from 'pg'
import { DbError, type DbErrorCode } from './errors'
import { message, type MessageRef } from '../shared/messages'

/**
 * How this PC reaches the center's PostgreSQL server. Everything but the two secrets is kept in
 * plain text beside the key store (see connection-file.ts); the password and the client key's
 * passphrase are encrypted under the key the OS key store wraps.
 */
export interface PostgresConnection {
  host: string
  port: number
  database: string
  user: string
  /** Signed in with a password, or with a client certificate and its key. */
  auth: 'password' | 'certificate'
  password?: string
  /** The CA that signed the server's certificate (PEM); without it, the system's trusted CAs. */
  caFile?: string
  certFile?: string
  keyFile?: string
  keyPassphrase?: string
}

/** The oldest server Porchlight runs on: pg_trgm, unaccent and citext are trusted extensions from 13 on. */
export const MIN_SERVER_VERSION = 130000

const LOCAL_HOSTS: ReadonlySet<string> = new Set(['localhost', '127.0.0.1', '::1', '[::1]'])

/** A server on this PC itself: the only one Porchlight talks to without TLS. */
export function isLocalHost(host: string): boolean {
  return LOCAL_HOSTS.has(host.trim().toLowerCase())
}

/** TLS (with verification) for any server but this PC's own, and whenever a CA file or a client certificate is given. */
export function usesTls(connection: PostgresConnection): boolean {
  return !isLocalHost(connection.host) || Boolean(connection.caFile) || connection.auth === 'certificate'
}

/** host:port/database, for messages and logs: never the user's password. */
export function describeConnection(connection: Pick<PostgresConnection, 'host' | 'port' | 'database'>): string {
  const host = connection.host.includes(':') && !connection.host.startsWith('[') ? `[${connection.host}]` : connection.host
  return `${host}:${connection.port}/${connection.database}`
}

type PgErrorCode = Extract<DbErrorCode, `PG_${string}`>

function pgError(code: PgErrorCode, ref: MessageRef, detail?: string): DbError {
  return new DbError(code, ref, detail)
}

function readPem(path: string, what: 'ca' | 'cert' | 'key'): string {
  try {
    return readFileSync(path, 'utf8')
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : String(error))
    throw pgError('PG_FILE', message('pg.fileUnreadable', { file: path, what: { key: `pg.file.${what}` }, reason }))
  }
}

/**
 * The pg pool's settings for a connection. Another computer is only reached over TLS with its
 * certificate checked against the CA file (or the system's CAs) and its host name; a server on
 * this PC may be reached without TLS, or with it when a CA file is given.
 */
export function poolConfig(connection: PostgresConnection): pg.PoolConfig {
  const tls = usesTls(connection)
  const ssl: pg.PoolConfig['ssl'] = tls
    ? {
        rejectUnauthorized: true,
        ...(connection.caFile ? { ca: readPem(connection.caFile, 'ca') } : {}),
        ...(connection.auth === 'certificate' && connection.certFile ? { cert: readPem(connection.certFile, 'cert') } : {}),
        ...(connection.auth === 'certificate' && connection.keyFile ? { key: readPem(connection.keyFile, 'key') } : {}),
        ...(connection.auth === 'certificate' && connection.keyPassphrase ? { passphrase: connection.keyPassphrase } : {}),
      }
    : false
  return {
    host: connection.host.replace(/^\[(.*)\]$/, '$1'),
    port: connection.port,
    database: connection.database,
    user: connection.user,
    ...(connection.auth === 'password' && connection.password !== undefined ? { password: connection.password } : {}),
    ssl,
    // A desk must not hang on a server that does not answer: ten seconds, then say so.
    connectionTimeoutMillis: 10_000,
    application_name: 'Porchlight',
  }
}

const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET', 'EPIPE'])

/** Node's TLS verdicts on a certificate it does not trust (or that names another host). */
const UNTRUSTED = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_REVOKED',
  'CERT_SIGNATURE_FAILURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
])

/**
 * What went wrong connecting, as a sentence that says what to check. Errors Porchlight raised
 * itself (DbError) pass through; pg's and Node's are sorted by their codes, never by guessing.
 */
export function connectFailure(error: unknown, connection: PostgresConnection): DbError {
  if (error instanceof DbError) return error
  const where = describeConnection(connection)
  const code = (error as { code?: unknown } | null)?.code
  const text = error instanceof Error ? error.message : String(error)
  if (text.includes('does not support SSL')) return pgError('PG_NO_TLS', message('pg.noTls', { where }), text)
  if (typeof code === 'string' && UNTRUSTED.has(code)) {
    // Node adds advice for its own command line ("try running Node.js with --use-system-ca"), which
    // means nothing to the person at the desk: the message says what to do instead.
    return pgError('PG_CERT_UNTRUSTED', message('pg.certUntrusted', { where, reason: text.replace(/; if the root CA is installed locally.*$/s, '') }), text)
  }
  if (code === '28P01') return pgError('PG_LOGIN_REFUSED', message('pg.loginRefused', { where, user: connection.user }), text)
  // 28000: pg_hba.conf has no line letting this user in from here (or not without TLS).
  if (code === '28000') return pgError('PG_NOT_ALLOWED', message('pg.notAllowed', { where, user: connection.user, reason: text }), text)
  if (code === '3D000') return pgError('PG_NO_DATABASE', message('pg.noDatabase', { where, database: connection.database }), text)
  if ((typeof code === 'string' && UNREACHABLE.has(code)) || /timeout|terminated unexpectedly/i.test(text)) {
    return pgError('PG_UNREACHABLE', message('pg.unreachable', { where, reason: text }), text)
  }
  if (/bad decrypt|bad password read|PEM|key values mismatch/i.test(text)) return pgError('PG_FILE', message('pg.clientKey', { reason: text }), text)
  return pgError('PG_FAILED', message('pg.failed', { where, reason: text }), text)
}

/**
 * SQLSTATEs of a server going away under a connection: shut down by its administrator or a
 * crash (57P01, 57P02), not accepting connections yet (57P03), and class 08, connection exceptions.
 */
const SERVER_GONE_STATES = /^(57P0[123]|08...)$/

/**
 * Whether a query failed because the server (or the way to it) went away, rather than for anything
 * the query did: the only failures the desk reports as "the server is not answering".
 */
export function isConnectionLost(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code
  if (typeof code === 'string' && (UNREACHABLE.has(code) || SERVER_GONE_STATES.test(code))) return true
  const text = error instanceof Error ? error.message : ''
  return /Connection terminated|not queryable|timeout exceeded when trying to connect/i.test(text)
}

/** What Porchlight found on a server it reached: shown by "Test connection" and logged at start. */
export interface ServerFacts {
  /** e.g. "16.4" */
  version: string
  versionNum: number
  /** The TLS version of this connection, or null when it is not encrypted (only allowed on this PC). */
  tls: string | null
}

interface QueryRunner {
  query<R extends pg.QueryResultRow>(text: string): Promise<pg.QueryResult<R>>
}

/**
 * Checks the server before anything is read or written: the connection is encrypted (as the
 * server itself reports it in pg_stat_ssl, not as the client hoped) unless the server is this PC,
 * and the server is PostgreSQL 13 or later.
 */
export async function checkServer(client: QueryRunner, connection: PostgresConnection): Promise<ServerFacts> {
  const where = describeConnection(connection)
  const { rows } = await client.query<{ num: string; version: string; ssl: boolean | null; tls: string | null }>(
    `SELECT current_setting('server_version_num') AS num, current_setting('server_version') AS version, s.ssl, s.version AS tls
       FROM (SELECT 1) AS one LEFT JOIN pg_stat_ssl AS s ON s.pid = pg_backend_pid()`,
  )
  const row = rows[0]!
  const facts: ServerFacts = { version: row.version.split(' ')[0]!, versionNum: Number(row.num), tls: row.ssl ? row.tls : null }
  if (!facts.tls && !isLocalHost(connection.host)) throw pgError('PG_NO_TLS', message('pg.noTls', { where }))
  if (facts.versionNum < MIN_SERVER_VERSION) throw pgError('PG_TOO_OLD', message('pg.tooOld', { where, version: facts.version }))
  return facts
}
