import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { FileKeyStore } from '../../db/keystore-file'
import type { AuditPage, StaffAccount } from '../../db/types'
import type { StaffSummary } from '../../db/services/setup'
import { MAX_FAILED_LOGINS } from '../../db/services/staff'
import type { ChannelName } from '../../electron/ipc/channels'
import type { AppStatus } from '../../electron/ipc/contract'
import { PorchlightCore, type Session } from '../../electron/ipc/core'
import { dispatch } from '../../electron/ipc/dispatch'
import { auditActions, clock, expectAuditChainIntact } from './front-desk-helpers'
import { expectError, expectOk, useTempDirs } from './helpers'

const tempDir = useTempDirs()


const ADMIN_PASSWORD = 'a long enough password'
let core: PorchlightCore
let adminDesk: Session
let admin: StaffSummary
const time = clock()
const call = (channel: ChannelName, input: unknown, session: Session = adminDesk) => dispatch(channel, input, { core, session })
const seconds = (n: number) => time.advance(n / 60)

beforeEach(async () => {
  const dir = tempDir()
  time.set('2026-11-25T15:00:00.000Z')
  core = new PorchlightCore({ dbFile: join(dir, 'porchlight.db'), keyStore: new FileKeyStore(join(dir, 'porchlight.key')), now: time.now, timeZone: 'UTC' })
  await core.start()
  adminDesk = { staff: null }
  admin = expectOk<{ staff: StaffSummary }>(
    await call('setup.create', { centerName: 'Harbor House', adminName: 'Robin Admin', username: 'robin', password: ADMIN_PASSWORD }),
  ).staff
})

afterEach(async () => {
  await core.close()
})

async function createAccount(username: string, role: StaffAccount['role'], password = 'first password 1'): Promise<StaffAccount> {
  return expectOk<StaffAccount>(await call('staff.create', { username, displayName: `${username} name`, role, password }))
}

/** Signs in on a new window, doing the forced password change; returns that window's session. */
async function signedIn(username: string, password = 'first password 1', own = 'my own password 1'): Promise<Session> {
  const session: Session = { staff: null }
  expectOk(await call('auth.login', { username, password }, session))
  if (session.mustChangePassword) {
    expectOk(await call('auth.changePassword', { currentPassword: password, newPassword: own }, session))
  }
  return session
}

