import { join } from 'node:path'
import { BackupError, checkFolder, describeBackups, previewBackup } from '../../db/backup'
import { getBackupSettings, lastBackupAttempt, setBackupSettings } from '../../db/services/backup-settings'
import { lastIntegrityCheck } from '../../db/services/integrity-check'
import { applyRetention, getRetentionPolicy, lastRetentionRun, previewRetention, setRetentionPolicy } from '../../db/services/retention'
import { addService, listActiveServices, listAllServices, reorderServices, retireService, updateService } from '../../db/services/catalog'
import { ServiceError } from '../../db/services/context'
import { checkDuplicates } from '../../db/services/duplicates'
import { getFieldRules, setFieldRules } from '../../db/services/field-rules'
import { kioskFind, kioskSignIn } from '../../db/services/kiosk'
import { mergeParticipants, undoMerge } from '../../db/services/merges'
import { listParticipants } from '../../db/services/participant-list'
import { createParticipant } from '../../db/services/participants'
import { getParticipantProfile, updateParticipant } from '../../db/services/profile'
import { searchParticipants } from '../../db/services/search'
import { auditActions, listAudit, recordRead } from '../../db/services/audit-log'
import { getSecuritySettings, setSecuritySettings } from '../../db/services/security-settings'
import { changeOwnPassword, createStaff, listStaff, resetStaffPassword, updateStaff } from '../../db/services/staff-accounts'
import { authenticate, recordKioskEnter, recordLogout, signInStaff } from '../../db/services/staff'
import { anonymousCodes, signIn, signOut, signOutAll, todayVisits, updateVisit, voidVisit } from '../../db/services/visits'
import { listAgencies, saveAgency, setAgencyActive } from '../../db/services/agencies'
import { createAssessment, listAssessments, voidAssessment } from '../../db/services/assessments'
import { createConsent, listConsents, revokeConsent } from '../../db/services/consents'
import { createReferral, getReferral, listReferrals, updateReferral } from '../../db/services/referrals'
import type { ChannelName } from './channels'
import { groupsHandlers } from './handlers-groups'
import type { ParsedInputOf, ResultOf } from './contract'
import type { PorchlightCore, Session } from './core'

/** Searches within this long of the last audited one belong to the same look-up. */
export const SEARCH_AUDIT_WINDOW_MS = 60_000

export interface CallContext {
  core: PorchlightCore
  session: Session
}

async function backupOverview(core: PorchlightCore, session: Session): Promise<ResultOf<'backups.overview'>> {
  const db = core.context(session).db
  const settings = await getBackupSettings(db)
  const { last, lastSuccess } = await lastBackupAttempt(db)
  const next = await core.scheduler.nextRun()
  const lastCheck = await lastIntegrityCheck(db)
  return { settings, last, lastSuccess, nextRunAt: next?.toISOString() ?? null, running: core.progress(), dbFile: core.dbFile, lastCheck }
}

async function backupFolder(core: PorchlightCore, session: Session): Promise<string> {
  const { folder } = await getBackupSettings(core.context(session).db)
  if (!folder) throw new ServiceError('VALIDATION', 'Choose a backup folder first.', { field: 'folder' })
  return folder
}

async function retentionState(core: PorchlightCore, session: Session): Promise<ResultOf<'retention.policy'>> {
  const db = core.context(session).db
  return { policy: await getRetentionPolicy(db), lastRun: await lastRetentionRun(db) }
}

export type Handler<C extends ChannelName> = (input: ParsedInputOf<C>, call: CallContext) => Promise<ResultOf<C>>

/** The kiosk part of a session; dispatch lets kiosk-only channels through only in kiosk mode. */
function kioskState(session: Session): { startedBy: number; found: number[] } {
  if (session.mode !== 'kiosk' || !session.kiosk) throw new ServiceError('CONFLICT', 'This screen is not in self check-in mode.')
  return session.kiosk
}

