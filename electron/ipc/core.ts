import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { backupAndRotate, BackupError, checkLiveDatabase, listBackups, previewBackup, restoreDatabase, type BackupRun, type RotationPolicy } from '../../db/backup'
import { DbError, type DbErrorCode } from '../../db/errors'
import { formatRecoveryKey, generateKey, parseKey, type DbKey, type KeyStore } from '../../db/keys'
import { closeStaleVisits } from '../../db/services/center-hours'
import { createDatabase, keyReads, openDatabase, rekeyDatabase, settleUnderKey, type OpenDatabase } from '../../db/open'
import { openWithSafeUpgrade } from '../../db/upgrade'
import { appendAudit } from '../../db/services/audit'
import type { FullExportResult } from '../../db/export-types'
import type { ReportScopeChoice } from '../../db/report-types'
import type { RecordsSource } from '../../db/backup-tasks'
import { exportEverything } from '../../db/services/export/run'
import { getBackupSettings, recordBackupAttempt } from '../../db/services/backup-settings'
import { recordIntegrityCheck, type IntegrityCheck } from '../../db/services/integrity-check'
import type { ServiceContext } from '../../db/services/context'
import { ServiceError } from '../../db/services/context'
import { centerNames, FIRST_CENTER, homeCenterOf } from '../../db/services/centers'
import { completeSetup, isSetUp, type SetupInput, type StaffSummary } from '../../db/services/setup'
import { getUpdateSettings } from '../../db/services/update-settings'
import { NO_UPDATES, type UpdatesPort } from '../updates/manager'
import { getCenterSettings, type CenterSettings } from '../../db/services/center-settings'
import { DEFAULT_PC_SETTINGS, openPcSettings, PC_SETTINGS_FILE, PcSettingsFile, type PcSettings, type PcSettingsPort } from '../../db/pc-settings'
import type { Role, SessionMode } from '../../db/types'
import type { AppStatus, BackupProgress, RestoreOffer, RestoreOutcome } from './contract'
import { headlessPlatform, type Platform } from './platform'
import { BackupScheduler, systemClock, type SchedulerClock } from './scheduler'
import { message, type MessageRef } from '../../shared/messages'
import { elapsed, log } from '../../db/log'
import type { Kysely, KyselyPlugin } from 'kysely'
import type { Database } from '../../db/schema'
import { openPostgres, probePostgres, type OpenPostgres, type PostgresProbe } from '../../db/postgres'
import { ConnectionFile } from '../../db/pg-connection-file'
import type { PostgresConnection } from '../../db/pg-connect'
import { backupPostgres, findPgDump, inDumpTurn, type PgDumpRun, type PgDumpTools } from '../../db/pg-dump'
import type { ChangeListener } from '../../db/pg-listen'
import { ChangeFeed, changeFromPayload } from './changes'

/** Failures a backup can mend: the file is gone, empty or damaged, while the key is right. */
const RESTORABLE: readonly DbErrorCode[] = ['DB_DAMAGED', 'DB_EMPTY', 'DB_NOT_DATABASE', 'DB_MISSING']

/** How many of the newest backups are checked before giving up on an offer; each check reads a whole copy. */
const BACKUPS_TRIED = 5

function keyStoreFailure(error: unknown): MessageRef {
  return message('db.keyUnreadable', { reason: error instanceof Error ? error.message : String(error) })
}

/** One window's (or one test-host client's) sign-in state. Lives in main; the renderer never holds it. */
export interface Session {
  staff: StaffSummary | null
  /**
   * 'kiosk': a self check-in screen. No staff member is signed in there (`staff` is null) and
   * only kiosk channels answer. Absent means 'desk', so existing session makers need no change.
   */
  mode?: SessionMode
  /**
   * While in kiosk mode: who started it (for the audit log); `found`, the one person the last
   * look-up settled on; `pending`, the records an ambiguous look-up fits (never sent to the
   * screen); `lookups`, when recent look-ups were made, for the per-minute limit.
   */
  kiosk?: { startedBy: number; found: number[]; pending: number[]; lookups: number[] }
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
  /** When this window's recent error reports were logged (ms), for the per-minute limit. */
  errorsLogged?: number[]
  /**
   * The center this window works in (issue 15): set to the staff member's home center at sign-in,
   * changed only by `centers.switch` to a center they are granted. Absent: center 1.
   */
  centerId?: number
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
  /** Where verified backups are looked for when the database is damaged; default: `backups` beside it. */
  backupDir?: string
  now?: () => Date
  timeZone?: string
  /** The scheduler's clock (tests inject one); its `now` should agree with `now` above. */
  clock?: SchedulerClock
  /** The OS dialogs (Electron's in the app); default: none, said plainly when asked for. */
  platform?: Platform
  /** For Help → About: this build's version and where its third-party notices lie. */
  appVersion?: string
  noticesFile?: string
  /** Main's updater (electron/updates); without one this build says it cannot update itself. */
  updates?: UpdatesPort
  /**
   * Where the center's PostgreSQL server is written down when this PC keeps its records there
   * (default: `postgres-connection.json` beside the database file). Its presence is the setting.
   */
  connectionFile?: string
  /** This PC's own settings (idle lock, kiosk reset); default: `pc-settings.json` beside the database file. */
  pcSettingsFile?: string
  /** Where pg_dump and pg_restore are (tests inject them, or null for "not installed"); default: found on PATH and the usual folders. */
  pgDumpTools?: PgDumpTools | null
  /** Tests only: a plugin that sees every statement the use cases send (test/unit/center-scope.test.ts). */
  watchQueries?: KyselyPlugin
}

