import { rmSync } from 'node:fs'
import { DbError } from '../../db/errors'
import { formatRecoveryKey, generateKey, type DbKey, type KeyStore } from '../../db/keys'
import { createDatabase, openDatabase, type OpenDatabase } from '../../db/open'
import type { ServiceContext } from '../../db/services/context'
import { ServiceError } from '../../db/services/context'
import { completeSetup, getCenterName, isSetUp, type SetupInput, type StaffSummary } from '../../db/services/setup'
import { getSecuritySettings, DEFAULT_SECURITY } from '../../db/services/security-settings'
import type { Role, SessionMode } from '../../db/types'
import type { AppStatus } from './contract'

function keyStoreFailure(error: unknown): string {
  const reason = error instanceof Error ? error.message : String(error)
  return `Porchlight could not read its key on this computer (${reason}). Restart the computer and try again; if it still fails, an admin can open the records with the recovery key.`
}

/** One window's (or one test-host client's) sign-in state. Lives in main; the renderer never holds it. */
export interface Session {
  staff: StaffSummary | null
  /**
   * 'kiosk': a self check-in screen. No staff member is signed in there (`staff` is null) and
   * only kiosk channels answer. Absent means 'desk', so existing session makers need no change.
   */
  mode?: SessionMode
  /** While in kiosk mode: who started it (for the audit log) and the people the last search found. */
  kiosk?: { startedBy: number; found: number[] }
  /** When the staff member signed in here (ms), to apply account changes made after it. */
  since?: number
  /** Last call made by a person rather than by a timer (ms): the idle lock counts from here. */
  lastActivity?: number
  /** Idle too long: only the lock screen's channels answer until the password is given again. */
  locked?: boolean
  /** Signed in with a password an admin set: only the password change answers. */
  mustChangePassword?: boolean
  /** When this window's last search was written to the audit log (ms): one row a burst of typing. */
  searchAuditedAt?: number
}

/** A change an admin made to an account, applied to sessions that signed in before it. */
interface StaffChange {
  at: number
  role: Role
  active: boolean
}

export interface CoreOptions {
  dbFile: string
  keyStore: KeyStore
  now?: () => Date
  timeZone?: string
}

/**
 * Owns the database for the life of the process: opens it with the stored key, runs first-run
 * setup, and hands each call a ServiceContext. Knows nothing of Electron, so the test host
 * serves the very same object.
 */
export class PorchlightCore {
  private opened: OpenDatabase | null = null
  private openError: DbError | null = null
  private needsPassphrase = false
  private centerName: string | null = null
  private setUp = false
  /** Kept only while an opened database still has no admin, to show its recovery key at setup. */
  private pendingKey: DbKey | null = null
  private staffChanges = new Map<number, StaffChange>()
  /** Cached from the settings table: read on every call, written only by the settings channel. */
  idleLockSeconds = DEFAULT_SECURITY.idleLockSeconds
  readonly now: () => Date

  constructor(private readonly options: CoreOptions) {
    this.now = options.now ?? (() => new Date())
  }

  get dbFile(): string {
    return this.options.dbFile
  }

  get database(): OpenDatabase | null {
    return this.opened
  }

  /** Tries to open the database with the stored key; a missing key means first run. */
  async start(): Promise<void> {
    if (this.opened) return
    const store = this.options.keyStore
    if (!store.exists()) return
    let key: DbKey | null
    try {
      key = store.load()
    } catch (error) {
      // An unreadable key store is shown as an error, never mistaken for a first run.
      this.openError = error instanceof DbError ? error : new DbError('KEY_INVALID', keyStoreFailure(error))
      return
    }
    if (!key) {
      this.needsPassphrase = true
      return
    }
    await this.open(key)
  }

  /**
   * After a failed open, tries again: the person may have put back the right file or the OS key
   * store may have come back. Opening checks read-only first, so a retry never harms the file.
   */
  async retryAfterError(): Promise<void> {
    if (!this.openError) return
    this.openError = null
    await this.start()
  }

  /** Unlocks a passphrase-protected key. Refused unless Porchlight is waiting for exactly that. */
  async unlock(passphrase: string): Promise<void> {
    if (!this.needsPassphrase) {
      throw new ServiceError('CONFLICT', 'Porchlight is not waiting for a passphrase.')
    }
    // A wrong passphrase throws WRONG_PASSPHRASE and leaves Porchlight waiting for another try.
    const key = this.options.keyStore.load(passphrase)
    if (!key) throw new ServiceError('WRONG_PASSPHRASE', 'Enter the passphrase.')
    this.needsPassphrase = false
    await this.open(key)
  }

  private async open(key: DbKey): Promise<void> {
    try {
      // Every page's MAC and the file's length, not integrity_check: seconds instead of a minute on
      // a large center's file. The b-tree check runs on every backup and in `admin verify`.
      this.opened = await openDatabase(this.options.dbFile, key, { check: 'pages' })
      this.openError = null
      this.setUp = await isSetUp(this.opened.db)
      this.centerName = await getCenterName(this.opened.db)
      this.idleLockSeconds = (await getSecuritySettings(this.opened.db)).idleLockSeconds
      this.pendingKey = this.setUp ? null : key
    } catch (error) {
      if (!(error instanceof DbError)) throw error
      this.openError = error
    }
  }

