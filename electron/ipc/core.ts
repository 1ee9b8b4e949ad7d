import { existsSync, rmSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { BackupError, listBackups, previewBackup, restoreDatabase } from '../../db/backup'
import { DbError, type DbErrorCode } from '../../db/errors'
import { formatRecoveryKey, generateKey, type DbKey, type KeyStore } from '../../db/keys'
import { createDatabase, openDatabase, type OpenDatabase } from '../../db/open'
import type { ServiceContext } from '../../db/services/context'
import { ServiceError } from '../../db/services/context'
import { completeSetup, getCenterName, isSetUp, type SetupInput, type StaffSummary } from '../../db/services/setup'
import type { SessionMode } from '../../db/types'
import type { AppStatus, RestoreOffer, RestoreOutcome } from './contract'

/** Failures a backup can mend: the file is gone, empty or damaged, while the key is right. */
const RESTORABLE: readonly DbErrorCode[] = ['DB_DAMAGED', 'DB_EMPTY', 'DB_NOT_DATABASE', 'DB_MISSING']

/** How many of the newest backups are checked before giving up on an offer; each check reads a whole copy. */
const BACKUPS_TRIED = 5

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
}

export interface CoreOptions {
  dbFile: string
  keyStore: KeyStore
  /** Where verified backups are looked for when the database is damaged; default: `backups` beside it. */
  backupDir?: string
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
  /** While the file is damaged: the key that should open it, and the newest backup that passed its checks. */
  private damaged: { key: DbKey; offer: RestoreOffer | null } | null = null
  readonly now: () => Date

  constructor(private readonly options: CoreOptions) {
    this.now = options.now ?? (() => new Date())
  }

  get dbFile(): string {
    return this.options.dbFile
  }

  get backupDir(): string {
    return this.options.backupDir ?? join(dirname(this.options.dbFile), 'backups')
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
    this.damaged = null
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
      this.opened = await openDatabase(this.options.dbFile, key)
      this.openError = null
      this.setUp = await isSetUp(this.opened.db)
      this.centerName = await getCenterName(this.opened.db)
      this.pendingKey = this.setUp ? null : key
    } catch (error) {
      if (!(error instanceof DbError)) throw error
      this.openError = error
      this.damaged = RESTORABLE.includes(error.code) ? { key, offer: await this.newestVerifiedBackup(key) } : null
    }
  }

  /** The newest backup in the backup folder that opens with this key and passes every check. */
  private async newestVerifiedBackup(key: DbKey): Promise<RestoreOffer | null> {
    if (!existsSync(this.backupDir)) return null
    for (const entry of listBackups(this.backupDir).slice(0, BACKUPS_TRIED)) {
      try {
        const preview = await previewBackup(entry.file, key)
        return {
          file: basename(entry.file),
          createdAt: preview.createdAt ?? entry.createdAt.toISOString(),
          participants: preview.counts.participants ?? 0,
          visits: preview.counts.visits ?? 0,
        }
      } catch (error) {
        if (!(error instanceof BackupError)) throw error
        // A damaged or foreign backup is passed over for the next newest.
      }
    }
    return null
  }

  /**
   * Puts the newest verified backup in place of a damaged database, keeping the damaged file
   * aside, then opens it. Only while the status shows a damaged file; otherwise refused.
   */
  async restoreLatestBackup(): Promise<RestoreOutcome> {
    const damaged = this.damaged
    if (!this.openError || !damaged) {
      throw new ServiceError('CONFLICT', 'There is nothing to restore: the records are not damaged. Nothing was changed.')
    }
    // Checked again now: the folder may have changed since the offer was made.
    const offer = await this.newestVerifiedBackup(damaged.key)
    if (!offer) {
      damaged.offer = null
      throw new ServiceError('RESTORE_FAILED', `No backup in ${this.backupDir} passes its checks any more. Nothing was changed; ask your admin for another copy.`)
    }
    let asideFile: string
    try {
      ;({ asideFile } = await restoreDatabase(this.options.dbFile, join(this.backupDir, offer.file), damaged.key, this.now()))
    } catch (error) {
      if (error instanceof BackupError) throw new ServiceError('RESTORE_FAILED', error.message)
      throw error
    }
    this.openError = null
    this.damaged = null
    await this.open(damaged.key)
    if (this.openError) throw new ServiceError('RESTORE_FAILED', (this.openError as DbError).message)
    return { restoredFrom: offer.file, createdAt: offer.createdAt, asideFile: basename(asideFile) }
  }

  status(session: Session): AppStatus {
    const base = { centerName: this.centerName, keyProtection: this.options.keyStore.protection, staff: null, error: null }
    if (this.needsPassphrase) return { ...base, phase: 'unlock' }
    if (this.openError) {
      return { ...base, phase: 'error', error: { code: this.openError.code, message: this.openError.message }, restore: this.damaged?.offer ?? null }
    }
    if (!this.opened || !this.setUp) return { ...base, phase: 'setup' }
    if (session.mode === 'kiosk') return { ...base, phase: 'kiosk' }
    if (!session.staff) return { ...base, phase: 'signed-out' }
    return { ...base, phase: 'signed-in', staff: session.staff }
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