/** What a SQLite-only feature answers while the records are on the server, feature by feature. */
const ON_SERVER = {
  notYet: () => new ServiceError('CONFLICT', 'pg.notYet'),
  recoveryKey: () => new ServiceError('CONFLICT', 'pg.noRecoveryKey'),
  backups: () => new ServiceError('CONFLICT', 'pg.backupsOnServer'),
  check: () => new ServiceError('CONFLICT', 'pg.checkOnServer'),
} as const

/** Where the records live: the encrypted file on this PC, or the center's PostgreSQL server. */
export type RecordsLocation = 'file' | 'server'


/**
 * Owns the database for the life of the process: opens it with the stored key, runs first-run
 * setup, and hands each call a ServiceContext. Knows nothing of Electron, so the test host
 * serves the very same object.
 */
export class PorchlightCore {
  /** The encrypted SQLite file, when the records are on this PC. */
  private opened: OpenDatabase | null = null
  /** The center's PostgreSQL server, when the records are there (never both). */
  private server: OpenPostgres | null = null
  /** On the server: the LISTEN connection that hears other PCs' changes. */
  private listener: ChangeListener | null = null
  /** What changed, for the windows' live screens (see changes.ts). */
  readonly changes = new ChangeFeed()
  private openError: DbError | null = null
  private needsPassphrase = false
  /** Every center's name by id (its centers row, the name's one home): each window's header, sheets and kiosk say its own center's. */
  private centerNames = new Map<number, string>()
  private center: CenterSettings | null = null
  private setUp = false
  /** Kept only while an opened database still has no admin, to show its recovery key at setup. */
  private pendingKey: DbKey | null = null
  private staffChanges = new Map<number, StaffChange>()
  /** This PC's settings, read from its file at open (db/pc-settings.ts): read on every call, written only through `pcSettings`. */
  private pc: PcSettings = { ...DEFAULT_PC_SETTINGS }
  /** The open database's key: backups are verified with it, a new recovery key replaces it. */
  private key: DbKey | null = null
  /** The backup or restore under way, if any: one at a time, and the screen polls its step. */
  private job: BackupProgress | null = null
  /** While the file is damaged: the key that should open it, and the newest backup that passed its checks. */
  private damaged: { key: DbKey; offer: RestoreOffer | null } | null = null
  readonly now: () => Date
  /**
   * When anyone last asked something of main that a person did (timers' calls do not count), or
   * when this core was made: the scheduler keeps a check of the whole file for a quiet desk.
   */
  lastCallAt: number
  /** Scheduled backups and retention; main (and the test host) call `scheduler.start()`. */
  readonly scheduler: BackupScheduler

  constructor(private readonly options: CoreOptions) {
    this.now = options.now ?? (() => new Date())
    this.lastCallAt = this.now().getTime()
    // Without a clock of its own, the scheduler keeps the core's time (the test host moves it).
    this.scheduler = new BackupScheduler(this, options.clock ?? { ...systemClock, now: this.now })
  }

  get platform(): Platform {
    return this.options.platform ?? headlessPlatform
  }

  get dbFile(): string {
    return this.options.dbFile
  }

  get backupDir(): string {
    return this.options.backupDir ?? join(dirname(this.options.dbFile), 'backups')
  }

  /**
   * The backup folder an admin chose lives in the database, which cannot be read when the file is
   * damaged: so it is also kept in a small file beside it, for the restore offer.
   */
  private get backupFolderNote(): string {
    return `${this.options.dbFile}.backup-folder.json`
  }

  /**
   * Writes the note only when the folder changed; replaced whole (written aside, then renamed).
   * A convenience for a bad day: failing to write it never stops the records from opening or a
   * setting from being saved (the database holds the real choice).
   */
  rememberBackupFolder(folder: string | null): void {
    if (this.rememberedBackupFolder() === folder) return
    try {
      const aside = `${this.backupFolderNote}.new`
      writeFileSync(aside, `${JSON.stringify({ folder })}\n`, { mode: 0o600 })
      renameSync(aside, this.backupFolderNote)
    } catch (error) {
      log.warn('backup.folderNote', {}, error)
    }
  }

  private rememberedBackupFolder(): string | null {
    try {
      const { folder } = JSON.parse(readFileSync(this.backupFolderNote, 'utf8')) as { folder?: unknown }
      return typeof folder === 'string' ? folder : null
    } catch {
      return null
    }
  }

