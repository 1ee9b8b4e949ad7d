import { formatMessage } from '../../../shared/messages'
import type { Agencies } from '../../schema'
import type { ReferralType } from '../../types'
import { appendAudit } from '../audit'
import { centerId, inCenter, type CenterScope } from '../centers'
import { inTransaction, localDate, isoNow, ServiceError, type ServiceContext, type Trx } from '../context'
import { normalizeName } from '../participant-fields'
import { putSetting } from '../settings-store'
import { deriveAgencies, type DerivedAgency } from './derive'
import type { AgencyChange, AgencyChangeKind, DirectoryImportResult, DirectoryPlan, DirectoryPreview, RecordCounts } from '../../hsds-types'
import { PREVIEW_NOTES, PREVIEW_PROBLEMS } from '../../hsds-types'
import { readPackage, withoutBadRows } from './read'
import { HSDS_TABLES, type HsdsRow, type HsdsTableName, type HsdsTables } from './tables'

/**
 * What a center's last import left: every HSDS row as imported (so an export gives back the same
 * files and a second import of them changes nothing) and which agency each organization became.
 * One setting per center (migration 0061: the directory is each center's), written in the
 * import's transaction.
 */
export const hsdsStateKey = (center: number): string => `directory.hsds.${center}`

export interface HsdsState {
  records: Partial<Record<HsdsTableName, Record<string, HsdsRow>>>
  /** Organization id → agency id. */
  agencies: Record<string, number>
  importedAt: string | null
}

export async function readHsdsState(db: ServiceContext['db'] | Trx, scope: CenterScope): Promise<HsdsState> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', hsdsStateKey(centerId(scope))).executeTakeFirst()
  return row ? (JSON.parse(row.value) as HsdsState) : { records: {}, agencies: {}, importedAt: null }
}

type AgencyColumns = Pick<Agencies, 'name' | 'contact_name' | 'phone' | 'email' | 'address' | 'website' | 'hours' | 'notes' | 'verified_on'>

function columnsOf(agency: DerivedAgency): AgencyColumns {
  return {
    name: agency.name,
    contact_name: agency.contactName,
    phone: agency.phone,
    email: agency.email,
    address: agency.address,
    website: agency.website,
    hours: agency.hours,
    notes: agency.notes,
    verified_on: agency.verifiedOn,
  }
}

const COLUMN_FIELDS: Array<[keyof AgencyColumns, string]> = [
  ['name', 'name'],
  ['contact_name', 'contactName'],
  ['phone', 'phone'],
  ['email', 'email'],
  ['address', 'address'],
  ['website', 'website'],
  ['hours', 'hours'],
  ['notes', 'notes'],
  ['verified_on', 'verifiedOn'],
]

interface Planned extends DirectoryPlan {
  derived: Map<string, DerivedAgency>
  state: HsdsState
}

