/**
 * What a full export holds and what each of its columns means: the data dictionary written into
 * the zip beside the CSV files. A table is either described here or named in NOT_EXPORTED with
 * the reason; the unit test fails when a migration adds a table or a column that is neither, so
 * the dictionary cannot fall behind the schema.
 */

/** Tables a center's export leaves out, and why (said in the dictionary's notes too). */
export const NOT_EXPORTED: Record<string, string> = {
  report_days: 'Daily counts kept for fast reports; recounted from visits and attendance.',
  report_person_months: 'Monthly counts kept for fast reports; recounted from visits.',
  report_month_returns: 'Monthly return counts kept for fast reports; recounted from visits.',
  report_day_returns: 'Daily return counts kept for fast reports; recounted from visits.',
  report_referral_states: "Each referral's first acceptance, first help and latest event, kept for fast reports; recounted from referrals and their events.",
  report_group_days: 'Per group and day, the people who attended and the enrolled people expected, kept for fast reports; recounted from attendance, sessions and enrollments.',
  report_group_people: 'Per group, person and month, the days the person attended, kept for fast reports; recounted from attendance and sessions.',
  report_assessment_steps: "Each counted assessment with the person's first total and the day of their next one, kept for fast reports; recounted from assessments.",
  report_referral_months: 'Per month, kind and latest status, the referrals made, accepted and connected, kept for fast reports; recounted from referrals and their events.',
  report_last_days: 'Per month, kind of activity and service, how many people were last active on each day of the month, kept for fast reports; recounted from the monthly counts.',
  report_group_last_days: 'Per month and group, how many people last attended on each day of the month, kept for fast reports; recounted from attendance and sessions.',
  report_group_month_returns: 'Per month and group, how many people had last attended in each earlier month, kept for fast reports; recounted from attendance and sessions.',
  report_group_day_returns: 'Per month and group, how many people had last attended on each earlier day, kept for fast reports; recounted from attendance and sessions.',
  write_requests: "The answers to the last day's writes, kept so a write retried after its answer was lost is not made twice; every record in them is in its own file.",
}

/** Search indexes (SQLite FTS5 and its shadow tables): rebuilt from participants. */
export function isSearchIndex(table: string): boolean {
  return table.startsWith('participant_search')
}

/** Columns never written: secrets, and file contents that go into the zip as files of their own. */
export const OMITTED_COLUMNS: Record<string, readonly string[]> = {
  staff: ['password_hash'],
  workforce_documents: ['content'],
}

/** The column an export adds to workforce_documents.csv: where the document's file is inside the zip. */
export const DOCUMENT_PATH_COLUMN = 'file_in_zip'

