import { sql, type Expression, type RawBuilder } from 'kysely'
import type { ReportScopeChoice, ReportScopeInfo } from '../../report-types'
import { centerId, getCountingRule, listCenters, ofCentersOnly } from '../centers'
import { ServiceError, type ServiceContext } from '../context'
import { getCenterName } from '../setup'
import { personMatches, type PersonMatches } from './person-key'
import type { ReportDb } from './rules'

/**
 * Whose figures a report counts (issue 15, point 4): the window's center, or, for an organization
 * admin, every center together.
 *
 * - An organization admin is a staff member with the admin role: centers.ts gives an admin every
 *   center in use (centersOfStaff), and no other role works beyond the centers an admin granted.
 *   A manager granted every center still counts one center at a time (the switcher moves them).
 * - One center's figures count only its rows: its visits, referrals, assessments, attendance,
 *   groups, coaching and incidents (their center_id), its people (registered there).
 * - The organization's figures count every center's rows by the same rules, a person once per
 *   center: each record (a person registered at two centers has two) and each anonymous code at
 *   each center. When the centers have agreed to match people (getCountingRule's matchPeople) a
 *   registered person counts once by their organization person key (person-key.ts): people,
 *   new and returning, the people of each service and of the groups. The other figures (visits,
 *   referrals, recovery capital, coaching, safety) count records, so they are the centers' sums.
 *
 * The roll-up tables (report_*) are the organization's, with no center: while an organization has
 * only ever had one center they hold exactly that center's rows and every figure reads them. Once
 * there is a second center, the figures a roll-up gave are counted from the rows of the scope
 * (by-rows.ts): the same rules, slower over long ranges, until the roll-ups carry the center.
 */
export interface CountScope {
  readonly choice: ReportScopeChoice
  /** The centers whose rows count; null: every center. */
  readonly centers: readonly number[] | null
  /** Registered people counted by their organization person key rather than by record. */
  readonly byOrgKey: boolean
  /** The roll-ups hold exactly this scope's rows (one center ever): the figures read them. */
  readonly rollups: boolean
  /** The match groups behind the organization person key. */
  readonly matches: PersonMatches
}

/** Today's scope for a single-center database: everything, from the roll-ups. */
export const WHOLE_DATABASE: CountScope = { choice: 'center', centers: null, byOrgKey: false, rollups: true, matches: personMatches }

/** Whether the staff member is an organization admin (may count every center together). */
async function isOrganizationAdmin(db: ReportDb, staffId: number | null): Promise<boolean> {
  // The command line (no one signed in) holds the database key: it may count everything.
  if (staffId === null) return true
  const row = await db.selectFrom('staff').select('role').where('id', '=', staffId).executeTakeFirst()
  return row?.role === 'admin'
}

/** The scope of a report asked for in this context; 'organization' is refused to anyone but an organization admin. */
export async function countScope(ctx: ServiceContext, choice: ReportScopeChoice = 'center'): Promise<CountScope> {
  if (choice === 'organization' && !(await isOrganizationAdmin(ctx.db, ctx.staffId))) throw new ServiceError('FORBIDDEN', 'reports.organizationOnly')
  const ever = await ctx.db.selectFrom('centers').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
  if (Number(ever.n) <= 1) return { ...WHOLE_DATABASE, choice }
  if (choice === 'organization') {
    const { matchPeople } = await getCountingRule(ctx.db)
    return { choice, centers: null, byOrgKey: matchPeople, rollups: false, matches: personMatches }
  }
  return { choice, centers: [centerId(ctx)], byOrgKey: false, rollups: false, matches: personMatches }
}

/** The name on a report's title: the center's, or every center in use for the organization. */
export async function scopeName(ctx: ServiceContext, scope: CountScope): Promise<string> {
  if (scope.centers === null && scope.choice === 'organization') {
    const names = (await listCenters(ctx.db)).map((center) => center.name)
    if (names.length > 1) return names.join(' + ')
  }
  if (scope.centers !== null) {
    const row = await ctx.db.selectFrom('centers').select('name').where('id', '=', scope.centers[0]!).executeTakeFirst()
    if (row) return row.name
  }
  return (await getCenterName(ctx.db, centerId(ctx))) ?? ''
}

/**
 * `query.$call(inScope(scope, 'v'))`: the rows of the scope's centers (every row when it has none).
 * The one filter every scoped figure goes through: centers.ts ofCentersOnly, as inCenter is.
 */
export function inScope(scope: CountScope, tableOrAlias: string) {
  return ofCentersOnly(tableOrAlias, scope.centers)
}

/** A registered person as the scope counts them: their record's id (`column`), or their organization person key. */
export function personKey(db: ReportDb, scope: CountScope, column: string): RawBuilder<number> {
  return personKeyOf(db, scope, sql.ref<number>(column))
}

/** personKey of a record id given as an expression (a merged record's kept id, say). */
export function personKeyOf(db: ReportDb, scope: CountScope, record: Expression<number>): RawBuilder<number> {
  if (!scope.byOrgKey) return sql<number>`${record}`
  const group = db.selectFrom(scope.matches(db).as('m')).select('m.org_person_id').where('m.participant_id', '=', record).limit(1)
  return sql<number>`coalesce((${group}), ${record})`
}

/** The records of a person key (`column`): the key's own record and those matched to it. */
export function recordsOfKey(db: ReportDb, scope: CountScope, column: string) {
  return db.selectFrom(scope.matches(db).as('m')).select('m.participant_id').where('m.org_person_id', '=', sql.ref<number>(column))
}

/**
 * An anonymous person of a visit or an attendance mark (`tableOrAlias`): their code at their center
 * (the same code at two centers is two people). Null for a registered person and without a code.
 */
export function codeKey(tableOrAlias: string): RawBuilder<string | null> {
  const column = (name: string) => sql.ref(`${tableOrAlias}.${name}`)
  // Text built by hand, the same on both backends: a code is a person only within its center.
  return sql<string | null>`(CASE WHEN ${column('participant_id')} IS NULL THEN CAST(${column('center_id')} AS TEXT) || ':' || ${column('anonymous_code')} END)`
}

/** What the screens are told of a report's scope: which it is, whether people were matched, whether the organization's may be asked for. */
export async function scopeInfo(ctx: ServiceContext, scope: CountScope): Promise<ReportScopeInfo> {
  const offered = (await isOrganizationAdmin(ctx.db, ctx.staffId)) && (await listCenters(ctx.db)).length > 1
  return { choice: scope.choice, matchPeople: scope.byOrgKey, organizationOffered: offered }
}