/** Compares a package with the window's center's directory; reads only. */
async function plan(db: ServiceContext['db'] | Trx, scope: CenterScope, tables: HsdsTables): Promise<Planned> {
  const state = await readHsdsState(db, scope)
  const agencies = await db.selectFrom('agencies').selectAll().$call(inCenter(scope, 'agencies')).execute()
  const byId = new Map(agencies.map((agency) => [agency.id, agency]))
  const byKey = new Map(agencies.map((agency) => [agency.name_key, agency]))
  const typeRows = await db
    .selectFrom('agency_referral_types as t')
    .innerJoin('agencies as a', 'a.id', 't.agency_id')
    .select(['t.agency_id', 't.type'])
    .$call(inCenter(scope, 'a'))
    .execute()
  const typesOf = (id: number) => typeRows.filter((row) => row.agency_id === id).map((row) => row.type).sort().join(',')
  const derived = new Map(deriveAgencies(tables).map((agency) => [agency.hsdsId, agency]))
  const changes: AgencyChange[] = []
  const claimed = new Set<number>()
  for (const agency of derived.values()) {
    const mapped = state.agencies[agency.hsdsId]
    // A known organization keeps its agency; a new one takes over a hand-typed agency of the same name.
    const current = (mapped !== undefined ? byId.get(mapped) : undefined) ?? byKey.get(normalizeName(agency.name))
    if (!current) {
      changes.push({ hsdsId: agency.hsdsId, name: agency.name, change: 'new', fields: [], agencyId: null })
      continue
    }
    claimed.add(current.id)
    const columns = columnsOf(agency)
    const fields = COLUMN_FIELDS.filter(([column]) => {
      // A date verified at the desk after the directory's own is kept: an import never makes it older.
      if (column === 'verified_on') return columns.verified_on !== null && (current.verified_on ?? '') < columns.verified_on
      return (current[column] ?? null) !== columns[column]
    }).map(([, field]) => field)
    if (typesOf(current.id) !== [...agency.types].sort().join(',')) fields.push('types')
    changes.push({ hsdsId: agency.hsdsId, name: agency.name, change: fields.length > 0 ? 'changed' : 'unchanged', fields, agencyId: current.id })
  }
  const referenced = new Set<number>()
  for (const table of ['referrals', 'consents'] as const) {
    for (const row of await db.selectFrom(table).select('agency_id').$call(inCenter(scope, table)).distinct().execute()) referenced.add(row.agency_id)
  }
  for (const [hsdsId, agencyId] of Object.entries(state.agencies)) {
    const agency = byId.get(agencyId)
    if (derived.has(hsdsId) || !agency || claimed.has(agencyId)) continue
    changes.push({ hsdsId, name: agency.name, change: referenced.has(agencyId) ? 'deactivated' : 'removed', fields: [], agencyId })
  }
  const counts: Record<AgencyChangeKind, number> = { new: 0, changed: 0, unchanged: 0, removed: 0, deactivated: 0 }
  for (const change of changes) counts[change.change] += 1
  const records: RecordCounts = { new: 0, changed: 0, unchanged: 0, removed: 0 }
  for (const table of HSDS_TABLES) {
    const before = state.records[table.name] ?? {}
    const ids = new Set<string>()
    for (const row of tables[table.name]) {
      const id = row.id!.trim()
      ids.add(id)
      const old = before[id]
      if (!old) records.new += 1
      else if (JSON.stringify(old) === JSON.stringify(row)) records.unchanged += 1
      else records.changed += 1
    }
    records.removed += Object.keys(before).filter((id) => !ids.has(id)).length
  }
  return { agencies: changes, counts, records, derived, state }
}

/** Reads a folder and says what importing it would do; writes nothing. */
export async function previewDirectoryImport(ctx: ServiceContext, folder: string): Promise<DirectoryPreview> {
  const read = readPackage(folder)
  const fatal = read.problems.some((problem) => problem.fatal)
  const { skipped } = withoutBadRows(read)
  const { derived: _derived, state: _state, ...planned } = await plan(ctx.db, ctx, read.tables)
  const problems = [...read.problems.filter((problem) => problem.fatal), ...read.problems.filter((problem) => !problem.fatal)]
  return {
    folder,
    files: read.files,
    problems: problems.slice(0, PREVIEW_PROBLEMS),
    problemCount: problems.length,
    badRows: skipped.length,
    fatal,
    notes: read.notes.slice(0, PREVIEW_NOTES),
    noteCount: read.notes.length,
    ...planned,
  }
}