/** One handler per channel, each a thin call into a db/ use case. Input here is already parsed. */
export const handlers: { readonly [C in ChannelName]: Handler<C> } = {
  'app.status': async (_input, { core, session }) => {
    await core.retryAfterError()
    return core.status(session)
  },
  'app.unlock': async ({ passphrase }, { core, session }) => {
    await core.unlock(passphrase)
    return core.status(session)
  },
  'app.restoreBackup': async (_input, { core }) => core.restoreLatestBackup(),
  'setup.create': async (input, { core, session }) => {
    const result = await core.setup(input)
    core.signIn(session, result.staff)
    return result
  },
  'auth.login': async ({ username, password }, { core, session }) => {
    // On a locked window someone else may sign in instead: that signs the first person out.
    const previous = session.staff
    const { staff, mustChangePassword } = await signInStaff(core.context(session), username, password)
    if (previous && previous.id !== staff.id) await recordLogout(core.context(session), 'replaced')
    core.signIn(session, staff, mustChangePassword)
    return staff
  },
  'auth.logout': async (_input, { core, session }) => {
    await recordLogout(core.context(session))
    core.signOut(session)
    return null
  },
  'auth.changePassword': async ({ currentPassword, newPassword }, { core, session }) => {
    await changeOwnPassword(core.context(session), currentPassword, newPassword)
    session.mustChangePassword = false
    return null
  },
  'session.lock': async (_input, { core, session }) => {
    session.locked = true
    return core.status(session)
  },
  'session.unlock': async ({ password }, { core, session }) => {
    const staff = session.staff
    if (!staff) throw new ServiceError('CONFLICT', 'You are signed out. Sign in again to continue.')
    if (session.locked) {
      // The same rules as signing in: wrong passwords count toward the account's lockout.
      await authenticate(core.context(session), staff.username, password, { via: 'unlock' })
      session.locked = false
      session.lastActivity = core.now().getTime()
    }
    return core.status(session)
  },
  'session.touch': async () => null,
  'catalog.services': async (_input, { core, session }) => listActiveServices(core.context(session)),
  'participants.search': async ({ text, limit }, { core, session }) => {
    const found = await searchParticipants({ ...core.context(session), sqlite: core.database?.sqlite }, text, limit)
    // The fact and the count, never the text: what was typed is itself a name, and the log keeps it
    // forever. One row per minute of searching, not one per keystroke: each row is a disk flush,
    // and a keystroke's row says no more than the first one did.
    const now = core.now().getTime()
    if (text.trim() && !(session.searchAuditedAt !== undefined && now - session.searchAuditedAt < SEARCH_AUDIT_WINDOW_MS)) {
      await recordRead(core.context(session), { action: 'participant.search', detail: { results: found.length } })
      session.searchAuditedAt = now
    }
    return found
  },
  'participants.create': async (input, { core, session }) => createParticipant(core.context(session), input),
  'visits.signIn': async (input, { core, session }) => signIn(core.context(session), input),
  'visits.today': async (filter, { core, session }) => todayVisits(core.context(session), filter),

  'settings.fieldRules': async (_input, { core, session }) => getFieldRules(core.context(session).db),
  'settings.setFieldRules': async ({ rules }, { core, session }) => setFieldRules(core.context(session), rules),

  'participants.checkDuplicates': async (input, { core, session }) => checkDuplicates(core.context(session), input),
  // Audited inside the use case ('participant.view'), in the same transaction as the read.
  // Facilitators get the limited profile (names, pronouns, language); main decides, not the screen.
  'participants.get': async ({ id }, { core, session }) =>
    getParticipantProfile(core.context(session), id, { limited: session.staff?.role === 'facilitator' }),
  'participants.update': async ({ id, ...fields }, { core, session }) => updateParticipant(core.context(session), id, fields),
  'participants.list': async (input, { core, session }) => {
    const page = await listParticipants(core.context(session), input)
    const filter = input.filter
    const filtered = Boolean(filter?.text?.trim() || filter?.visitedSince || filter?.neverVisited)
    await recordRead(core.context(session), {
      action: 'participant.list',
      detail: { offset: input.offset, rows: page.rows.length, total: page.total, filtered },
    })
    return page
  },
  'participants.merge': async ({ keepId, mergeId, note }, { core, session }) => mergeParticipants(core.context(session), keepId, mergeId, note),
  'participants.undoMerge': async ({ mergeId }, { core, session }) => undoMerge(core.context(session), mergeId),

  'visits.anonymousCodes': async ({ prefix }, { core, session }) => anonymousCodes(core.context(session), prefix),
  'visits.signOut': async ({ visitId }, { core, session }) => signOut(core.context(session), visitId),
  'visits.signOutAll': async (_input, { core, session }) => signOutAll(core.context(session)),
  'visits.update': async ({ visitId, ...changes }, { core, session }) => updateVisit(core.context(session), visitId, changes),
  'visits.void': async ({ visitId, reason }, { core, session }) => {
    await voidVisit(core.context(session), visitId, reason)
    return null
  },

  'catalog.all': async (_input, { core, session }) => listAllServices(core.context(session)),
  'catalog.add': async (input, { core, session }) => addService(core.context(session), input),
  'catalog.update': async ({ id, ...names }, { core, session }) => updateService(core.context(session), id, names),
  'catalog.retire': async ({ id, retired }, { core, session }) => retireService(core.context(session), id, retired),
  'catalog.reorder': async ({ ids }, { core, session }) => reorderServices(core.context(session), ids),

  'backups.overview': async (_input, { core, session }) => backupOverview(core, session),
  'backups.saveSettings': async (input, { core, session }) => {
    try {
      checkFolder(input.folder)
    } catch (error) {
      // Said on the field, so the form shows it where the path was typed.
      if (error instanceof BackupError) throw new ServiceError('VALIDATION', error.message, { field: 'folder' })
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
  'security.newRecoveryKey': async ({ passphrase }, { core, session }) => ({ recoveryKey: await core.newRecoveryKey(session, passphrase) }),
  'setup.recover': async (input, { core, session }) => {
    await core.recover(input)
    return core.status(session)
  },
  'retention.policy': async (_input, { core, session }) => retentionState(core, session),
  'retention.savePolicy': async (policy, { core, session }) => {
    await setRetentionPolicy(core.context(session), policy)
    return retentionState(core, session)
  },
  'retention.preview': async (override, { core, session }) => previewRetention(core.context(session), override),
  'retention.apply': async ({ expectedPeople }, { core, session }) => applyRetention(core.context(session), { expectedPeople }),

  'kiosk.enter': async (_input, { core, session }) => {
    const staff = session.staff
    if (!staff) throw new ServiceError('CONFLICT', 'Sign in first, then start self check-in.')
    await recordKioskEnter(core.context(session))
    // From here on this window has no staff member: records stay out of reach until one unlocks it.
    session.mode = 'kiosk'
    core.signOut(session)
    session.kiosk = { startedBy: staff.id, found: [] }
    return core.status(session)
  },
  'kiosk.find': async (input, { core, session }) => {
    const kiosk = kioskState(session)
    const query = input.code !== undefined ? { code: input.code } : { firstName: input.firstName!, birthYear: input.birthYear! }
    const matches = await kioskFind(core.context(session), query, kiosk.startedBy)
    kiosk.found = matches.map((match) => match.id)
    return matches
  },
  'kiosk.services': async (_input, { core, session }) => listActiveServices(core.context(session)),
  'kiosk.signIn': async (input, { core, session }) => {
    const kiosk = kioskState(session)
    const result = await kioskSignIn(core.context(session), input, kiosk)
    // One sign-in per search: the next person starts from their own name.
    kiosk.found = []
    return result
  },
  'kiosk.exit': async ({ username, password }, { core, session }) => {
    kioskState(session)
    const { staff, mustChangePassword } = await signInStaff(core.context(session), username, password, { via: 'kiosk' })
    session.mode = 'desk'
    delete session.kiosk
    core.signIn(session, staff, mustChangePassword)
    return staff
  },

  'staff.list': async (_input, { core, session }) => listStaff(core.context(session)),
  'staff.create': async (input, { core, session }) => createStaff(core.context(session), input),
  'staff.update': async ({ id, ...changes }, { core, session }) => {
    const account = await updateStaff(core.context(session), id, changes)
    // Windows where this person is signed in follow at their next call.
    core.staffChanged(account.id, account.role, account.active)
    return account
  },
  'staff.resetPassword': async ({ id, password }, { core, session }) => resetStaffPassword(core.context(session), id, password),
  'settings.security': async (_input, { core, session }) => getSecuritySettings(core.context(session).db),
  'settings.setSecurity': async (input, { core, session }) => {
    const settings = await setSecuritySettings(core.context(session), input)
    core.idleLockSeconds = settings.idleLockSeconds
    return settings
  },
  'audit.list': async ({ offset, limit, filter }, { core, session }) => listAudit(core.context(session), filter, offset, limit),
  'audit.actions': async (_input, { core, session }) => auditActions(core.context(session)),

  'agencies.list': async ({ includeInactive }, { core, session }) => listAgencies(core.context(session), { includeInactive }),
  'agencies.save': async (input, { core, session }) => saveAgency(core.context(session), input),
  'agencies.setActive': async ({ id, active }, { core, session }) => setAgencyActive(core.context(session), id, active),
  // Reads of consents and referrals are audited inside the use cases, in the read's transaction.
  'consents.list': async ({ participantId }, { core, session }) => listConsents(core.context(session), participantId),
  'consents.create': async (input, { core, session }) => createConsent(core.context(session), input),
  'consents.revoke': async ({ id, note }, { core, session }) => revokeConsent(core.context(session), id, note),
  'referrals.list': async ({ offset, limit, filter }, { core, session }) => listReferrals(core.context(session), filter, offset, limit),
  'referrals.get': async ({ id }, { core, session }) => getReferral(core.context(session), id),
  'referrals.create': async (input, { core, session }) => createReferral(core.context(session), input),
  'referrals.update': async ({ id, ...change }, { core, session }) => updateReferral(core.context(session), id, change),
  'assessments.list': async ({ participantId }, { core, session }) => listAssessments(core.context(session), participantId),
  'assessments.create': async (input, { core, session }) => createAssessment(core.context(session), input),
  'assessments.void': async ({ id, reason }, { core, session }) => voidAssessment(core.context(session), id, reason),
  ...groupsHandlers,
}
