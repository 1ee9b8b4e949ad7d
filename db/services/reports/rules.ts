import type { Kysely } from 'kysely'
import type { Database } from '../../schema'
import type { DateRange } from '../../report-types'
import { ATTENDED } from '../../groups-types'
import { visibleVisit } from '../visible-visits'
import { inScope, personKey, recordsOfKey, WHOLE_DATABASE, type CountScope } from './scope'

/**
 * The counting rules, written once. The dashboard, the funder report, its CSV and workbook,
 * `admin report` and every drill-down count through the queries below and nothing else.
 *
 * 1. A voided visit never counts: not as a visit, not for a service on it, not to make anyone
 *    active or new. A voided assessment never counts either.
 * 2. A merged person counts once, under the record they were merged into. A merge moves the
 *    merged record's visits, referrals and assessments to the kept record (and undoing it moves
 *    exactly those back), so counting distinct `participant_id`s counts each person once.
 * 3. Anonymous visits count as visits. They count as people only by their code: each distinct
 *    code is one person; an anonymous visit without a code is a visit of no one we can count.
 *    A code is never matched to a registered person.
 * 4. A registered person counts in a range when they have at least one counted visit (the
 *    services given on it included), referral made, assessment taken, or group attendance
 *    (present or late, on the session's day) in it.
 * 5. New: a registered person whose first counted visit ever falls in the range; returning:
 *    every other person counted in the range.
 * 6. Group attendance counts a person once a day, however many sessions, under the record they
 *    were merged into (a merge moves their marks too).
 *
 * Referrals are counted by the day they were made, and judged by where they stood at the end of
 * the range (their history says), so a quarter's figures do not change once the quarter is over;
 * one that connected after the range is shown as such, never counted as connected in it.
 *
 * All of these are SQL aggregates: no row is brought into JavaScript to be counted. Over long
 * ranges the figures read roll-ups built from the rows by these same rules and kept by triggers
 * in the same transaction as every write (migration 0012, people.ts); `admin verify` recounts
 * them from the rows (rollups.ts).
 *
 * Each query takes the report's scope (scope.ts): one center's rows, or every center's; by default
 * the whole database, as before centers.
 */
export type ReportDb = Kysely<Database>

/** Rule 1: the visits that count, on the range's days. */
export function countedVisits(db: ReportDb, range: DateRange, scope: CountScope = WHOLE_DATABASE) {
  return db
    .selectFrom('visits as v')
    .where('v.voided_at', 'is', null)
    .where(visibleVisit('v'))
    .where('v.visit_date', '>=', range.from)
    .where('v.visit_date', '<=', range.to)
    .$call(inScope(scope, 'v'))
}

/** Referrals made on the range's days. */
export function referralsMade(db: ReportDb, range: DateRange, scope: CountScope = WHOLE_DATABASE) {
  return db.selectFrom('referrals as r').where('r.referred_on', '>=', range.from).where('r.referred_on', '<=', range.to).$call(inScope(scope, 'r'))
}

/** Rule 1: the assessments that count, taken on the range's days. */
export function countedAssessments(db: ReportDb, range: DateRange, scope: CountScope = WHOLE_DATABASE) {
  return db
    .selectFrom('assessments as a')
    .where('a.voided_at', 'is', null)
    .where('a.taken_on', '>=', range.from)
    .where('a.taken_on', '<=', range.to)
    .$call(inScope(scope, 'a'))
}

/** Rule 6: present or late marks, on the session's day. */
export function countedAttendance(db: ReportDb, range: DateRange, scope: CountScope = WHOLE_DATABASE) {
  return db
    .selectFrom('attendance as t')
    .innerJoin('group_sessions as s', 's.id', 't.session_id')
    .where('t.status', 'in', [...ATTENDED])
    .where('s.session_date', '>=', range.from)
    .where('s.session_date', '<=', range.to)
    .$call(inScope(scope, 't'))
}

/** Rules 2 and 4: one row (`pid`) per registered record active in the range. UNION removes the duplicates. */
export function activePeople(db: ReportDb, range: DateRange, scope: CountScope = WHOLE_DATABASE) {
  return countedVisits(db, range, scope)
    .select((eb) => eb.ref('v.participant_id').$castTo<number>().as('pid'))
    .where('v.participant_id', 'is not', null)
    .union(referralsMade(db, range, scope).select('r.participant_id as pid'))
    .union(countedAssessments(db, range, scope).select('a.participant_id as pid'))
    .union(
      countedAttendance(db, range, scope)
        .where('t.participant_id', 'is not', null)
        .select((eb) => eb.ref('t.participant_id').$castTo<number>().as('pid')),
    )
}

/**
 * Rule 5: one row (`pid`) per person with a counted visit in the range and none before it. With the
 * organization person key (scope.ts), `pid` is the key: new when none of the person's matched
 * records had a counted visit before the range.
 */
