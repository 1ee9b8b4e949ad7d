import { sql } from 'kysely'
import type { ReportDb } from './rules'

/**
 * The seam between the reports and the matching of one person's records across centers (issue 15,
 * point 4; the personmatch work, migration 0060). The organization's figures, when the centers
 * have agreed to match people (centers.ts getCountingRule), count each registered person by an
 * organization person key: the key of the match group their record belongs to, else the record's
 * own id. This gives the groups: one row per matched record, `org_person_id` being the id of one of
 * the group's own records (so a key never equals an unrelated record's id). A record in no group
 * is absent and is its own key.
 *
 * Until the table of matches lands, no record is matched: the set is empty.
 */
export function personMatches(db: ReportDb) {
  return db
    .selectFrom('participants as pm')
    .where(sql<boolean>`1 = 0`)
    .select(['pm.id as participant_id', 'pm.id as org_person_id'])
}

export type PersonMatches = (db: ReportDb) => ReturnType<typeof personMatches>
