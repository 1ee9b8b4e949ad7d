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
 * The matches are person_matches' rows (db/services/person-matches.ts keeps org_person_id the
 * smallest id of its group, a CHECK on both backends).
 */
export function personMatches(db: ReportDb) {
  return db.selectFrom('person_matches as pm').select(['pm.participant_id', 'pm.org_person_id'])
}

export type PersonMatches = (db: ReportDb) => ReturnType<typeof personMatches>