export function newPeople(db: ReportDb, range: DateRange, scope: CountScope = WHOLE_DATABASE) {
  // Each visitor once, then "any counted visit before the range?" (the first entries of
  // visits_by_participant answer it), rather than asking again for each of their visits.
  const visitors = countedVisits(db, range, scope)
    .where('v.participant_id', 'is not', null)
    .select(() => personKey(db, scope, 'v.participant_id').as('pid'))
    .distinct()
  return db
    .selectFrom(visitors.as('n'))
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('visits as e')
            .select('e.id')
            .where((e) =>
              scope.byOrgKey
                ? e.or([e('e.participant_id', '=', e.ref('n.pid')), e('e.participant_id', 'in', recordsOfKey(db, scope, 'n.pid'))])
                : e('e.participant_id', '=', e.ref('n.pid')),
            )
            .where('e.voided_at', 'is', null)
            .where(visibleVisit('e'))
            .where('e.visit_date', '<', range.from)
            .$call(inScope(scope, 'e')),
        ),
      ),
    )
    .select('n.pid')
}

/**
 * Referrals made in the range, each judged by its history as it stood at `endInstant` (the
 * start of the day after the range): its status and follow-up date then, and when it was first
 * accepted and first got help. A referral entered after the range for a day in it stands as it
 * was first recorded.
 *
 * Read from report_referral_states (migration 0026, kept by triggers): one row per referral with
 * its first acceptance, first help and latest event. A referral whose every event came before the
 * end stands at its latest event; only one with an event on or after the end has its history read
 * to find its latest event before the end (or else its first one). `latest_status` is where it
 * stands at its latest event (report_referral_months counts it there); `unsettledOnly` keeps the
 * referrals whose standing at the end is not that one.
 */
export function referralStates(db: ReportDb, range: DateRange, endInstant: string, options: { unsettledOnly?: boolean; scope?: CountScope } = {}) {
  const made = db
    .selectFrom('report_referral_states as r')
    .where('r.referred_on', '>=', range.from)
    .where('r.referred_on', '<=', range.to)
    .$if(options.scope !== undefined && options.scope.centers !== null, (qb) =>
      qb.where('r.referral_id', 'in', referralsOfScope(db, options.scope!)),
    )
    // Only those with an event on or after the end (or none at all): where the others stood is their latest event.
    .$if(options.unsettledOnly === true, (qb) => qb.where((eb) => eb.or([eb('r.last_at', 'is', null), eb('r.last_at', '>=', endInstant)])))
    .select((eb) => {
      const events = () => eb.selectFrom('referral_events as e').whereRef('e.referral_id', '=', 'r.referral_id')
      const settled = eb('r.last_at', '<', endInstant)
      // Where it stood: its latest event before the end, or else (entered later) its first one; by
      // event id, through the index on (referral_id, id). Looked up only when not settled.
      const standing = eb.fn.coalesce(
        events().select('e.id').where('e.at', '<', endInstant).orderBy('e.id', 'desc').limit(1),
        events().select((o) => o.fn.min('e.id').as('id')),
      )
      return [
        'r.referral_id as id',
        'r.type',
        'r.referred_on',
        'r.status_now',
        eb.case().when(settled).then(eb.ref('r.last_status')).end().as('settled_status'),
        eb.case().when(settled).then(eb.ref('r.last_follow_up_on')).end().as('settled_follow_up_on'),
        eb.case().when(settled).then(eb.val<number | null>(null)).else(standing).end().as('event_id'),
        'r.accepted_at',
        'r.got_help_at',
        eb.fn.coalesce('r.last_status', 'r.status_now').as('latest_status'),
      ]
    })
  // Materialized: a subquery here is flattened into the outer select by PostgreSQL, which then
  // computed each referral's standing event (two correlated lookups) once for every use of
  // m.event_id: three times a row in the dashboard's "moved" count.
  return db
    .with((cte) => cte('m').materialized(), () => made)
    .selectFrom('m')
    .select((eb) => {
      // The standing event looked up by id for each referral that has one. As a join, PostgreSQL's
      // planner hashed every event of the center (a whole read of referral_events) for the few
      // hundred referrals still moving after the end, on every dashboard.
      const standing = () => eb.selectFrom('referral_events as ev').whereRef('ev.id', '=', 'm.event_id')
      return [
        'm.id',
        'm.type',
        'm.referred_on',
        eb.fn.coalesce(standing().select('ev.status'), 'm.settled_status', 'm.status_now').as('status'),
        eb.fn.coalesce(standing().select('ev.follow_up_on'), 'm.settled_follow_up_on').as('follow_up_on'),
        'm.accepted_at',
        'm.got_help_at',
        'm.latest_status',
      ]
    })
}


/** report_referral_states and report_referral_months have no center: the scope's referrals, by id (referrals_center's rows). */
export function referralsOfScope(db: ReportDb, scope: CountScope) {
  return db.selectFrom('referrals as rc').select('rc.id').$call(inScope(scope, 'rc'))
}