async function writeAgencies(trx: Trx, ctx: ServiceContext, planned: Planned, now: string): Promise<Record<string, number>> {
  const mapping: Record<string, number> = {}
  const setTypes = async (agencyId: number, types: ReferralType[]) => {
    await trx.deleteFrom('agency_referral_types').where('agency_id', '=', agencyId).execute()
    await trx.insertInto('agency_referral_types').values(types.map((type) => ({ agency_id: agencyId, type }))).execute()
  }
  // Removals first, so a name given up by one organization can be taken by another in the same package.
  // Every agency named here was read from the center's own directory (plan); the writes say the center again all the same.
  const ours = inCenter(ctx, 'agencies')
  for (const change of planned.agencies) {
    if (change.change === 'removed') {
      await trx.deleteFrom('agency_referral_types').where('agency_id', '=', change.agencyId!).execute()
      await trx.deleteFrom('agencies').where('id', '=', change.agencyId!).$call(ours).execute()
    } else if (change.change === 'deactivated') {
      const agency = await trx.selectFrom('agencies').select('notes').where('id', '=', change.agencyId!).$call(ours).executeTakeFirstOrThrow()
      const note = formatMessage('en', 'hsds.removedNote', { date: localDate(ctx) })
      const notes = [agency.notes, note].filter(Boolean).join('\n').slice(-1000)
      await trx.updateTable('agencies').set({ active: 0, notes, updated_at: now }).where('id', '=', change.agencyId!).$call(ours).execute()
    }
  }
  for (const change of planned.agencies) {
    const agency = planned.derived.get(change.hsdsId)
    if (!agency) continue
    const columns = { ...columnsOf(agency), name_key: normalizeName(agency.name) }
    if (change.change === 'new') {
      const row = await trx.insertInto('agencies').values({ ...columns, center_id: centerId(ctx), active: 1, created_at: now, updated_at: now }).returning('id').executeTakeFirstOrThrow()
      await setTypes(row.id, agency.types)
      mapping[change.hsdsId] = row.id
      continue
    }
    mapping[change.hsdsId] = change.agencyId!
    if (change.change !== 'changed') continue
    const current = await trx.selectFrom('agencies').select('verified_on').where('id', '=', change.agencyId!).$call(ours).executeTakeFirstOrThrow()
    const verified = [current.verified_on, columns.verified_on].filter((day) => day !== null).sort().at(-1) ?? null
    await trx.updateTable('agencies').set({ ...columns, verified_on: verified, updated_at: now }).where('id', '=', change.agencyId!).$call(ours).execute()
    if (change.fields.includes('types')) await setTypes(change.agencyId!, agency.types)
  }
  return mapping
}

/**
 * Imports a folder into the window's center's directory in one transaction. With any problem it refuses and writes
 * nothing, unless told to skip bad rows: then it leaves them (and rows naming them) out and
 * reports each. A problem with a whole file is never skipped.
 */
export async function importDirectory(ctx: ServiceContext, folder: string, options: { skipBadRows: boolean }): Promise<DirectoryImportResult> {
  const read = readPackage(folder)
  const fatal = read.problems.filter((problem) => problem.fatal)
  if (fatal.length > 0) throw new ServiceError('VALIDATION', 'hsds.fileProblems', { count: fatal.length, first: fatal[0]!.message, problems: fatal })
  const { tables, skipped } = withoutBadRows(read)
  if (skipped.length > 0 && !options.skipBadRows) {
    throw new ServiceError('VALIDATION', 'hsds.hasErrors', { count: skipped.length, first: skipped[0]!.message, problems: skipped.slice(0, 200) })
  }
  return inTransaction(ctx, async (trx) => {
    const now = isoNow(ctx)
    const planned = await plan(trx, ctx, tables)
    const agencies = await writeAgencies(trx, ctx, planned, now)
    const records: HsdsState['records'] = {}
    for (const table of HSDS_TABLES) {
      if (tables[table.name].length > 0) records[table.name] = Object.fromEntries(tables[table.name].map((row) => [row.id!.trim(), row]))
    }
    await putSetting(trx, hsdsStateKey(centerId(ctx)), { records, agencies, importedAt: now } satisfies HsdsState, now)
    await appendAudit(trx, now, {
      staffId: ctx.staffId,
      action: 'directory.import',
      detail: { center: centerId(ctx), agencies: planned.counts, records: planned.records, skipped: skipped.length },
    })
    const { derived: _derived, state: _state, ...result } = planned
    return { ...result, skipped }
  })
}
