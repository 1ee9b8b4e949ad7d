import { sql, type Kysely } from 'kysely'
import type { ExportCenters } from '../../export-types'
import { ofCentersOnly } from '../centers'
import type { Database } from '../../schema'

/**
 * Which rows of each exported table an export of some centers writes (issue 15, point 4).
 *
 * - 'center': the table says its center itself (center_id): the rows of the chosen centers.
 * - a map of columns to tables: the row belongs through those rows (a visit's services through
 *   the visit, a goal's steps through the goal), and is written only when every one of them is
 *   written; a dismissed pair of two records therefore only when both are, and a match only
 *   when every record of its match group is (MATCH_GROUPS: a record's row alone would still say
 *   that it was matched at another center).
 * - 'organization': the organization's own tables (staff accounts and their grants, the catalog,
 *   settings, workforce records, the centers, the audit log's one hash chain), written whole.
 *
 * Every exported table is named here: the unit test fails for a table that is not, so a new
 * table cannot slip into one center's export with another center's rows.
 */
type Belongs = 'center' | 'organization' | Readonly<Record<string, keyof Database>>

export const BELONGS: Readonly<Record<string, Belongs>> = {
  participants: 'center',
  visits: 'center',
  participant_merges: 'center',
  agencies: 'center',
  consents: 'center',
  referrals: 'center',
  assessments: 'center',
  groups: 'center',
  group_sessions: 'center',
  enrollments: 'center',
  attendance: 'center',
  closures: 'center',
  coaching_engagements: 'center',
  coaching_meetings: 'center',
  coaching_contacts: 'center',
  restrictions: 'center',
  care_flags: 'center',
  incidents: 'center',
  import_files: 'center',
  import_rows: 'center',
  visit_services: { visit_id: 'visits' },
  visit_changes: { visit_id: 'visits' },
  participant_aliases: { participant_id: 'participants' },
  agency_referral_types: { agency_id: 'agencies' },
  referral_events: { referral_id: 'referrals' },
  group_facilitators: { group_id: 'groups' },
  coaching_events: { engagement_id: 'coaching_engagements' },
  plan_goals: { participant_id: 'participants' },
  plan_steps: { goal_id: 'plan_goals' },
  plan_changes: { participant_id: 'participants' },
  incident_people: { incident_id: 'incidents' },
  incident_history: { incident_id: 'incidents' },
  person_matches: { participant_id: 'participants', org_person_id: 'participants' },
  person_match_dismissals: { low_id: 'participants', high_id: 'participants' },
  staff: 'organization',
  staff_centers: 'organization',
  centers: 'organization',
  services: 'organization',
  settings: 'organization',
  audit_log: 'organization',
  workforce_categories: 'organization',
  workforce_credential_kinds: 'organization',
  workforce_credentials: 'organization',
  workforce_documents: 'organization',
  workforce_training: 'organization',
  workforce_supervision: 'organization',
}

/** The table whose rows are written only with their whole match group. */
const MATCH_GROUPS = 'person_matches'

/** Any table by name (the export reads every table the same way). */
type AnyDb = Kysely<Record<string, Record<string, unknown>>>

/**
 * `query.$call(ofCenters(db, table, centers))`: the table's rows that belong to `centers`
 * (every row when `centers` is null: the whole organization, today's export).
 */
export function ofCenters(db: AnyDb, table: string, centers: readonly number[] | null) {
  return <Q>(query: Q): Q => {
    if (centers === null) return query
    const belongs = BELONGS[table]
    if (belongs === undefined) throw new Error(`The export does not know whose rows ${table} holds (export/by-center.ts).`)
    if (belongs === 'organization') return query
    const where = (q: Q, column: string, rhs: unknown): Q => (q as unknown as { where: (lhs: unknown, op: 'in', rhs: unknown) => Q }).where(sql.ref(`${table}.${column}`), 'in', rhs)
    if (belongs === 'center') return ofCentersOnly(table, centers)(query)
    let scoped = query
    for (const [column, parent] of Object.entries(belongs)) {
      scoped = where(scoped, column, db.selectFrom(parent).select(`${parent}.id`).$call(ofCenters(db, parent, centers)))
    }
    if (table !== MATCH_GROUPS) return scoped
    const outside = db.selectFrom('participants').select('participants.id').where('participants.center_id', 'not in', centers)
    const groupsReachingOut = db.selectFrom(`${MATCH_GROUPS} as other`).select('other.org_person_id').where('other.participant_id', 'in', outside)
    return (scoped as unknown as { where: (lhs: unknown, op: 'not in', rhs: unknown) => Q }).where(sql.ref(`${table}.org_person_id`), 'not in', groupsReachingOut)
  }
}

/** The centers as the manifest and the export's audit row name them. */
export function centersNamed(centers: ExportCenters): { all: boolean; names: readonly string[]; ids?: readonly number[] } {
  return { all: centers.ids === null, names: centers.names, ...(centers.ids ? { ids: centers.ids } : {}) }
}