  status(session: Session): AppStatus {
    const base = {
      centerName: this.centerName,
      keyProtection: this.options.keyStore.protection,
      staff: null,
      error: null,
      locked: false,
      idleLockSeconds: null,
    }
    if (this.needsPassphrase) return { ...base, phase: 'unlock' }
    if (this.openError) return { ...base, phase: 'error', error: { code: this.openError.code, message: this.openError.message } }
    if (!this.opened || !this.setUp) return { ...base, phase: 'setup' }
    if (session.mode === 'kiosk') return { ...base, phase: 'kiosk' }
    if (!session.staff) return { ...base, phase: 'signed-out' }
    const signedIn = { ...base, staff: session.staff, idleLockSeconds: this.idleLockSeconds }
    if (session.mustChangePassword) return { ...signedIn, phase: 'change-password' }
    return { ...signedIn, phase: 'signed-in', locked: session.locked === true }
  }

  /** Puts a staff member in this session (sign-in, setup, leaving the kiosk), with a fresh idle clock. */
  signIn(session: Session, staff: StaffSummary, mustChangePassword = false): void {
    const at = this.now().getTime()
    session.staff = staff
    session.since = at
    session.lastActivity = at
    session.locked = false
    session.mustChangePassword = mustChangePassword
  }

  signOut(session: Session): void {
    session.staff = null
    delete session.since
    delete session.lastActivity
    delete session.locked
    delete session.mustChangePassword
  }

  /** An admin changed an account: sessions signed in with it follow (a new role, or signed out). */
  staffChanged(id: number, role: Role, active: boolean): void {
    this.staffChanges.set(id, { at: this.now().getTime(), role, active })
  }

  /**
   * Brings a session up to date with account changes and the idle clock, before its call is
   * checked: a deactivated account is signed out, a changed role applies at once, and a window
   * idle for longer than the setting locks (main decides; the screen only follows).
   */
  refreshSession(session: Session): void {
    const staff = session.staff
    if (!staff) return
    const change = this.staffChanges.get(staff.id)
    if (change && change.at >= (session.since ?? 0)) {
      if (!change.active) return this.signOut(session)
      if (change.role !== staff.role) session.staff = { ...staff, role: change.role }
    }
    const now = this.now().getTime()
    session.lastActivity ??= now
    if (!session.locked && now - session.lastActivity >= this.idleLockSeconds * 1000) session.locked = true
  }

  /** First run: a new key, a new encrypted file, the first admin. Returns the recovery key, shown once. */
  async setup(input: SetupInput & { passphrase?: string }): Promise<{ recoveryKey: string; staff: StaffSummary }> {
    if (!this.setUp && this.opened && this.pendingKey) {
      // A stored key and a database without an admin yet (made by `npm run admin -- init`):
      // status() offers setup for it, so setup finishes that database rather than refusing.
      const staff = await completeSetup(this.contextFor(this.opened, null), input)
      const recoveryKey = formatRecoveryKey(this.pendingKey)
      this.pendingKey = null
      this.setUp = true
      this.centerName = input.centerName
      return { recoveryKey, staff }
    }
    if (this.setUp || this.options.keyStore.exists()) {
      throw new ServiceError('ALREADY_SET_UP', 'Porchlight is already set up on this computer. Sign in instead.')
    }
    if (this.options.keyStore.protection === 'passphrase' && !input.passphrase) {
      throw new ServiceError('VALIDATION', 'This computer cannot protect the key by itself: choose a passphrase.', {
        field: 'passphrase',
      })
    }
    const key = generateKey()
    const opened = await createDatabase(this.options.dbFile, key)
    try {
      const staff = await completeSetup(this.contextFor(opened, null), input)
      // The key is saved last: if anything above failed, no key points at a half-made database.
      this.options.keyStore.save(key, input.passphrase)
      this.opened = opened
      this.setUp = true
      this.centerName = input.centerName
      return { recoveryKey: formatRecoveryKey(key), staff }
    } catch (error) {
      await opened.close()
      for (const suffix of ['', '-wal', '-shm']) rmSync(`${this.options.dbFile}${suffix}`, { force: true })
      throw error
    }
  }

  private contextFor(opened: OpenDatabase, staffId: number | null): ServiceContext {
    return { db: opened.db, staffId, now: this.now, timeZone: this.options.timeZone }
  }

  /** The context for a use case; refuses while the database is not open. */
  context(session: Session): ServiceContext {
    if (!this.opened) throw new ServiceError('NOT_READY', 'The database is not open yet. Finish setup or unlock first.')
    return this.contextFor(this.opened, session.staff?.id ?? null)
  }

  async close(): Promise<void> {
    await this.opened?.close()
    this.opened = null
  }
}