  /** Where the restore offer looks: the folder the admin chose, then the default beside the database. */
  private backupFolders(): string[] {
    const chosen = this.rememberedBackupFolder()
    return [...new Set([...(chosen ? [chosen] : []), this.backupDir])].filter((dir) => existsSync(dir))
  }

  /** The SQLite file's handle (null when the records are on the server): for SQLite-only work. */
  get database(): OpenDatabase | null {
    return this.opened
  }

  /** The records' Kysely, whichever backend holds them; null until open. */
  get records(): Kysely<Database> | null {
    return this.opened?.db ?? this.server?.db ?? null
  }

  /** The server's host:port/database while the records are on PostgreSQL (for About and the status). */
  get serverName(): string | null {
    return this.server?.where ?? null
  }

  /** The idle lock on this PC, in seconds. */
  get idleLockSeconds(): number {
    return this.pc.idleLockSeconds
  }

  /** Tests stretch the idle lock for one run; this PC's file is left as it was. */
  set idleLockSeconds(seconds: number) {
    this.pc = { ...this.pc, idleLockSeconds: seconds }
  }

  private get pcSettingsFile(): PcSettingsFile {
    return new PcSettingsFile(this.options.pcSettingsFile ?? join(dirname(this.options.dbFile), PC_SETTINGS_FILE))
  }

  /** The services' way to this PC's settings: a save is written down first, then followed at once. */
  readonly pcSettings: PcSettingsPort = {
    current: () => ({ ...this.pc }),
    save: (next) => {
      this.pcSettingsFile.save(next)
      this.pc = { ...next }
    },
  }

  private get connectionFile(): ConnectionFile {
    return new ConnectionFile(this.options.connectionFile ?? join(dirname(this.options.dbFile), 'postgres-connection.json'))
  }

  /** Where the records live, as chosen at first run: the connection file's presence is the setting. */
  get location(): RecordsLocation {
    return this.server || this.connectionFile.exists() ? 'server' : 'file'
  }

  get appVersion(): string {
    return this.options.appVersion ?? 'development build'
  }

  get updates(): UpdatesPort {
    return this.options.updates ?? NO_UPDATES
  }

  get noticesFile(): string | null {
    return this.options.noticesFile ?? null
  }

  /** Why the records are not open, for About (never the records themselves). */
  databaseState(): { state: 'open' | 'waiting-for-passphrase' | 'not-set-up' | 'refused' | 'busy'; refusedCode: string | null } {
    if (this.records) return { state: 'open', refusedCode: null }
    if (this.needsPassphrase) return { state: 'waiting-for-passphrase', refusedCode: null }
    if (this.openError) return { state: 'refused', refusedCode: this.openError.code }
    // Closed while a restore puts another file in place.
    if (this.job) return { state: 'busy', refusedCode: null }
    return { state: 'not-set-up', refusedCode: null }
  }

