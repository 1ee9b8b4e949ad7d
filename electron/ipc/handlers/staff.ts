import { accountingOfDisclosures } from '../../../db/services/accounting'
import { auditActions, listAudit } from '../../../db/services/audit-log'
import { getCenterHours, setCenterHours } from '../../../db/services/center-hours'
import { getCenterSettings, setCenterSettings } from '../../../db/services/center-settings'
import { centerId } from '../../../db/services/centers'
import { activeStaff } from '../../../db/services/groups'
import { setSecuritySettings } from '../../../db/services/security-settings'
import { changeOwnPassword, createStaff, listStaff, resetStaffPassword, updateStaff } from '../../../db/services/staff-accounts'
import type { staffChannels } from '../contract/staff'
import type { FeatureHandlers } from './types'

/** The handlers for staff accounts, security settings and the audit log: each a thin call into a db/ use case; input is already parsed. */
export const staffHandlers: FeatureHandlers<typeof staffChannels> = {
  'auth.changePassword': async ({ currentPassword, newPassword }, { core, session }) => {
    await changeOwnPassword(core.context(session), currentPassword, newPassword)
    session.mustChangePassword = false
    return null
  },
  'staff.list': async (_input, { core, session }) => listStaff(core.context(session)),
  'staff.directory': async (_input, { core, session }) => activeStaff(core.context(session)),
  'staff.create': async (input, { core, session }) => createStaff(core.context(session), input),
  'staff.update': async ({ id, version, ...changes }, { core, session }) => {
    const account = await updateStaff(core.context(session), id, changes, version)
    // Windows where this person is signed in follow at their next call.
    core.staffChanged(account.id, account.role, account.active)
    return account
  },
  'staff.resetPassword': async ({ id, password }, { core, session }) => resetStaffPassword(core.context(session), id, password),
  'settings.hours': async (_input, { core, session }) => getCenterHours(core.context(session).db),
  'settings.setHours': async (input, { core, session }) => setCenterHours(core.context(session), input),
  // The name is the window's center's (its centers row); the clock and the rule are the organization's settings.
  'settings.center': async (_input, { core, session }) => {
    const ctx = core.context(session)
    return getCenterSettings(ctx.db, core.timeZone, core.pcSettings.current(), centerId(ctx))
  },
  'settings.setCenter': async (input, { core, session }) => {
    const ctx = core.context(session)
    const settings = await setCenterSettings(ctx, input, core.pcSettings)
    core.centerSettingsChanged(settings, centerId(ctx))
    return settings
  },
  // This PC's, not the center's: read from the core, which keeps them in this PC's file.
  'settings.security': async (_input, { core }) => ({ idleLockSeconds: core.pcSettings.current().idleLockSeconds }),
  'settings.setSecurity': async (input, { core, session }) => setSecuritySettings(core.context(session), input, core.pcSettings),
  'audit.list': async ({ offset, limit, filter }, { core, session }) => listAudit(core.context(session), filter, offset, limit),
  'audit.actions': async (_input, { core, session }) => auditActions(core.context(session)),
  // Audited inside the use case ('participant.accounting'), in the same transaction as the read.
  'audit.accounting': async (input, { core, session }) => accountingOfDisclosures(core.context(session), input),
}
