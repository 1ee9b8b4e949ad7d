/**
 * Kept apart from the contract (no zod here) so the renderer can read the same table to decide
 * what to show. It decides nothing there: main enforces it.
 */
import type { Role } from '../../db/types'
import type { ChannelName } from './channels'

/** Who may call a channel: 'public' works without a signed-in staff member; otherwise the roles listed. */
export type Access = 'public' | readonly Role[]

const FD = 'front_desk'
const FAC = 'facilitator'
const PEER = 'peer_specialist'
const MGR = 'manager'
const ADM = 'admin'
/** Kiosk-only channels admit no staff role: a desk session never calls them. */
const KIOSK_SCREEN: readonly Role[] = []

/**
 * Who may call what: one row per channel, read top to bottom. Checked in main on every call
 * (dispatch.ts), whatever the screen shows. The policy:
 * - everyone signed in: check-in (find, register, sign in and out) and today's board, their own
 *   password and the lock; the profile, which holds only identity and visits (referrals and
 *   consents come through their own channels, closed to the front desk and facilitators);
 * - front desk: also corrects the day's visits; edits a person's details;
 * - facilitator: no edits to people's details and no list of everyone; a profile comes back
 *   limited to names, pronouns and language (handlers/participants.ts), and their own groups' sessions and attendance (handlers/groups.ts); peer specialist: details, the list and merges, and referrals, consents and the
 *   agency directory, and recovery-capital assessments; manager: everything readable (list,
 *   profiles, referrals, consents, assessments) and
 *   corrections, and keeps the agency directory, but makes no referral, consent or assessment;
 * - admin: all of that plus settings, staff accounts, the audit log, backups and retention;
 * - kiosk screens: only the kiosk channels (their own flag in the contract; no staff role here).
 */