export const TABLE_NOTES: Record<string, string> = {
  settings: "The organization's settings (opening hours, fields collected, backups, retention, each center's last directory import), one JSON value per key; a center's name is in centers.csv.",
  staff: 'Staff accounts. Password hashes are not exported: nobody can sign in with this file.',
  participants: 'People who came to the center. A merged record points to the record it was merged into.',
  services: "The center's list of services offered at a visit.",
  visits: 'Each visit (sign-in) to the center; a voided visit stays with its reason but never counts.',
  visit_services: 'The services given at each visit.',
  audit_log: 'Every write and every look at a person’s record, in order; each row’s hash covers the one before it.',
  participant_merges: 'Records merged into another as duplicates, with what moved (a merge can be undone).',
  participant_aliases: 'Old codes that still find the record they were merged into.',
  visit_changes: 'Corrections to visits: edits, voids and sign-outs, with the values before and after.',
  agencies: 'The partner directory: agencies people are referred to.',
  agency_referral_types: 'The kinds of referral each agency takes.',
  consents: 'Signed consents to share information with one agency (42 CFR Part 2).',
  referrals: 'Referrals of a person to an agency.',
  referral_events: "Each change of a referral's status, in order.",
  assessments: 'Recovery capital assessments (BARC-10).',
  groups: 'Groups and meetings the center runs.',
  group_facilitators: "Who facilitates each group.",
  closures: 'Days a center is closed (no group sessions there); each center closes its own days.',
  group_sessions: 'Each session of a group.',
  enrollments: 'People enrolled in (or waiting for) a group that takes enrollments.',
  attendance: 'Who attended each group session.',
  coaching_engagements: 'Peer coaching: a person’s engagement with a peer specialist.',
  coaching_events: 'Changes to a coaching engagement, in order.',
  coaching_meetings: 'Coaching meetings planned or held.',
  coaching_contacts: 'Coaching contacts logged (meetings, calls, texts, warmline calls).',
  plan_goals: 'Goals in a person’s recovery plan.',
  plan_steps: 'Steps toward each goal.',
  plan_changes: 'Changes to recovery plans, in order.',
  restrictions: 'Safety: restrictions on a person’s visits (managers and admins only).',
  care_flags: 'Safety: care notes for staff at the door.',
  incidents: 'Incident reports: an overdose on site, a medical emergency, a fight, the police (managers and admins read them all).',
  incident_people: 'Who was involved in each incident: a participant, someone anonymous or a staff member.',
  incident_history: 'Every change to an incident report, with who and when.',
  import_files: "Spreadsheets of a center's old records imported into Porchlight (people lists and sign-in logs).",
  import_rows: "Each imported row, by its identity, and the record it became: an import never brings a row into a center twice (the row's center is its file's).",
  workforce_categories: 'Training categories for the peer workforce.',
  workforce_credential_kinds: 'Kinds of credential and their renewal requirements.',
  workforce_documents: "Scanned copies of credentials and training proof; each file is in the zip's documents folder.",
  workforce_credentials: "Staff members' credentials (certifications).",
  workforce_training: 'Training hours logged by staff.',
  workforce_supervision: 'Supervision hours logged.',
  centers: 'The centers of the organization; the first (id 1) is the center the records belonged to before there could be several.',
  staff_centers: 'The centers a staff account may work in beside its home center, granted by an admin.',
  person_matches: "Records at different centers an admin confirmed to be one person (only while the centers match people do the organization's figures count them once): one row per matched record.",
  person_match_dismissals: 'Pairs of records at different centers an admin said are not the same person, so they are not proposed again.',
}

const JSON_ARRAY = 'JSON array'

/**
 * Meanings of columns the rules in `meaning` do not cover (or cover too vaguely). Keys are
 * table names; the test asserts that every exported column ends up with a meaning.
 */