describe('staff accounts', () => {
  it('an admin adds an account; its first sign-in must change the password before anything else answers', async () => {
    const made = await createAccount('dana', 'front_desk')
    expect(made).toMatchObject({ username: 'dana', role: 'front_desk', active: true, mustChangePassword: true, lockedUntil: null })
    const window: Session = { staff: null }
    expectOk(await call('auth.login', { username: 'dana', password: 'first password 1' }, window))
    expect(expectOk<AppStatus>(await call('app.status', {}, window)).phase).toBe('change-password')
    expectError(await call('visits.today', {}, window), 'PASSWORD_CHANGE_REQUIRED')
    expectError(await call('auth.changePassword', { currentPassword: 'wrong one', newPassword: 'my own password 1' }, window), 'AUTH_FAILED')
    expectError(await call('auth.changePassword', { currentPassword: 'first password 1', newPassword: 'first password 1' }, window), 'VALIDATION')
    expectError(await call('auth.changePassword', { currentPassword: 'first password 1', newPassword: 'short' }, window), 'INVALID_INPUT')
    expectOk(await call('auth.changePassword', { currentPassword: 'first password 1', newPassword: 'my own password 1' }, window))
    expect(expectOk<AppStatus>(await call('app.status', {}, window)).phase).toBe('signed-in')
    expectOk(await call('visits.today', {}, window))
    // The old password no longer works; the new one does, with no change asked.
    expectError(await call('auth.login', { username: 'dana', password: 'first password 1' }, { staff: null }), 'AUTH_FAILED')
    const again: Session = { staff: null }
    expectOk(await call('auth.login', { username: 'dana', password: 'my own password 1' }, again))
    expect(again.mustChangePassword).toBe(false)
    expect(auditActions(core.database!)).toEqual(expect.arrayContaining(['staff.create', 'staff.change_password']))
    // No password ever reaches the log.
    const details = core.database!.sqlite.prepare('SELECT detail FROM audit_log WHERE detail IS NOT NULL').all() as Array<{ detail: string }>
    for (const { detail } of details) expect(detail).not.toMatch(/password 1/)
    await expectAuditChainIntact(core.database!)
  })

  it('usernames are unique regardless of case; bad input changes nothing', async () => {
    await createAccount('dana', 'front_desk')
    const taken = expectError(await call('staff.create', { username: 'DANA', displayName: 'Other', role: 'manager', password: 'first password 1' }), 'CONFLICT')
    expect(taken.fields).toHaveProperty('username')
    expectError(await call('staff.create', { username: 'x y', displayName: 'Other', role: 'manager', password: 'first password 1' }), 'INVALID_INPUT')
    expectError(await call('staff.create', { username: 'eve', displayName: 'Eve', role: 'owner', password: 'first password 1' }), 'INVALID_INPUT')
    expect(expectOk<StaffAccount[]>(await call('staff.list', {})).map((s) => s.username).sort()).toEqual(['dana', 'robin'])
  })

  it('the last active admin cannot be deactivated or demoted; with a second admin, they can', async () => {
    const refused = expectError(await call('staff.update', { id: admin.id, role: 'manager' }), 'CONFLICT')
    expect(refused.message).toMatch(/last active admin/)
    expectError(await call('staff.update', { id: admin.id, active: false }), 'CONFLICT')
    const second = await createAccount('sam', 'admin')
    // Deactivating the second admin is fine; then the first is the last again.
    expectOk(await call('staff.update', { id: second.id, active: false }))
    expectError(await call('staff.update', { id: admin.id, role: 'manager' }), 'CONFLICT')
    expectOk(await call('staff.update', { id: second.id, active: true }))
    const demoted = expectOk<StaffAccount>(await call('staff.update', { id: admin.id, role: 'manager' }))
    expect(demoted.role).toBe('manager')
    // The demoted admin's own window follows at once: no more staff screen for them.
    expectError(await call('staff.list', {}), 'FORBIDDEN')
  })

  it('deactivating someone signs them out everywhere; a role change applies to their open window', async () => {
    const made = await createAccount('pat', 'peer_specialist')
    const window = await signedIn('pat')
    expectOk(await call('participants.list', { offset: 0, limit: 5 }, window))
    expectOk(await call('staff.update', { id: made.id, role: 'front_desk' }))
    expectError(await call('participants.list', { offset: 0, limit: 5 }, window), 'FORBIDDEN')
    expectOk(await call('staff.update', { id: made.id, active: false }))
    expectError(await call('visits.today', {}, window), 'NOT_SIGNED_IN')
    expectError(await call('auth.login', { username: 'pat', password: 'my own password 1' }, { staff: null }), 'AUTH_FAILED')
    // An admin cannot deactivate their own account.
    expectError(await call('staff.update', { id: admin.id, active: false }), 'CONFLICT')
  })

  it('repeated wrong passwords lock the account; the staff list shows it; a reset lifts it and forces a change', async () => {
    const made = await createAccount('lee', 'facilitator')
    for (let i = 0; i < MAX_FAILED_LOGINS; i++) expectError(await call('auth.login', { username: 'lee', password: `nope ${i}` }, { staff: null }), 'AUTH_FAILED')
    expectError(await call('auth.login', { username: 'lee', password: 'first password 1' }, { staff: null }), 'LOCKED_OUT')
    const listed = expectOk<StaffAccount[]>(await call('staff.list', {})).find((s) => s.id === made.id)!
    expect(listed.lockedUntil).not.toBeNull()
    const reset = expectOk<StaffAccount>(await call('staff.resetPassword', { id: made.id, password: 'handed over 22' }))
    expect(reset).toMatchObject({ lockedUntil: null, mustChangePassword: true })
    const window: Session = { staff: null }
    expectOk(await call('auth.login', { username: 'lee', password: 'handed over 22' }, window))
    expect(window.mustChangePassword).toBe(true)
  })
})

describe('idle lock', () => {
  it('main locks a window idle past the setting; only the lock screen answers until the password is given', async () => {
    expectOk(await call('settings.setSecurity', { idleLockSeconds: 60 }))
    expect(expectOk<AppStatus>(await call('app.status', {})).idleLockSeconds).toBe(60)
    seconds(30)
    expectOk(await call('visits.today', {}))
    // Polling (status, today's board) does not keep the window awake.
    seconds(40)
    expectOk(await call('app.status', {}))
    seconds(25)
    expectError(await call('catalog.services', {}), 'SESSION_LOCKED')
    expect(expectOk<AppStatus>(await call('app.status', {}))).toMatchObject({ phase: 'signed-in', locked: true, staff: { id: admin.id } })
    expectError(await call('session.unlock', { password: 'wrong password' }), 'AUTH_FAILED')
    expectError(await call('participants.search', { text: 'a' }), 'SESSION_LOCKED')
    expect(expectOk<AppStatus>(await call('session.unlock', { password: ADMIN_PASSWORD }))).toMatchObject({ locked: false })
    expectOk(await call('catalog.services', {}))
  })

  it('a touch keeps the window awake; session.lock locks at once', async () => {
    expectOk(await call('settings.setSecurity', { idleLockSeconds: 60 }))
    for (let i = 0; i < 5; i++) {
      seconds(50)
      expectOk(await call('session.touch', {}))
    }
    expectOk(await call('catalog.services', {}))
    expect(expectOk<AppStatus>(await call('session.lock', {})).locked).toBe(true)
    expectError(await call('catalog.services', {}), 'SESSION_LOCKED')
  })

  it('unlocking follows the lockout rules', async () => {
    expectOk(await call('session.lock', {}))
    for (let i = 0; i < MAX_FAILED_LOGINS; i++) expectError(await call('session.unlock', { password: `nope ${i}` }), 'AUTH_FAILED')
    expectError(await call('session.unlock', { password: ADMIN_PASSWORD }), 'LOCKED_OUT')
    time.advance(6)
    expectOk(await call('session.unlock', { password: ADMIN_PASSWORD }))
  })

  it('another person may sign in on a locked window instead; that signs the first out', async () => {
    await createAccount('dana', 'front_desk')
    await signedIn('dana')
    expectOk(await call('session.lock', {}))
    const staff = expectOk<StaffSummary>(await call('auth.login', { username: 'dana', password: 'my own password 1' }))
    expect(staff.username).toBe('dana')
    expect(expectOk<AppStatus>(await call('app.status', {}))).toMatchObject({ locked: false, staff: { username: 'dana' } })
    const last = core.database!.sqlite.prepare(`SELECT staff_id, detail FROM audit_log WHERE action = 'auth.logout' ORDER BY id DESC`).get()
    expect(last).toEqual({ staff_id: admin.id, detail: JSON.stringify({ reason: 'replaced' }) })
  })
})

