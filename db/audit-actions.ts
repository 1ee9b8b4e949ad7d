/**
 * Every action the audit log holds, one list. `appendAudit` takes only these, so a new kind of
 * row cannot be written until it is named here, and test/unit/audit-wording.test.ts fails until
 * it is worded in both languages (renderer/src/i18n: audit.actionNames). Rows written before an
 * action was renamed or retired keep their text; the viewer words those it knows and shows the
 * others as they are.
 */
export const AUDIT_ACTIONS = [
  'admin.seed',
  'agency.activate',
  'agency.create',
  'agency.deactivate',
  'agency.update',
  'assessment.create',
  'assessment.list',
  'assessment.void',
  'attendance.anonymous',
  'attendance.mark',
  'attendance.mark_many',
  'auth.failed',
  'auth.login',
  'auth.logout',
  'backup.create',
  'backup.failed',
  'backup.restore',
  'catalog.add',
  'catalog.reorder',
  'catalog.retire',
  'catalog.unretire',
  'catalog.update',
  'closure.create',
  'closure.delete',
  'consent.create',
  'consent.list',
  'consent.revoke',
  'enrollment.admit',
  'enrollment.create',
  'enrollment.end',
  'enrollment.waitlist',
  'group.archive',
  'group.create',
  'group.update',
  'group.view',
  'integrity.failed',
  'integrity.ok',
  'key.recover',
  'key.rotate',
  'kiosk.enter',
  'kiosk.find',
  'kiosk.verify',
  'participant.accounting',
  'participant.attendance_letter',
  'participant.create',
  'participant.groups',
  'participant.list',
  'participant.merge',
  'participant.merge_undo',
  'participant.search',
  'participant.update',
  'participant.view',
  'referral.create',
  'referral.disclose',
  'referral.list',
  'referral.requests',
  'referral.update',
  'referral.view',
  'report.drill_down',
  'report.export',
  'retention.apply',
  'session.cancel',
  'session.cover',
  'session.create',
  'session.move',
  'session.record',
  'session.restore',
  'session.sheet',
  'settings.backups',
  'settings.center',
  'settings.field_rules',
  'settings.groups',
  'settings.hours',
  'settings.reports',
  'settings.retention',
  'settings.security',
  'setup.complete',
  'staff.change_password',
  'staff.create',
  'staff.reset_password',
  'staff.update',
  'visit.auto_close',
  'visit.edit',
  'visit.sign_in',
  'visit.sign_out',
  'visit.sign_out_all',
  'visit.void',
  'workforce.category_save',
  'workforce.credential_create',
  'workforce.credential_renew',
  'workforce.credential_update',
  'workforce.document_view',
  'workforce.supervision_add',
  'workforce.training_add',
  'workforce.training_confirm',
] as const

export type AuditAction = (typeof AUDIT_ACTIONS)[number]

/**
 * Actions whose row means a person's information left the center (a printed summary handed to
 * an agency, an export naming them): the accounting of disclosures lists each of them for the
 * people the row names, beside the referrals shared under a consent (read from the referrals
 * themselves). A feature that prints or exports a person's information for someone outside adds
 * its action here, with `agencyId` in the row's detail when the recipient is an agency of the
 * directory, or `recipient` (text) when it is not.
 */
export const DISCLOSURE_ACTIONS: readonly AuditAction[] = [
  // The referral summary printed for the agency (only what the consent names).
  'referral.disclose',
]