export const COLUMN_NOTES: Record<string, Record<string, string>> = {
  settings: { key: 'The setting’s name.', value: 'The setting’s value, as JSON.', row_version: 'Counts the saved changes of the center’s settings (1 when made); a change made in a form read at an older version is refused.' },
  staff: {
    username: 'The name the staff member signs in with.',
    display_name: 'Name shown in the app.',
    role: 'admin, manager, peer (peer specialist) or front_desk.',
    failed_logins: 'Wrong passwords in a row since the last sign-in.',
    locked_until: 'Sign-in refused until this moment after too many wrong passwords (ISO 8601, UTC).',
    must_change_password: '1: must choose a new password at the next sign-in.',
    row_version: 'Counts the saved changes of the account’s name, role or active (1 when made); a change made in a form read at an older version is refused.',
  },
  participants: {
    code: 'Short code a person can say or show; survives name changes and merges.',
    row_version: 'Counts the saved edits of the record (1 when made); an edit made in a form read at an older version is refused.',
    first_name: 'First name.',
    nickname: 'The name the person goes by.',
    last_name: 'Last name.',
    birth_year: 'Year of birth.',
    phone: 'Phone number as typed.',
    phone_digits: 'The phone number’s digits only (for finding someone by the last four).',
    name_key: 'Names in lower case without accents, for matching.',
    pronouns: 'Pronouns.',
    gender: 'Gender, as the person gave it.',
    race_ethnicity: 'Race or ethnicity, as the person gave it.',
    veteran_status: 'Veteran status code (yes, no, declined).',
    housing_status: 'Housing status code.',
    preferred_language: 'Preferred language.',
    heard_about: 'How the person heard about the center.',
    emergency_contact_name: 'Emergency contact’s name.',
    emergency_contact_phone: 'Emergency contact’s phone.',
    merged_into: 'Set while this record is merged into another one: that record’s id.',
    first_key: 'First name normalized for duplicate checks.',
    nick_key: 'Nickname normalized for duplicate checks.',
    last_key: 'Last name normalized for duplicate checks.',
    visit_count: 'Visits that count (not voided).',
    deidentified_at: 'When the retention policy removed what identified this person (ISO 8601, UTC).',
    import_file_id: 'The people list the person was imported from (import_files.csv); empty for someone registered at the desk.',
  },
  services: { key: 'The service’s code.', has_quantity: '1: a quantity is recorded (e.g. meals).' },
  visits: {
    participant_id: 'The person (participants.csv); empty for an anonymous visit.',
    anonymous_code: 'Code an anonymous returning visitor chose, for unduplicated counts.',
    note: 'Note at the visit.',
    void_reason: 'Why the visit was voided.',
    import_file_id: 'The spreadsheet it was imported from (import_files.csv); empty for a visit recorded at the desk.',
    repeat_confirmed: '1 when the desk signed the person in again on purpose while an earlier visit that day was still open; otherwise 0. Only one visit a day with 0 may be open per person or code.',
  },
  visit_services: { quantity: 'How many (for services with a quantity).' },
  audit_log: {
    at: 'When (ISO 8601, UTC).',
    action: 'What was done, as a code (e.g. participant.view, visit.create).',
    target_type: 'The kind of record acted on.',
    target_id: 'The id of the record acted on, in the file target_type names.',
    detail: 'Details as JSON (never a password).',
    prev_hash: 'The previous row’s hash.',
    hash: 'SHA-256 over this row and the previous hash: a changed row breaks the chain.',
  },
  participant_merges: {
    kept_id: 'The record that was kept (participants.csv).',
    merged_id: 'The record merged into it (participants.csv).',
    merged_code: 'The merged record’s code.',
    moved_visit_ids: `${JSON_ARRAY} of the visits moved to the kept record.`,
    moved_alias_codes: `${JSON_ARRAY} of the old codes that moved with it.`,
    moved_referral_ids: `${JSON_ARRAY} of the referrals moved.`,
    moved_consent_ids: `${JSON_ARRAY} of the consents moved.`,
    moved_assessment_ids: `${JSON_ARRAY} of the assessments moved.`,
    moved_attendance_ids: `${JSON_ARRAY} of the attendance rows moved.`,
    moved_more: 'JSON object: table name → ids moved (coaching and safety records).',
    note: 'Why the records were merged.',
  },
  participant_aliases: { code: 'An old code.', merge_id: 'The merge that made this code point here.' },
  visit_changes: {
    kind: 'edit, void, sign_out or sign_out_all.',
    reason: 'Why.',
    before: 'The visit before the change, as JSON.',
    after: 'The visit after the change, as JSON.',
  },
  agencies: {
    name: 'Agency name.',
    name_key: 'Name in lower case without accents (two agencies cannot share a name).',
    contact_name: 'Contact person.',
    phone: 'Phone.',
    email: 'Email.',
    address: 'Address.',
    website: 'Website.',
    hours: 'Opening hours, as typed.',
    notes: 'Notes.',
    verified_on: 'When someone last confirmed these details (YYYY-MM-DD).',
    row_version: 'Counts the saved changes of the agency (1 when made); a change made in a form read at an older version is refused.',
  },
  agency_referral_types: { type: 'A kind of referral: treatment, detox, mat, housing, employment, transport, mental_health or other.' },
  consents: {
    agency_id: 'The one agency this consent names (agencies.csv).',
    purpose: 'The purpose of sharing.',
    information: `${JSON_ARRAY} of the kinds of information that may be shared.`,
    revoke_note: 'Why the consent was revoked.',
  },
  referrals: {
    type: 'The kind of referral (see agency_referral_types.type).',
    row_version: 'Counts the saved changes of the referral (1 when made); a change made in a form read at an older version is refused.',
    status: 'Status code (pending, got_help, no_capacity …).',
    consent_id: 'The consent under which information was shared; empty: nothing about the person was shared.',
    note: 'Note.',
    outcome_note: 'What came of it.',
  },
  referral_events: { status: 'The status it moved to.', note: 'Note.' },
  assessments: {
    instrument: 'Which instrument (barc10).',
    answers: `${JSON_ARRAY} of ten answers, 1 (strongly disagree) to 6 (strongly agree).`,
    total: 'Total score (10 to 60).',
    note: 'Note.',
    void_reason: 'Why it was voided.',
  },
  groups: {
    name: 'Group name.',
    name_key: 'Name in lower case without accents.',
    description: 'Description.',
    kind: 'Kind of group, as a code.',
    room: 'Room.',
    capacity: 'Most people it takes; empty: no limit.',
    series_length: 'Number of sessions in a series; empty: ongoing.',
    duration_minutes: 'Length of a session in minutes.',
    schedule: 'Schedule as iCalendar (RFC 5545) text: DTSTART with the zone, RRULE, EXDATE; empty: one-off sessions only.',
    materialized_through: 'Sessions exist for every occurrence up to this day (YYYY-MM-DD).',
    row_version: 'Counts the saved changes of the group (1 when made); a change made in a form read at an older version is refused.',
  },
  closures: { reason: 'Why the center is closed.' },
  group_sessions: {
    occurrence_key: 'The schedule occurrence it came from (local YYYY-MM-DDTHH:MM); empty for a one-off.',
    start_time: 'Local start time, HH:MM.',
    room: 'Room; empty: the group’s room.',
    status: 'scheduled, held or cancelled.',
    cancel_reason: 'Why it was cancelled.',
    moved_from: 'The day it was scheduled for, when it was moved (YYYY-MM-DD).',
    makeup_for: 'The cancelled session this one makes up for (group_sessions.csv).',
    topic: 'Topic.',
    note: 'Note.',
    anonymous_count: 'People who attended without giving a name.',
    cover_staff_id: 'Staff member covering this session (staff.csv).',
    row_version: 'Counts the saved changes of the session’s topic, note, headcount or status (1 when made); a change made in a form read at an older version is refused.',
  },
  enrollments: { status: 'Status code (waitlisted, enrolled, ended …).', end_reason: 'Why it ended.' },
  attendance: {
    anonymous_code: 'Code of an anonymous attendee.',
    status: 'present, late, absent or excused.',
    visit_id: 'The visit this attendance counted toward (visits.csv).',
    created_visit: '1: marking this attendance made the visit.',
    follow_up: 'A facilitator’s short, non-clinical follow-up note.',
  },
  coaching_engagements: {
    planned_days: 'Planned length in days.',
    stage: 'Recovery stage code.',
    pathways: `${JSON_ARRAY} of recovery pathways.`,
    status: 'Status code (active, paused, ended …).',
    status_reason: 'Why the status changed.',
  },
  coaching_events: { kind: 'What happened, as a code.', detail: 'What changed, as JSON.' },
  coaching_meetings: {
    start_time: 'Local start time, HH:MM.',
    kind: 'Kind of meeting, as a code.',
    status: 'planned, held, missed or cancelled.',
    reason: 'Why it was missed or cancelled.',
    schedule: 'The iCalendar (RFC 5545) text a recurring meeting came from; empty for a one-off.',
  },
  coaching_contacts: {
    caller_label: 'How a warmline caller who gave no name is called.',
    kind: 'Kind of contact, as a code.',
    topics: `${JSON_ARRAY} of topics.`,
    note: 'Short, non-clinical note.',
    next_steps: 'Next steps.',
  },
  plan_goals: { area: 'Life area, as a code.', title: 'The goal.', progress: 'Progress code.' },
  plan_steps: { text: 'The step.', progress: 'Progress code.' },
  plan_changes: { change: 'Before and after, as JSON.' },
  restrictions: { kind: 'Kind of restriction, as a code.', reason: 'Why (managers and admins only).' },
  care_flags: { kind: 'Kind of care note, as a code.', note: 'The note.' },
  incidents: {
    kind: 'overdose, medical, behavioral, injury, property, police or other.',
    summary: 'One line saying what happened.',
    location: 'Where on site.',
    naloxone_doses: 'Naloxone doses given on site (kits handed out are services on a visit).',
    ems_called: '1 when emergency medical services were called.',
    outcome: 'For an overdose: responded, transported or declined.',
    narrative: 'Short, factual, non-clinical account.',
    actions_taken: 'What staff did.',
    follow_up: 'Follow-up to do.',
    critical: '1 for a critical incident (reported to funders within 24 hours).',
    review_note: "The manager's note when closing the report.",
  },
  import_files: {
    kind: 'participants (a people list) or visits (a sign-in log).',
    sha256: "SHA-256 of the file's bytes: the same file is never imported twice into one center (another center may import it).",
    file_name: "The file's name when it was imported.",
    rows: 'Rows in the file.',
    counts: 'What the import did, as JSON (new people, matched, visits, rows skipped).',
    pending: '0: the import is complete. (An import still going in, or cut short, is left out of an export, with its people and visits.)',
  },
  import_rows: {
    kind: 'participants or visits.',
    row_key: "The row's identity in its file (a hash of what makes it that row).",
    target_id: 'The participant or visit the row became.',
  },
  incident_people: { description: 'A few words describing someone involved who gave no name.' },
  incident_history: { action: 'create, update or close.', changes: 'The fields before and after, as JSON.' },
  workforce_categories: { key: 'The category’s code.' },
  workforce_credential_kinds: {
    key: 'The credential kind’s code.',
    period_months: 'Renewal period in months; empty: no renewal requirement.',
    required_minutes: 'Training minutes required per period, in total.',
    category_minutes: 'JSON object: category code → minutes required in that category per period.',
  },
  workforce_documents: {
    file_name: 'The file’s name when it was attached.',
    mime: 'application/pdf, image/png or image/jpeg.',
    size: 'Size in bytes.',
    sha256: 'SHA-256 of the file.',
    [DOCUMENT_PATH_COLUMN]: 'Where the file is inside this zip.',
  },
  workforce_credentials: { issuer: 'Who issued it.', number: 'Credential number.' },
  workforce_training: { title: 'Training title.', provider: 'Who gave it.' },
  workforce_supervision: { format: 'individual or group.', note: 'Short, non-clinical note.' },
  centers: {
    name: 'The center’s name, unique in the organization.',
    row_version: 'Counts the saved changes of the center (1 when made); a change made in a form read at an older version is refused.',
    archived_at: 'When an admin archived the center (never deleted: its records stay); empty while it is in use.',
  },
  person_matches: {
    participant_id: 'The matched record (participants.csv id).',
    org_person_id: 'The person these records are, for the organization: the smallest record id of the records matched together (participants.csv id). Records with the same value are one person.',
    center_id: 'The center of the matched record (centers.csv id).',
    merge_id: 'Set while a merge at one center carried this match from the merged record to the kept one (participant_merges.csv id); undoing the merge removes this row.',
    row_version: 'Counts the changes of this row (1 when made; the key changing counts); an undo made from a list read at an older version is refused.',
  },
  person_match_dismissals: {
    low_id: 'One of the two records, the lower id (participants.csv id).',
    high_id: 'The other record, the higher id (participants.csv id).',
  },
}

/** The meaning of a column: its note, else what its name says by the schema's conventions. */
export function meaning(table: string, column: string, references: string | undefined): string | null {
  const note = COLUMN_NOTES[table]?.[column]
  if (note) return note
  if (column === 'id') return 'This row’s number, unique in this file.'
  if (column === 'center_id') return 'The center the row belongs to (centers.csv id).'
  if (column === 'home_center_id') return 'The center the account works in unless granted more (centers.csv id).'
  if (references) return `Refers to a row of ${references}.csv by its id.`
  if (column.endsWith('_by') || column === 'staff_id') return 'A staff member (staff.csv id).'
  if (column.endsWith('_at') || column === 'at') return 'A moment, ISO 8601 in UTC (e.g. 2026-11-25T14:03:00.000Z).'
  if (column.endsWith('_on') || column.endsWith('_date')) return 'A day at the center, YYYY-MM-DD.'
  if (column === 'active') return '1: in use; 0: retired (kept for the records that name it).'
  if (column === 'name_en' || column === 'name_es') return `Name in ${column === 'name_en' ? 'English' : 'Spanish'}.`
  if (column === 'position' || column === 'sort_order') return 'Order in lists.'
  if (column === 'minutes') return 'Length in minutes.'
  return null
}
