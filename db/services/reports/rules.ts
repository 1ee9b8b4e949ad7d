import type { Kysely } from 'kysely'
import type { Database } from '../../schema'
import type { DateRange } from '../../report-types'

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
 *    services given on it included), referral made, or assessment taken in it. Group
 *    attendance joins this list when groups land (rule 6).
 * 5. New: a registered person whose first counted visit ever falls in the range; returning:
 *    every other person counted in the range.
 * 6. Group attendance (when groups land) counts a person once a day, however many sessions.
 *
 * Referrals are counted by the day they were made, and judged by where they stood at the end of
 * the range (their history says), so a quarter's figures do not change once the quarter is over;
 * one that connected after the range is shown as such, never counted as connected in it.
 *
 * All of these are SQL aggregates: no row is brought into JavaScript to be counted.
 */
export type ReportDb = Kysely<Database>

/** Rule 1: the visits that count, on the range's days. */
export function countedVisits(db: ReportDb, range: DateRange) {
  return db
    .selectFrom('visits as v')
    .where('v.voided_at', 'is', null)
    .where('v.visit_date', '>=', range.from)
    .where('v.visit_date', '<=', range.to)
}

/** Referrals made on the range's days. */
export function referralsMade(db: ReportDb, range: DateRange) {
  return db.selectFrom('referrals as r').where('r.referred_on', '>=', range.from).where('r.referred_on', '<=', range.to)
}

/** Rule 1: the assessments that count, taken on the range's days. */
export function countedAssessments(db: ReportDb, range: DateRange) {
  return db
    .selectFrom('assessments as a')
    .where('a.voided_at', 'is', null)
    .where('a.taken_on', '>=', range.from)
    .where('a.taken_on', '<=', range.to)
}

/**
 * Rules 2 and 4: one row (`pid`) per registered person active in the range. UNION removes the
 * duplicates; a groups section adds its attendance here as one more branch.
 */
export function activePeople(db: ReportDb, range: DateRange) {
  return countedVisits(db, range)
    .select((eb) => eb.ref('v.participant_id').$castTo<number>().as('pid'))
    .where('v.participant_id', 'is not', null)
    .union(referralsMade(db, range).select('r.participant_id as pid'))
    .union(countedAssessments(db, range).select('a.participant_id as pid'))
}