export const PERMISSIONS = {
  // Issue 15: every signed-in account reads its own centers and switches among those granted
  // (the service checks the grant); only an admin adds, renames and archives centers, grants
  // them and sets the organization's counting rule.
  'centers.mine': [FD, FAC, PEER, MGR, ADM],
  'centers.switch': [FD, FAC, PEER, MGR, ADM],
  'centers.list': [ADM],
  'centers.create': [ADM],
  'centers.rename': [ADM],
  'centers.archive': [ADM],
  'centers.grants': [ADM],
  'centers.grant': [ADM],
  'centers.setCountingRule': [ADM],
  // Matching a person's records across centers: the organization admin's (an admin works in every
  // center in use; person-matches.ts refuses any other role too). A center's staff never see
  // another center's records through it.
  'centers.matches': [ADM],
  'centers.confirmMatch': [ADM],
  'centers.dismissMatch': [ADM],
  'centers.undoMatch': [ADM],
  'app.status': 'public',
  'app.unlock': 'public',
  // Public, but the core refuses it unless the database failed to open as damaged (phase 'error').
  'app.restoreBackup': 'public',
  'setup.create': 'public',
  // Answer only while Porchlight waits for setup (the core refuses them otherwise).
  'setup.testServer': 'public',
  'setup.connectServer': 'public',
  // Answers only while Porchlight waits for setup (the core refuses it otherwise).
  'setup.recover': 'public',
  'auth.login': 'public',
  'auth.logout': [FD, FAC, PEER, MGR, ADM],
  'auth.changePassword': [FD, FAC, PEER, MGR, ADM],
  'session.lock': [FD, FAC, PEER, MGR, ADM],
  'session.unlock': [FD, FAC, PEER, MGR, ADM],
  'session.touch': [FD, FAC, PEER, MGR, ADM],
  // Any window may report its own crash, signed in or not (the crash can come before sign-in);
  // only a message and a stack are accepted, a few a minute (handlers/app.ts).
  'app.logError': 'public',
  // Before sign-in too: a database waiting for its passphrase or refused at start is when IT is
  // called. No record's contents; what the records say about backups only to the signed-in
  // (handlers/about.ts); opening the log folder, admins only.
  'about.info': 'public',
  'about.diagnostics': 'public',
  'about.notices': 'public',
  'about.openLogFolder': [ADM],
  // Updates: off by default; only an admin turns them on, sets the address or checks now. The
  // status line is part of about.info.
  'updates.settings': [ADM],
  'updates.save': [ADM],
  'updates.check': [ADM],

  'catalog.services': [FD, FAC, PEER, MGR, ADM],
  'settings.fieldRules': [FD, FAC, PEER, MGR, ADM],
  'participants.search': [FD, FAC, PEER, MGR, ADM],
  'participants.checkDuplicates': [FD, FAC, PEER, MGR, ADM],
  'participants.create': [FD, FAC, PEER, MGR, ADM],
  'participants.get': [FD, FAC, PEER, MGR, ADM],
  'visits.signIn': [FD, FAC, PEER, MGR, ADM],
  'visits.today': [FD, FAC, PEER, MGR, ADM],
  'visits.anonymousCodes': [FD, FAC, PEER, MGR, ADM],
  'visits.signOut': [FD, FAC, PEER, MGR, ADM],
  'kiosk.enter': [FD, FAC, PEER, MGR, ADM],

  'participants.update': [FD, PEER, MGR, ADM],
  'visits.update': [FD, MGR, ADM],
  'visits.void': [FD, MGR, ADM],
  'visits.signOutAll': [FD, MGR, ADM],
  'visits.closingTime': [FD, MGR, ADM],
  'visits.autoClosed': [FD, FAC, PEER, MGR, ADM],

  'participants.list': [PEER, MGR, ADM],
  'participants.merge': [PEER, MGR, ADM],
  'participants.undoMerge': [PEER, MGR, ADM],
  'referrals.requests': [PEER, MGR, ADM],
  'referrals.list': [PEER, MGR, ADM],
  'referrals.get': [PEER, MGR, ADM],
  // A disclosure to an agency: by those who make referrals, not by readers.
  'referrals.summary': [PEER, ADM],
  'consents.list': [PEER, MGR, ADM],
  'agencies.list': [PEER, MGR, ADM],
  'agencies.save': [PEER, MGR, ADM],
  'agencies.setActive': [PEER, MGR, ADM],
  // The whole directory in or out at once: managers and admins, who answer for what it says.
  'directory.chooseFolder': [MGR, ADM],
  'directory.preview': [MGR, ADM],
  'directory.import': [MGR, ADM],
  'directory.export': [MGR, ADM],
  // A center's old records brought in from a spreadsheet: everyone's records at once, so admins only.
  'records.chooseFile': [ADM],
  'records.preview': [ADM],
  'records.import': [ADM],
  'records.progress': [ADM],
  'assessments.list': [PEER, MGR, ADM],

  'referrals.create': [PEER, ADM],
  'referrals.update': [PEER, ADM],
  'consents.create': [PEER, ADM],
  'consents.revoke': [PEER, ADM],
  // The dashboard and the funder report (issue 11): the manager's own screens. Drill-downs
  // show people, audited; report settings (small-count suppression) are the manager's call too.
  'reports.dashboard': [MGR, ADM],
  'reports.funder': [MGR, ADM],
  'reports.export': [MGR, ADM],
  'reports.drillDown': [MGR, ADM],
  'reports.settings': [MGR, ADM],
  'reports.saveSettings': [MGR, ADM],
  'reports.home': [MGR, ADM],
  // Saving the funder report as a PDF: who may read it may keep it, audited as an export.
  'pdf.funderReport': [MGR, ADM],

  'assessments.create': [PEER, ADM],
  'assessments.void': [PEER, ADM],

  'settings.setFieldRules': [ADM],
  'settings.security': [ADM],
  'settings.setSecurity': [ADM],
  'settings.hours': [ADM],
  'settings.center': [ADM],
  'settings.setCenter': [ADM],
  'settings.setHours': [ADM],
  'catalog.all': [ADM],
  'catalog.add': [ADM],
  'catalog.update': [ADM],
  'catalog.retire': [ADM],
  'catalog.reorder': [ADM],
  'staff.list': [ADM],
  'staff.create': [ADM],
  'staff.update': [ADM],
  'staff.resetPassword': [ADM],
  'audit.list': [ADM],
  'audit.actions': [ADM],
  // The accounting names every agency a person's information went to: the audit log's reader only.
  'audit.accounting': [ADM],
  'backups.overview': [ADM],
  'backups.saveSettings': [ADM],
  'backups.list': [ADM],
  'backups.run': [ADM],
  'backups.progress': [ADM],
  'backups.preview': [ADM],
  'backups.restore': [ADM],
  'backups.chooseFolder': [ADM],
  'backups.checkNow': [ADM],
  'export.everything': [ADM],
  'security.newRecoveryKey': [ADM],
  'retention.policy': [ADM],
  'retention.savePolicy': [ADM],
  'retention.preview': [ADM],
  'retention.apply': [ADM],

  // Groups and attendance. Facilitators are further limited in main (handlers-groups.ts) to their
  // own groups and to sessions they cover today; the front desk sees today's sessions and adds a
  // person to one; peer specialists see a person's group history (with facilitators' follow-ups).
  'sessions.today': [FD, FAC, MGR, ADM],
  'sessions.addPerson': [FD, FAC, MGR, ADM],
  'groups.list': [FAC, MGR, ADM],
  'groups.get': [FAC, MGR, ADM],
  'sessions.week': [FAC, MGR, ADM],
  'sessions.sheet': [FAC, MGR, ADM],
  // The sign-in sheet as a PDF: as for the sheet itself (facilitators: their own sessions), audited.
  'pdf.signInSheet': [FAC, MGR, ADM],
  'sessions.mark': [FAC, MGR, ADM],
  'sessions.markMany': [FAC, MGR, ADM],
  'sessions.markAnonymous': [FAC, MGR, ADM],
  'sessions.record': [FAC, MGR, ADM],
  'groups.personHistory': [PEER, MGR, ADM],
  'groups.save': [MGR, ADM],
  'groups.archive': [MGR, ADM],
  'groups.staff': [MGR, ADM],
  'groups.enroll': [MGR, ADM],
  'groups.unenroll': [MGR, ADM],
  'groups.admit': [MGR, ADM],
  'sessions.change': [MGR, ADM],
  'sessions.create': [MGR, ADM],
  'closures.list': [MGR, ADM],
  'closures.preview': [MGR, ADM],
  'closures.create': [MGR, ADM],
  'closures.delete': [MGR, ADM],
  // A letter listing the sessions a person attended, made only when they ask (audited with the reason).
  'groups.attendanceLetter': [PEER, MGR, ADM],
  'groups.settings': [ADM],
  'groups.saveSettings': [ADM],

  // Peer coaching (issue 13): peer specialists and managers see and write coaching records (the
  // admin too, as everywhere); the front desk learns only whether a person has a coach and who,
  // to call them over; facilitators see nothing of it. A peer specialist's caseload is their own
  // (handlers/coaching.ts); the center's coaching settings (periods, thresholds, topic list) are
  // the managers' and the admin's, as the report settings are.
  'coaching.coachOf': [FD, PEER, MGR, ADM],
  'coaching.coaches': [PEER, MGR, ADM],
  'coaching.get': [PEER, MGR, ADM],
  'coaching.caseload': [PEER, MGR, ADM],
  'coaching.start': [PEER, MGR, ADM],
  'coaching.update': [PEER, MGR, ADM],
  'coaching.setStatus': [PEER, MGR, ADM],
  'coaching.renew': [PEER, MGR, ADM],
  'coaching.transfer': [PEER, MGR, ADM],
  'coaching.schedule': [PEER, MGR, ADM],
  'coaching.meeting': [PEER, MGR, ADM],
  'coaching.logContact': [PEER, MGR, ADM],
  'coaching.warmline': [PEER, MGR, ADM],
  'coaching.linkContact': [PEER, MGR, ADM],
  'coaching.saveGoal': [PEER, MGR, ADM],
  'coaching.saveStep': [PEER, MGR, ADM],
  'coaching.planSheet': [PEER, MGR, ADM],
  'coaching.settings': [PEER, MGR, ADM],
  'coaching.saveSettings': [MGR, ADM],
  // Safety at the door (issue 19). Everyone who signs people in sees the check-in notice (ask a
  // manager: yes or no; care flags), never a restriction's reason: restrictions are the managers'.
  // Care flags are set by peer specialists and managers (and admins), one plain line each.
  'safety.checkIn': [FD, FAC, PEER, MGR, ADM],
  'careFlags.list': [FD, PEER, MGR, ADM],
  'careFlags.add': [PEER, MGR, ADM],
  'careFlags.remove': [PEER, MGR, ADM],
  'restrictions.list': [MGR, ADM],
  'restrictions.create': [MGR, ADM],
  'restrictions.lift': [MGR, ADM],
  // Incident reports: anyone signed in starts one (a facilitator from a group too) and reads and
  // fills in the ones they wrote (db/services/incidents.ts refuses anyone else's); managers and
  // admins read every one, and only they close one after review.
  'incidents.start': [FD, FAC, PEER, MGR, ADM],
  'incidents.update': [FD, FAC, PEER, MGR, ADM],
  'incidents.list': [FD, FAC, PEER, MGR, ADM],
  'incidents.get': [FD, FAC, PEER, MGR, ADM],
  'incidents.close': [MGR, ADM],
  // Naming a colleague involved in an incident: active staff's id and display name, nothing else.
  'staff.directory': [FD, FAC, PEER, MGR, ADM],
  // The peer workforce (issue 16): nobody but specialists, managers and admins sees any of it. A
  // specialist reads and adds only their own (db/services/workforce.ts refuses anyone else's);
  // credentials, supervision, confirmations, the kinds and categories, and the report are the manager's.
  'workforce.lists': [PEER, MGR, ADM],
  'workforce.overview': [PEER, MGR, ADM],
  'workforce.person': [PEER, MGR, ADM],
  'workforce.addTraining': [PEER, MGR, ADM],
  'workforce.document': [PEER, MGR, ADM],
  'workforce.reminders': [PEER, MGR, ADM],
  'workforce.saveCredential': [MGR, ADM],
  'workforce.renewCredential': [MGR, ADM],
  'workforce.confirmTraining': [MGR, ADM],
  'workforce.addSupervision': [MGR, ADM],
  'workforce.settings': [MGR, ADM],
  'workforce.saveKind': [MGR, ADM],
  'workforce.deleteKind': [MGR, ADM],
  'workforce.saveCategory': [MGR, ADM],
  'workforce.deleteCategory': [MGR, ADM],
  'workforce.report': [MGR, ADM],

  'kiosk.find': KIOSK_SCREEN,
  'kiosk.verify': KIOSK_SCREEN,
  'kiosk.services': KIOSK_SCREEN,
  'kiosk.signIn': KIOSK_SCREEN,
  'kiosk.exit': KIOSK_SCREEN,
} as const satisfies { readonly [C in ChannelName]: Access }

/** The renderer asks this only to decide what to show; main checks PERMISSIONS again on every call. */
export function roleMay(role: Role, channel: ChannelName): boolean {
  const access: Access = PERMISSIONS[channel]
  return access === 'public' || access.includes(role)
}

/** What still answers on a locked window: the lock screen's own needs, and another person signing in. */
export const WHILE_LOCKED: ReadonlySet<ChannelName> = new Set<ChannelName>(['app.status', 'session.unlock', 'auth.login', 'auth.logout', 'about.info', 'about.diagnostics', 'about.notices'])
/** What answers before a forced password change is done. */
export const WHILE_CHANGING_PASSWORD: ReadonlySet<ChannelName> = new Set<ChannelName>(['app.status', 'auth.changePassword', 'auth.logout'])
/** Calls the app makes by itself (polling): they do not count as someone at the keyboard. */
export const PASSIVE: ReadonlySet<ChannelName> = new Set<ChannelName>(['app.status', 'app.logError', 'visits.today', 'backups.overview', 'backups.progress', 'records.progress'])

