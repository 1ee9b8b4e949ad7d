import { join } from 'node:path'
import { afterEach, beforeEach, expect } from 'vitest'
import { generateKey } from '../../db/keys'
import { createDatabase, type OpenDatabase } from '../../db/open'
import { verifyAuditChain } from '../../db/services/audit'
import { listActiveServices, type CatalogService } from '../../db/services/catalog'
import { ServiceError, type ServiceContext, type ServiceErrorCode } from '../../db/services/context'
import { completeSetup } from '../../db/services/setup'
import { useRecords, type TestBackend } from './pg-helpers'

/** A clock the test moves by hand, so "today", durations and ordering are exact. */
export interface Clock {
  now: () => Date
  set(iso: string): void
  advance(minutes: number): void
}

export function clock(start = '2026-11-25T15:00:00.000Z'): Clock {
  let at = new Date(start)
  return {
    now: () => new Date(at),
    set(iso) {
      at = new Date(iso)
    },
    advance(minutes) {
      at = new Date(at.getTime() + minutes * 60_000)
    },
  }
}

export interface Desk {
  opened: OpenDatabase
  /** Acting as the first admin. */
  ctx: ServiceContext
  clock: Clock
  adminId: number
  services: Record<string, CatalogService>
}

/** A new encrypted database with an admin, in the given folder, on a hand-moved UTC clock. */
export async function openDesk(dir: string): Promise<Desk> {
  const opened = await createDatabase(join(dir, 'porchlight.db'), generateKey())
  return { opened, ...(await setUpCenter(opened.db)) }
}

/** A center set up on an empty database of either backend: its first admin, on a hand-moved UTC clock. */
export async function setUpCenter(db: ServiceContext['db']): Promise<Omit<Desk, 'opened'>> {
  const time = clock()
  const setupCtx: ServiceContext = { db, staffId: null, now: time.now, timeZone: 'UTC' }
  const admin = await completeSetup(setupCtx, { centerName: 'Harbor House', adminName: 'Robin Admin', username: 'robin', password: 'a long enough password' })
  const ctx: ServiceContext = { db, staffId: admin.id, now: time.now, timeZone: 'UTC' }
  const services = Object.fromEntries((await listActiveServices(ctx)).map((s) => [s.key, s]))
  return { ctx, clock: time, adminId: admin.id, services }
}

/**
 * A fresh desk for every test in the file (its folder from `tempDir`), its audit chain checked and
 * its database closed after each; call once at the top of a file and read `desk()` in the tests.
 */
export function useDesk(tempDir: () => string): () => Desk {
  let desk: Desk
  beforeEach(async () => {
    desk = await openDesk(tempDir())
  })
  afterEach(async () => {
    await expectAuditChainIntact(desk.opened)
    await desk.opened.close()
  })
  return () => desk
}

/** A desk without its SQLite handle: what setUpCenter gives on either backend. */
export type CenterDesk = Omit<Desk, 'opened'>

/**
 * A new center before each test on `backend` (inside describeEachBackend), its audit chain checked
 * after each; read it with the returned function.
 */
export function useCenter(backend: TestBackend): () => CenterDesk {
  const records = useRecords(backend)
  let desk: CenterDesk
  beforeEach(async () => {
    desk = await setUpCenter(records().db)
  })
  afterEach(async () => {
    await expectAuditChainIntact(desk.ctx)
  })
  return () => desk
}

/** Resolves to the ServiceError a promise rejected with; fails the test if it did not. */
export async function serviceError(promise: Promise<unknown>): Promise<ServiceError> {
  try {
    await promise
  } catch (error) {
    if (error instanceof ServiceError) return error
    throw error
  }
  throw new Error('expected a ServiceError, but it succeeded')
}

export async function serviceErrorCode(promise: Promise<unknown>): Promise<ServiceErrorCode> {
  return (await serviceError(promise)).code
}

export async function expectAuditChainIntact(opened: Pick<OpenDatabase, 'db'>): Promise<void> {
  const result = await verifyAuditChain(opened.db)
  expect(result.firstBroken, result.reason).toBeNull()
  expect(result.rows).toBeGreaterThan(0)
}

/** auditActions on either backend. */
export async function auditActionsOf(db: ServiceContext['db']): Promise<string[]> {
  return (await db.selectFrom('audit_log').select('action').orderBy('id').execute()).map((row) => row.action)
}

export function auditActions(opened: OpenDatabase): string[] {
  return (opened.sqlite.prepare('SELECT action FROM audit_log ORDER BY id').all() as Array<{ action: string }>).map((row) => row.action)
}
