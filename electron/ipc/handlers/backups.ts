import { BackupError, checkFolder, describeBackups, previewBackup } from '../../../db/backup'
import { getBackupSettings, lastBackupAttempt, setBackupSettings } from '../../../db/services/backup-settings'
import { ServiceError } from '../../../db/services/context'
import { lastIntegrityCheck } from '../../../db/services/integrity-check'
import { applyRetention, getRetentionPolicy, lastRetentionRun, previewRetention, setRetentionPolicy } from '../../../db/services/retention'
import type { ResultOf } from '../contract'
import type { PorchlightCore, Session } from '../core'
import { join } from 'node:path'
import type { backupsChannels } from '../contract/backups'
import type { FeatureHandlers } from './types'

async function backupOverview(core: PorchlightCore, session: Session): Promise<ResultOf<'backups.overview'>> {
  const db = core.context(session).db
  const settings = await getBackupSettings(db)
  const { last, lastSuccess } = await lastBackupAttempt(db)
  const next = await core.scheduler.nextRun()
  const lastCheck = await lastIntegrityCheck(db)
  const where = core.serverName
  const server = where ? { where, pgDump: core.pgDumpTools()?.pgDump ?? null } : null
  return { settings, last, lastSuccess, nextRunAt: next?.toISOString() ?? null, running: core.progress(), dbFile: core.dbFile, lastCheck, server }
}

async function backupFolder(core: PorchlightCore, session: Session): Promise<string> {
  const { folder } = await getBackupSettings(core.context(session).db)
  if (!folder) throw new ServiceError('VALIDATION', 'backups.chooseFolder', { field: 'folder' })
  return folder
}

async function retentionState(core: PorchlightCore, session: Session): Promise<ResultOf<'retention.policy'>> {
  const db = core.context(session).db
  return { policy: await getRetentionPolicy(db), lastRun: await lastRetentionRun(db) }
}

/** The handlers for backups, restore, the recovery key and retention: each a thin call into a db/ use case; input is already parsed. */
export const backupsHandlers: FeatureHandlers<typeof backupsChannels> = {
  'backups.overview': async (_input, { core, session }) => backupOverview(core, session),
  'backups.saveSettings': async (input, { core, session }) => {
    try {
      checkFolder(input.folder)
    } catch (error) {
      // Said on the field, so the form shows it where the path was typed.
      if (error instanceof BackupError) throw new ServiceError('VALIDATION', 'backups.folderProblem', { field: 'folder', problem: error.ref })
      throw error
    }
    await setBackupSettings(core.context(session), input)
    core.rememberBackupFolder(input.folder)
    return backupOverview(core, session)
  },
  'backups.list': async (_input, { core, session }) => {
    const { folder } = await getBackupSettings(core.context(session).db)
    if (!folder) return []
    checkFolder(folder)
    return describeBackups(folder)
  },
  'backups.run': async (_input, { core, session }) => {
    if (core.serverName) {
      // On the server: pg_dump's copy, already verified with pg_restore --list before it was kept.
      const run = await core.dumpServer(session)
      return { file: run.file, createdAt: run.createdAt, bytes: run.bytes, status: 'verified', counts: null }
    }
    const { manifest } = await core.backupNow(session)
    return { file: manifest.file, createdAt: manifest.createdAt, bytes: manifest.bytes, status: 'verified', counts: manifest.counts }
  },
  'backups.progress': async (_input, { core }) => core.progress(),
  'backups.preview': async ({ file }, { core, session }) => {
    const preview = await previewBackup(join(await backupFolder(core, session), file), core.backupKey())
    return { ...preview, file }
  },
  'backups.restore': async ({ file }, { core, session }) => core.restore(session, file),
  'backups.chooseFolder': async (_input, { core, session }) => {
    const { folder } = await getBackupSettings(core.context(session).db)
    return core.platform.chooseFolder(folder)
  },
  'backups.checkNow': async (_input, { core, session }) => core.checkIntegrity(session),
  'export.everything': async (input, { core, session }) => core.exportEverything(session, input),
  'security.newRecoveryKey': async ({ passphrase }, { core, session }) => ({ recoveryKey: await core.newRecoveryKey(session, passphrase) }),
  'retention.policy': async (_input, { core, session }) => retentionState(core, session),
  'retention.savePolicy': async (policy, { core, session }) => {
    await setRetentionPolicy(core.context(session), policy)
    return retentionState(core, session)
  },
  'retention.preview': async (override, { core, session }) => previewRetention(core.context(session), override),
  'retention.apply': async ({ expectedPeople }, { core, session }) => applyRetention(core.context(session), { expectedPeople }),
}