  /** Tries to open the database with the stored key; a missing key means first run. */
  async start(): Promise<void> {
    if (this.records) return
    const store = this.options.keyStore
    if (!store.exists()) {
      log.info('startup.firstRun')
      return
    }
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
    await this.openRecords(key)
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
      throw new ServiceError('CONFLICT', 'unlock.notWaiting')
    }
    // A wrong passphrase throws WRONG_PASSPHRASE and leaves Porchlight waiting for another try.
    const key = this.options.keyStore.load(passphrase)
    if (!key) throw new ServiceError('WRONG_PASSPHRASE', 'unlock.enterPassphrase')
    this.needsPassphrase = false
    await this.openRecords(key, passphrase)
  }

  /**
   * With the stored key in hand: the center's server when this PC was set up to use one (the key
   * opens the password kept beside it), else the encrypted file on this PC.
   */
  private async openRecords(key: DbKey, passphrase?: string): Promise<void> {
    if (this.connectionFile.exists()) await this.openServer(key)
    else await this.openFile(key, passphrase)
  }

  private async openServer(key: DbKey): Promise<void> {
    const started = performance.now()
    try {
      const server = await openPostgres(this.connectionFile.load(key))
      this.server = server
      this.key = key
      this.openError = null
      this.listenTo(server)
      log.info('startup.open', { backend: 'postgres', server: server.where, version: server.server.version, tls: server.server.tls, ms: elapsed(started) })
      await this.afterOpen(server.db, key, started)
    } catch (error) {
      if (!(error instanceof DbError)) {
        log.error('startup.failed', error, { ms: elapsed(started) })
        throw error
      }
      // Unreachable, refused, too new …: the error screen says what to check and offers a retry.
      log.warn('startup.refused', { code: error.code, backend: 'postgres', ms: elapsed(started) })
      this.openError = error
      this.damaged = null
    }
  }

  /** What every open reads once, whichever backend: setup state, the center's settings. */
  private async afterOpen(db: Kysely<Database>, key: DbKey, started: number): Promise<void> {
    this.setUp = await isSetUp(db)
    await this.readSettings(db)
    this.pendingKey = this.setUp ? null : key
    this.updates.configure(await getUpdateSettings(db))
    if (this.setUp) await this.closeStaleVisits()
    log.info('startup.ready', { setUp: this.setUp, ms: elapsed(started) })
  }

  /** The center's settings from the database, this PC's from its file (carried over from the database the first time). */
  private async readSettings(db: Kysely<Database>): Promise<void> {
    this.pc = await openPcSettings(this.pcSettingsFile, db)
    this.centerNames = await centerNames(db)
    this.center = await getCenterSettings(db, this.computerZone, this.pc)
  }

  /**
   * A new recovery key is kept as pending (fsynced) before the file is re-encrypted and becomes
   * the key after. After a crash in between, the key that reads the file wins: the current one
   * (the rekey never happened: the pending key is dropped) or the pending one (it did: promoted).
   */
  private settlePendingKey(key: DbKey, passphrase?: string): DbKey {
    const pending = this.options.keyStore.pending
    if (!pending?.exists()) return key
    const file = this.options.dbFile
    if (keyReads(file, key)) {
      pending.discard()
      return key
    }
    const next = pending.load(passphrase)
    if (!next || !settleUnderKey(file, next)) return key
    pending.promote()
    return next
  }

  private async openFile(storedKey: DbKey, passphrase?: string): Promise<void> {
    let key = storedKey
    const started = performance.now()
    try {
      key = this.settlePendingKey(storedKey, passphrase)
      // Every page's MAC and the file's length, not integrity_check: seconds instead of a minute on
      // a large center's file. The b-tree check runs on every backup and in `admin verify`.
      // A database from an earlier version gets a verified copy beside it before it is migrated.
      const { opened, upgrade, removed } = await openWithSafeUpgrade(this.options.dbFile, key, { check: 'pages', now: this.now() })
      this.opened = opened
      if (upgrade) log.info('startup.upgraded', { from: upgrade.from, to: upgrade.to, steps: upgrade.pending.length })
      if (removed.length > 0) log.info('startup.upgradeCopiesRemoved', { count: removed.length })
      log.info('startup.open', { check: 'pages', ms: elapsed(started) })
      this.key = key
      this.openError = null
      this.rememberBackupFolder((await getBackupSettings(this.opened.db)).folder)
      await this.afterOpen(this.opened.db, key, started)
    } catch (error) {
      if (!(error instanceof DbError)) {
        log.error('startup.failed', error, { ms: elapsed(started) })
        throw error
      }
      log.warn('startup.refused', { code: error.code, ms: elapsed(started) })
      this.openError = error
      const found = RESTORABLE.includes(error.code) ? await this.newestVerifiedBackup(key) : null
      // The screen is told what the backup holds and when it was made, not where it lies.
      this.damaged = RESTORABLE.includes(error.code) ? { key, offer: found && { file: found.file, createdAt: found.createdAt, participants: found.participants, visits: found.visits } } : null
    }
  }

  /**
   * Visits left open on earlier days close at those days' closing time: at every start, and from
   * the scheduler's tick, so at midnight while Porchlight runs. A failure here must not keep the
   * records from opening: it is logged and tried again at the next tick.
   */
  async closeStaleVisits(): Promise<void> {
    if (!this.records || !this.setUp) return
    try {
      await closeStaleVisits(this.context({ staff: null }))
    } catch (error) {
      log.error('visits.closeStale', error)
    }
  }

  /** The newest backup in the backup folder that opens with this key and passes every check. */
  private async newestVerifiedBackup(key: DbKey): Promise<(RestoreOffer & { path: string }) | null> {
    const entries = this.backupFolders()
      .flatMap((dir) => listBackups(dir))
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())
    for (const entry of entries.slice(0, BACKUPS_TRIED)) {
      try {
        const preview = await previewBackup(entry.file, key)
        return {
          path: entry.file,
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
      throw new ServiceError('CONFLICT', 'restore.notDamaged')
    }
    // Checked again now: the folder may have changed since the offer was made.
    const offer = await this.newestVerifiedBackup(damaged.key)
    if (!offer) {
      damaged.offer = null
      throw new ServiceError('RESTORE_FAILED', 'restore.noGoodBackup', { folder: this.backupFolders().join(' · ') || this.backupDir })
    }
    let asideFile: string
    try {
      ;({ asideFile } = await restoreDatabase(this.options.dbFile, offer.path, damaged.key, this.now()))
    } catch (error) {
      if (error instanceof BackupError) throw new ServiceError('RESTORE_FAILED', 'restore.failed', { reason: error.ref })
      throw error
    }
    this.openError = null
    this.damaged = null
    await this.openRecords(damaged.key)
    if (this.openError) throw new ServiceError('RESTORE_FAILED', 'restore.failed', { reason: (this.openError as DbError).ref })
    return { restoredFrom: offer.file, createdAt: offer.createdAt, asideFile: basename(asideFile) }
  }

  /** The center's zone once an admin has chosen one; until then this computer's. */
  get timeZone(): string {
    return this.center?.timeZone ?? this.computerZone
  }

  private get computerZone(): string {
    return this.options.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone
  }

  /** After Settings saves (in a window working in `centerId`): the next call's calendar day, the kiosk and the desk follow at once. */
  centerSettingsChanged(settings: CenterSettings, centerId: number = FIRST_CENTER): void {
    this.center = settings
    this.centerRenamed(centerId, settings.centerName)
  }

  /** A center renamed here (Centers screen or Settings → Center): every window of this PC says the new name at its next status. */
  centerRenamed(centerId: number, name: string): void {
    this.centerNames.set(centerId, name)
  }

  /** The centers' names read again (at sign-in and on a switch), so a rename made on another PC shows here too. */
  async refreshCenterNames(): Promise<void> {
    const db = this.records
    if (db) this.centerNames = await centerNames(db)
  }

  status(session: Session): AppStatus {
    const base = {
      // The window's center's name (before anyone signs in, the first center's); none before setup named it.
      centerName: this.setUp ? (this.centerNames.get(session.centerId ?? FIRST_CENTER) ?? null) : null,
      timeZone: this.timeZone,
      kioskResetSeconds: this.pc.kioskResetSeconds,
      requireService: this.center?.requireService ?? false,
      keyProtection: this.options.keyStore.protection,
      records: this.location,
      server: this.serverName,
      serverLost: this.server ? !this.server.reachable() : false,
      staff: null,
      error: null,
      locked: false,
      idleLockSeconds: null,
    }
    if (this.needsPassphrase) return { ...base, phase: 'unlock' }
    if (this.openError) {
      return { ...base, phase: 'error', error: { code: this.openError.code, message: this.openError.message, ref: this.openError.ref }, restore: this.damaged?.offer ?? null }
    }
    if (!this.records || !this.setUp) return { ...base, phase: 'setup' }
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
  async setup(input: SetupInput & { passphrase?: string }): Promise<{ recoveryKey: string | null; staff: StaffSummary }> {
    const db = this.records
    if (!this.setUp && db && this.pendingKey) {
      // A stored key and a database without an admin yet (made by `npm run admin -- init`, or a
      // server just connected to): status() offers setup for it, so setup finishes that database.
      const staff = await completeSetup(this.contextFor({ db }, null), input)
      // On a server the key only wraps the password on this PC: nothing to recover the records with.
      const recoveryKey = this.server ? null : formatRecoveryKey(this.pendingKey)
      this.pendingKey = null
      this.setUp = true
      this.centerNames.set(FIRST_CENTER, input.centerName.trim())
      return { recoveryKey, staff }
    }
    if (this.setUp || this.options.keyStore.exists()) {
      throw new ServiceError('ALREADY_SET_UP', 'setup.alreadySetUp')
    }
    if (this.options.keyStore.protection === 'passphrase' && !input.passphrase) {
      throw new ServiceError('VALIDATION', 'setup.choosePassphrase', {
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
      this.key = key
      this.setUp = true
      this.centerNames.set(FIRST_CENTER, input.centerName.trim())
      return { recoveryKey: formatRecoveryKey(key), staff }
    } catch (error) {
      await opened.close()
      for (const suffix of ['', '-wal', '-shm']) rmSync(`${this.options.dbFile}${suffix}`, { force: true })
      throw error
    }
  }

  private contextFor(opened: { db: Kysely<Database> }, staffId: number | null, centerId?: number): ServiceContext {
    const db = this.options.watchQueries ? opened.db.withPlugin(this.options.watchQueries) : opened.db
    return { db, staffId, now: this.now, timeZone: this.timeZone, ...(centerId !== undefined ? { centerId } : {}) }
  }

  /** Signing in starts in the staff member's home center (the kiosk keeps the center it was started in). */
  async enterHomeCenter(session: Session): Promise<void> {
    const db = this.records
    if (!db || !session.staff) return
    session.centerId = await homeCenterOf(db, session.staff.id)
    this.centerNames = await centerNames(db)
  }

  /** The context for a use case; refuses while the database is not open. */
  context(session: Session): ServiceContext {
    const db = this.records
    if (!db) throw new ServiceError('NOT_READY', 'setup.notOpen')
    return this.contextFor({ db }, session.staff?.id ?? null, session.centerId)
  }

  /**
   * "Test connection" at first run: reaches the server, checks it as opening would (TLS, version,
   * whose database it is, its schema) and says what it found. Writes nothing anywhere.
   */
  async testConnection(connection: PostgresConnection): Promise<PostgresProbe> {
    this.refuseOnceSetUp()
    return probePostgres(connection)
  }

  /**
   * First run, "connect to the center's PostgreSQL server": opens it (building Porchlight's schema
   * in an empty database), then keeps the details on this PC, the password encrypted under a new
   * key that the key store wraps exactly as it would wrap an SQLite key. The key is saved last:
   * if anything fails, this PC is left as it was (still at first run). A server whose records
   * already have an admin (another PC set it up) goes straight to sign-in; an empty one to setup.
   */
  async connectServer(connection: PostgresConnection & { passphrase?: string }): Promise<void> {
    this.refuseOnceSetUp()
    const store = this.options.keyStore
    if (store.protection === 'passphrase' && !connection.passphrase) {
      throw new ServiceError('VALIDATION', 'setup.choosePassphrase', { field: 'passphrase' })
    }
    const { passphrase, ...details } = connection
    const started = performance.now()
    const server = await openPostgres(details)
    const key = generateKey()
    const file = this.connectionFile
    try {
      file.save(details, key)
      store.save(key, passphrase)
    } catch (error) {
      file.remove()
      await server.close()
      throw error
    }
    this.server = server
    this.key = key
    this.openError = null
    this.listenTo(server)
    log.info('setup.connected', { server: server.where, version: server.server.version, tls: server.server.tls })
    await this.afterOpen(server.db, key, started)
  }

  /**
   * Hears the changes every PC commits on the server. Until the LISTEN connection is up (and
   * whenever it is lost) the feed is not live and the screens poll. This PC's own writes come back
   * too: those its windows made were told already by the door, so they reach them as this PC's.
   */
  private listenTo(server: OpenPostgres): void {
    this.changes.setLive(false)
    this.listener = server.listen({
      notified: (payload, senderPid) => {
        const change = changeFromPayload(payload)
        if (change) this.changes.publish([change], server.ownBackend(senderPid) ? 'this-pc' : 'elsewhere')
      },
      status: (live) => this.changes.setLive(live),
    })
    this.listener.start()
  }

  /** The LISTEN connection's server process, while it is up (tests end it to prove the reconnect). */
  get listenerPid(): number | null {
    return this.listener?.backendPid ?? null
  }

  private refuseOnceSetUp(): void {
    if (this.records || this.options.keyStore.exists()) throw new ServiceError('ALREADY_SET_UP', 'setup.alreadySetUp')
  }

  /**
   * A new computer (or a lost key store): opens the center's database with its recovery key and
   * keeps the key in this computer's key store. With `backupFile`, the database is first restored
   * from that backup (checked through with the key before anything is written); without it, the
   * database file must already be in place. A wrong key or a foreign file changes nothing.
   */
  async recover(input: { recoveryKey: string; backupFile?: string; passphrase?: string }): Promise<void> {
    if (this.opened || this.options.keyStore.exists()) {
      throw new ServiceError('ALREADY_SET_UP', 'setup.alreadyHasKey')
    }
    if (this.options.keyStore.protection === 'passphrase' && !input.passphrase) {
      throw new ServiceError('VALIDATION', 'setup.choosePassphrase', { field: 'passphrase' })
    }
    let key: DbKey
    try {
      key = parseKey(input.recoveryKey)
    } catch (error) {
      throw new ServiceError('VALIDATION', 'recover.notAKey', { field: 'recoveryKey', reason: error instanceof Error ? error.message : String(error) })
    }
    const file = this.options.dbFile
    const hasFile = existsSync(file)
    if (input.backupFile) {
      if (hasFile) {
        throw new ServiceError('CONFLICT', 'recover.databaseExists', { field: 'backupFile', file })
      }
      await restoreDatabase(file, input.backupFile, key, this.now())
    } else if (!hasFile) {
      throw new ServiceError('VALIDATION', 'recover.noDatabase', { field: 'backupFile', file })
    }
    // Opening reads the file before anything writes to it: a wrong key throws DB_WRONG_KEY here.
    const opened = await openDatabase(file, key)
    if (!(await isSetUp(opened.db))) {
      await opened.close()
      throw new ServiceError('CONFLICT', 'recover.noAdmin')
    }
    this.options.keyStore.save(key, input.passphrase)
    this.opened = opened
    this.key = key
    this.openError = null
    this.setUp = true
    await this.readSettings(opened.db)
    await opened.db.transaction().execute((trx) => appendAudit(trx, this.now().toISOString(), { staffId: null, action: 'key.recover', detail: { fromBackup: Boolean(input.backupFile) } }))
  }

  /**
   * Re-encrypts the database under a fresh random key, stores that key in the key store, and
   * returns it as the new recovery key (shown once). The new key is stored as pending first and
   * promoted after the rekey, so a crash at any point leaves a stored key that opens the file; if
   * the key store refuses it, the database is put back under the old key.
   */
  async newRecoveryKey(session: Session, passphrase?: string): Promise<string> {
    const opened = this.requireOpen('recoveryKey')
    const store = this.options.keyStore
    const pending = store.pending
    if (!pending) {
      throw new ServiceError('CONFLICT', 'key.fromEnvironment')
    }
    if (store.protection === 'passphrase') {
      if (!passphrase) throw new ServiceError('VALIDATION', 'key.enterPassphrase', { field: 'passphrase' })
      // Throws WRONG_PASSPHRASE before anything changes.
      store.load(passphrase)
    }
    this.startJob('rekeying')
    try {
      const old = this.key!
      const next = generateKey()
      // On disk before the file changes: whatever moment a crash strikes, a stored key opens it.
      pending.save(next, passphrase)
      try {
        rekeyDatabase(opened, next)
      } catch (error) {
        pending.discard()
        throw error
      }
      try {
        pending.promote()
      } catch (error) {
        rekeyDatabase(opened, old)
        pending.discard()
        throw error
      }
      this.key = next
      await opened.db.transaction().execute((trx) => appendAudit(trx, this.now().toISOString(), { staffId: session.staff?.id ?? null, action: 'key.rotate' }))
      return formatRecoveryKey(next)
    } finally {
      this.job = null
    }
  }

  /**
   * The SQLite file, for what only it has (its backups, its page check, its key, the worker
   * thread's own connection). On the server each such feature gives its own honest refusal.
   */
  private requireOpen(onServer: keyof typeof ON_SERVER = 'notYet'): OpenDatabase {
    if (this.server) throw ON_SERVER[onServer]()
    if (!this.opened || !this.key) throw new ServiceError('NOT_READY', 'setup.notOpen')
    return this.opened
  }

  /**
   * Where a worker thread finds the records (a full export, a records import): the live file, or
   * the server through this PC's connection file, opened there with the key handed over in memory.
   */
  workerSource(): { source: RecordsSource; db: Kysely<Database> } {
    if (this.server && this.key) return { source: { serverFile: this.connectionFile.path }, db: this.server.db }
    const opened = this.requireOpen()
    return { source: { file: opened.file }, db: opened.db }
  }

  private startJob(step: BackupProgress['step']): void {
    if (this.job) throw new ServiceError('CONFLICT', 'backups.busy')
    this.job = { step, startedAt: this.now().toISOString() }
  }

  /** The backup or restore under way, for a progress display. */
  progress(): BackupProgress | null {
    return this.job ? { ...this.job } : null
  }

  /**
   * Backs up into the configured folder and rotates, then records the outcome (with its audit
   * row) whether it worked or not. A failure leaves the database as it was and is thrown.
   */
  async backupNow(session: Session | null, scheduled = false): Promise<BackupRun> {
    const opened = this.requireOpen('backups')
    const settings = await getBackupSettings(opened.db)
    if (!settings.folder) throw new ServiceError('VALIDATION', 'backups.chooseFolder', { field: 'folder' })
    this.startJob('copying')
    const ctx = this.contextFor(opened, session?.staff?.id ?? null)
    const started = performance.now()
    try {
      const run = await backupAndRotate(opened, this.key!, settings.folder, { daily: settings.keepDaily, weekly: settings.keepWeekly }, {
        now: this.now(),
        onStep: (step) => {
          if (this.job && step !== 'done') this.job.step = step
        },
      })
      await recordBackupAttempt(ctx, { ok: true, scheduled, file: run.manifest.file, error: null }, { removed: run.removed.length })
      log.info('backup.done', { ok: true, scheduled, ms: elapsed(started), bytes: run.manifest.bytes, removed: run.removed.length })
      return run
    } catch (error) {
      if (error instanceof BackupError) await recordBackupAttempt(ctx, { ok: false, scheduled, file: null, error: error.message, errorRef: error.ref })
      log.warn('backup.done', { ok: false, scheduled, ms: elapsed(started), code: error instanceof BackupError ? error.code : null }, error)
      throw error
    } finally {
      this.job = null
    }
  }

  /** The pg_dump this PC has for the server's records, or null (the Backups screen says how to install it). */
  pgDumpTools(): PgDumpTools | null {
    return this.options.pgDumpTools === undefined ? findPgDump() : this.options.pgDumpTools
  }

  /**
   * On the server: a pg_dump copy into the chosen folder, verified, recorded and audited like a
   * file backup, on demand. The server's own backups (its IT provider's) stay the primary ones.
   * pg_dump is a child process, so main only waits on it.
   */
  async dumpServer(session: Session): Promise<PgDumpRun> {
    const server = this.server
    if (!server || !this.key) throw new ServiceError('NOT_READY', 'setup.notOpen')
    const settings = await getBackupSettings(server.db)
    if (!settings.folder) throw new ServiceError('VALIDATION', 'backups.chooseFolder', { field: 'folder' })
    return this.runDump(server, settings.folder, { daily: settings.keepDaily, weekly: settings.keepWeekly }, session.staff?.id ?? null, false)
  }

  /**
   * The scheduler's pg_dump copy, made by one PC at a time: inside the center's dump turn, and only
   * if it is still due once the turn is held (another PC may have just made it). Null when another
   * PC holds the turn or the copy is no longer due. A failure is recorded (the Backups screen and
   * the manager's home say so) and thrown.
   */
  async scheduledDump(stillDue: (db: Kysely<Database>) => Promise<boolean>): Promise<PgDumpRun | null> {
    const server = this.server
    if (!server || !this.key) return null
    return inDumpTurn(server.db, async () => {
      if (!(await stillDue(server.db))) return null
      const { folder, keepDaily, keepWeekly } = await getBackupSettings(server.db)
      return folder ? this.runDump(server, folder, { daily: keepDaily, weekly: keepWeekly }, null, true) : null
    })
  }

  /** `keep`: the dumps kept, by the file backups' daily and weekly counts (older ones in the folder are deleted after a good copy). */
  private async runDump(server: OpenPostgres, folder: string, keep: RotationPolicy, staffId: number | null, scheduled: boolean): Promise<PgDumpRun> {
    const connection = this.connectionFile.load(this.key!)
    this.startJob('copying')
    const started = performance.now()
    try {
      const { run } = await backupPostgres(this.contextFor(server, staffId), connection, folder, {
        scheduled,
        keep,
        tools: this.pgDumpTools(),
        onStep: (step) => {
          if (this.job) this.job.step = step
        },
      })
      log.info('backup.done', { ok: true, scheduled, tool: 'pg_dump', ms: elapsed(started), bytes: run.bytes, removed: run.removed.length })
      return run
    } catch (error) {
      log.warn('backup.done', { ok: false, scheduled, tool: 'pg_dump', ms: elapsed(started), code: error instanceof BackupError ? error.code : null }, error)
      throw error
    } finally {
      this.job = null
    }
  }

  /**
   * Writes the window's center's records (or, an organization admin's choice, every center's) into a zip in `folder` (on the worker thread, the desk
   * keeps working), audited; the progress display reads rows done from `progress()`.
   */
  async exportEverything(session: Session, options: { folder: string; encrypted: boolean; scope?: ReportScopeChoice | undefined }): Promise<FullExportResult> {
    const { source, db } = this.workerSource()
    this.startJob('exporting')
    try {
      return await exportEverything(source, this.key!, this.contextFor({ db }, session.staff?.id ?? null, session.centerId), options, (done, total) => {
        if (this.job) Object.assign(this.job, { done, total })
      })
    } finally {
      this.job = null
    }
  }

  /**
   * Runs PRAGMA integrity_check on the live file, on the worker thread (the desk keeps working),
   * and records the outcome with its audit row, for the Backups screen. Throws only when the
   * check could not run at all.
   */
  async checkIntegrity(session: Session | null, scheduled = false): Promise<IntegrityCheck> {
    const opened = this.requireOpen('check')
    this.startJob('checking')
    const started = performance.now()
    try {
      const problems = await checkLiveDatabase(opened, this.key!)
      const level = problems.length === 0 ? 'info' : 'warn'
      log[level]('integrity.done', { ok: problems.length === 0, scheduled, problems: problems.length, ms: elapsed(started) })
      return await recordIntegrityCheck(this.contextFor(opened, session?.staff?.id ?? null), { ok: problems.length === 0, scheduled, problems })
    } catch (error) {
      log.error('integrity.failed', error, { ms: elapsed(started) })
      throw error
    } finally {
      this.job = null
    }
  }

  /**
   * Replaces the database with a backup from the backup folder (by its file name). The backup is
   * checked through first; the current file is kept aside beside the database; if the restored
   * file does not pass its checks the current one is put back. Afterwards everyone must sign in
   * again: the restored staff list is the one that counts.
   */
  async restore(session: Session, fileName: string): Promise<{ asideFile: string; counts: Record<string, number> }> {
    const opened = this.requireOpen('backups')
    const settings = await getBackupSettings(opened.db)
    if (!settings.folder) throw new ServiceError('VALIDATION', 'backups.chooseFolder', { field: 'folder' })
    const byUsername = session.staff?.username ?? null
    const backupFile = join(settings.folder, fileName)
    this.startJob('restoring')
    try {
      // Checked while the database is still open: a foreign or damaged file is refused without
      // the live database being closed at all.
      const preview = await previewBackup(backupFile, this.key!)
      await opened.close()
      this.opened = null
      let result: Awaited<ReturnType<typeof restoreDatabase>>
      try {
        result = await restoreDatabase(this.options.dbFile, backupFile, this.key!, this.now(), preview)
      } finally {
        // Whatever happened, open what is now in place: the restored file, or the untouched one.
        await this.openRecords(this.key!)
      }
      if (this.opened) {
        const db = (this.opened as OpenDatabase).db
        await db.transaction().execute((trx) =>
          appendAudit(trx, this.now().toISOString(), { staffId: null, action: 'backup.restore', detail: { file: fileName, by: byUsername, asideFile: result.asideFile } }),
        )
      }
      session.staff = null
      return { asideFile: result.asideFile, counts: result.preview.counts }
    } finally {
      this.job = null
    }
  }

  /** The key a worker opens the records with (workerSource): the file's, or the one the connection file's secrets open with. */
  workerKey(): DbKey {
    this.workerSource()
    return this.key!
  }

  /** The key, for checking a backup in the folder before restoring it. */
  backupKey(): DbKey {
    this.requireOpen()
    return this.key!
  }

  async close(): Promise<void> {
    this.scheduler.dispose()
    await this.scheduler.drain()
    await this.opened?.close()
    this.opened = null
    await this.listener?.stop()
    this.listener = null
    await this.server?.close()
    this.server = null
  }
}