describe('reads are audited', () => {
  it('opening a profile, searching and viewing the list each leave a row; a search keeps the count, not the text', async () => {
    const person = expectOk<{ id: number }>(await call('participants.create', { firstName: 'Marisol', lastName: 'Quintero' }))
    expectOk(await call('participants.get', { id: person.id }))
    expectOk(await call('participants.search', { text: 'M' }))
    // The rest of the same look-up, keystroke by keystroke, adds no rows.
    for (const text of ['Ma', 'Mar', 'Marisol']) expectOk(await call('participants.search', { text }))
    expectOk(await call('participants.list', { offset: 0, limit: 10, filter: { text: 'Quin' } }))
    const rows = core.database!.sqlite
      .prepare(`SELECT action, target_type, target_id, detail FROM audit_log WHERE action LIKE 'participant.%' AND action <> 'participant.create' ORDER BY id`)
      .all()
    expect(rows).toEqual([
      { action: 'participant.view', target_type: 'participant', target_id: person.id, detail: null },
      { action: 'participant.search', target_type: null, target_id: null, detail: JSON.stringify({ results: 1 }) },
      { action: 'participant.list', target_type: null, target_id: null, detail: JSON.stringify({ offset: 0, rows: 1, total: 1, filtered: true }) },
    ])
    // A minute later it is a new look-up, and a new row.
    time.advance(1)
    expectOk(await call('participants.search', { text: 'Quintero' }))
    expect(core.database!.sqlite.prepare(`SELECT count(*) FROM audit_log WHERE action = 'participant.search'`).pluck().get()).toBe(2)
    const everything = JSON.stringify(core.database!.sqlite.prepare('SELECT * FROM audit_log').all())
    expect(everything).not.toMatch(/Marisol|Quin/)
    await expectAuditChainIntact(core.database!)
  })

  it('the viewer pages newest first and filters by staff member, action, target and date', async () => {
    const dana = await createAccount('dana', 'front_desk')
    const window = await signedIn('dana')
    const person = expectOk<{ id: number }>(await call('participants.create', { firstName: 'Ada' }, window))
    time.advance(24 * 60)
    // A day later both windows have locked; each unlocks with its own password.
    expectOk(await call('session.unlock', { password: 'my own password 1' }, window))
    expectOk(await call('session.unlock', { password: ADMIN_PASSWORD }))
    expectOk(await call('participants.get', { id: person.id }, window))
    expectOk(await call('participants.get', { id: person.id }))
    const all = expectOk<AuditPage>(await call('audit.list', { offset: 0, limit: 3, filter: {} }))
    expect(all.rows).toHaveLength(3)
    expect(all.rows[0]!.id).toBeGreaterThan(all.rows[1]!.id)
    expect(all.total).toBeGreaterThan(3)
    const byDana = expectOk<AuditPage>(await call('audit.list', { offset: 0, limit: 50, filter: { staffId: dana.id } }))
    expect(byDana.rows.every((row) => row.staffId === dana.id && row.staffName === 'dana name')).toBe(true)
    const views = expectOk<AuditPage>(await call('audit.list', { offset: 0, limit: 50, filter: { action: 'participant.view', targetType: 'participant', targetId: person.id } }))
    expect(views.rows.map((row) => row.staffId)).toEqual([admin.id, dana.id])
    const dayTwo = expectOk<AuditPage>(await call('audit.list', { offset: 0, limit: 50, filter: { from: '2026-11-26', to: '2026-11-26' } }))
    expect(dayTwo.rows.map((row) => row.action)).toEqual(['participant.view', 'participant.view', 'auth.login', 'auth.login'])
    const dayOne = expectOk<AuditPage>(await call('audit.list', { offset: 0, limit: 50, filter: { to: '2026-11-25' } }))
    expect(dayOne.rows.every((row) => row.at < '2026-11-26')).toBe(true)
    expect(expectOk<string[]>(await call('audit.actions', {}))).toEqual(expect.arrayContaining(['participant.view', 'staff.create', 'auth.login']))
    expectError(await call('audit.list', { offset: 0, limit: 50, filter: {} }, window), 'FORBIDDEN')
  })
})
