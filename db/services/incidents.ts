import type { Kysely, Selectable } from 'kysely'
import {
  CRITICAL_KINDS,
  MAX_NALOXONE_DOSES,
  type Incident,
  type IncidentChange,
  type IncidentKind,
  type IncidentPerson,
  type IncidentPersonInput,
  type IncidentRow,
  type OverdoseOutcome,
} from '../incident-types'
import type { Database, IncidentsTable } from '../schema'
import type { Role } from '../types'
import { appendAudit } from './audit'
import { inTransaction, isoNow, localDate, ServiceError, type ServiceContext, type Trx } from './context'
import { activeParticipant } from './profile'
import { centerId, inCenter, type CenterScope } from './centers'

/** Who is asking: the door let only signed-in staff through; the service decides whose reports they read. */
export interface Viewer {
  staffId: number
  role: Role
}

/** Managers and admins read, review and close every report; everyone else reads the ones they wrote. */
const seesAll = (viewer: Viewer) => viewer.role === 'manager' || viewer.role === 'admin'

/** The fields filled in later; all but kind, time and the one line may stay empty. */
export interface IncidentDetails {
  kind?: IncidentKind
  occurredAt?: string
  summary?: string
  critical?: boolean
  location?: string | null
  naloxoneDoses?: number | null
  emsCalled?: boolean | null
  outcome?: OverdoseOutcome | null
  narrative?: string | null
  actionsTaken?: string | null
  followUp?: string | null
  people?: IncidentPersonInput[]
}

export interface IncidentStart extends IncidentDetails {
  kind: IncidentKind
  summary: string
}

/** A report's time may run a minute ahead of this computer's clock (a watch set fast), not more. */
const FUTURE_SLACK_MS = 60_000
/** Older than this is a typo in the year, not a late report. */
const MAX_AGE_MS = 366 * 24 * 3600_000

type Row = Selectable<IncidentsTable>
type Columns = Omit<Row, 'id' | 'created_by' | 'created_at' | 'updated_at' | 'closed_at' | 'closed_by' | 'review_note' | 'center_id'>

/** The columns a set of details writes, checked: a clear message naming the field, before anything is written. */
function columnsOf(ctx: ServiceContext, details: IncidentDetails, before: Columns | null): Partial<Columns> {
  const out: Partial<Columns> = {}
  const kind = details.kind ?? before?.kind
  if (details.kind !== undefined) out.kind = details.kind
  if (details.occurredAt !== undefined) {
    const at = new Date(details.occurredAt)
    if (Number.isNaN(at.getTime())) throw new ServiceError('VALIDATION', 'input.dateTime', { field: 'occurredAt' })
    const now = ctx.now().getTime()
    if (at.getTime() > now + FUTURE_SLACK_MS) throw new ServiceError('VALIDATION', 'incidents.future', { field: 'occurredAt' })
    if (at.getTime() < now - MAX_AGE_MS) throw new ServiceError('VALIDATION', 'incidents.tooOld', { field: 'occurredAt' })
    out.occurred_at = at.toISOString()
    out.occurred_on = localDate(ctx, at)
  }
  if (details.summary !== undefined) {
    const summary = details.summary.trim()
    if (summary.length === 0 || summary.length > 200 || /[\r\n]/.test(summary)) throw new ServiceError('VALIDATION', 'incidents.summary', { field: 'summary' })
    out.summary = summary
  }
  if (details.critical !== undefined) out.critical = details.critical ? 1 : 0
  const text = (value: string | null | undefined) => (value === undefined ? undefined : value?.trim() || null)
  const set = <K extends 'location' | 'narrative' | 'actions_taken' | 'follow_up'>(column: K, value: string | null | undefined) => {
    const cleaned = text(value)
    if (cleaned !== undefined) out[column] = cleaned
  }
  set('location', details.location)
  set('narrative', details.narrative)
  set('actions_taken', details.actionsTaken)
  set('follow_up', details.followUp)
  if (details.naloxoneDoses !== undefined) {
    const doses = details.naloxoneDoses
    if (doses !== null && (!Number.isInteger(doses) || doses < 0 || doses > MAX_NALOXONE_DOSES)) {
      throw new ServiceError('VALIDATION', 'incidents.doses', { field: 'naloxoneDoses' })
    }
    out.naloxone_doses = doses
  }
  if (details.emsCalled !== undefined) out.ems_called = details.emsCalled === null ? null : details.emsCalled ? 1 : 0
  if (details.outcome !== undefined) out.outcome = details.outcome
  // Doses and an outcome belong to an overdose response; on any other kind they would be counted nowhere.
  if (kind !== 'overdose') {
    const doses = out.naloxone_doses !== undefined ? out.naloxone_doses : (before?.naloxone_doses ?? null)
    const outcome = out.outcome !== undefined ? out.outcome : (before?.outcome ?? null)
    if (doses !== null && doses > 0) throw new ServiceError('VALIDATION', 'incidents.overdoseOnly', { field: 'naloxoneDoses' })
    if (outcome !== null) throw new ServiceError('VALIDATION', 'incidents.overdoseOnly', { field: 'outcome' })
  }
  return out
}

/** Checks the people named and makes their rows; a participant merged away is refused (name the kept record). */
async function peopleRows(trx: Trx, ctx: CenterScope, people: IncidentPersonInput[]) {
  const rows: { participant_id: number | null; staff_id: number | null; description: string | null }[] = []
  for (const person of people) {
    const description = person.description?.trim() || null
    if (description !== null && (description.length > 80 || /[\r\n]/.test(description))) throw new ServiceError('VALIDATION', 'incidents.description', { field: 'people' })
    const participantId = person.participantId ?? null
    const staffId = person.staffId ?? null
    if (participantId !== null && staffId !== null) throw new ServiceError('VALIDATION', 'incidents.onePerson', { field: 'people' })
    if (participantId !== null) await activeParticipant(trx, participantId, ctx)
    if (staffId !== null) {
      const staff = await trx.selectFrom('staff').select('id').where('id', '=', staffId).executeTakeFirst()
      if (!staff) throw new ServiceError('NOT_FOUND', 'incidents.staffNotFound', { field: 'people' })
    }
    rows.push({ participant_id: participantId, staff_id: staffId, description })
  }
  return rows
}

async function peopleOf(trx: Trx, scope: CenterScope, incidentId: number): Promise<IncidentPerson[]> {
  const rows = await trx
    .selectFrom('incident_people as ip')
    // The incident was read in the window's center; so are the people it names.
    .leftJoin('participants as p', (join) => join.onRef('p.id', '=', 'ip.participant_id').on('p.center_id', '=', centerId(scope)))
    .leftJoin('staff as s', 's.id', 'ip.staff_id')
    .select(['ip.participant_id', 'ip.staff_id', 'ip.description', 'p.first_name', 'p.last_name', 'p.nickname', 'p.code', 's.display_name'])
    .where('ip.incident_id', '=', incidentId)
    .orderBy('ip.id')
    .execute()
  return rows.map((row) => ({
    participantId: row.participant_id,
    staffId: row.staff_id,
    name: row.display_name ?? ([row.nickname ?? row.first_name, row.last_name].filter(Boolean).join(' ') || null),
    code: row.code,
    description: row.description,
  }))
}

function peopleKey(people: { participant_id: number | null; staff_id: number | null; description: string | null }[]) {
  return people.map((p) => ({ participantId: p.participant_id, staffId: p.staff_id, description: p.description }))
}

function rowQuery(trx: Kysely<Database>, scope: CenterScope) {
  return trx
    .selectFrom('incidents as i')
    .$call(inCenter(scope, 'i'))
    .leftJoin('staff as c', 'c.id', 'i.created_by')
    .leftJoin('staff as x', 'x.id', 'i.closed_by')
    .selectAll('i')
    .select(['c.display_name as created_by_name', 'x.display_name as closed_by_name'])
}

function toRow(row: Row & { created_by_name: string | null }): IncidentRow {
  return { id: row.id, kind: row.kind, occurredAt: row.occurred_at, summary: row.summary, critical: row.critical === 1, closed: row.closed_at !== null, createdByName: row.created_by_name }
}

async function readIncident(trx: Trx, scope: CenterScope, id: number): Promise<Incident> {
  const row = await rowQuery(trx, scope).where('i.id', '=', id).executeTakeFirstOrThrow()
  const history = await trx
    .selectFrom('incident_history as h')
    .leftJoin('staff as s', 's.id', 'h.staff_id')
    .select(['h.action', 'h.at', 'h.changes', 's.display_name'])
    .where('h.incident_id', '=', id)
    .orderBy('h.id')
    .execute()
  return {
    ...toRow(row),
    location: row.location,
    naloxoneDoses: row.naloxone_doses,
    emsCalled: row.ems_called === null ? null : row.ems_called === 1,
    outcome: row.outcome,
    narrative: row.narrative,
    actionsTaken: row.actions_taken,
    followUp: row.follow_up,
    reviewNote: row.review_note,
    closedAt: row.closed_at,
    closedByName: row.closed_by_name,
    createdAt: row.created_at,
    createdBy: row.created_by,
    people: await peopleOf(trx, scope, id),
    history: history.map((h): IncidentChange => ({ action: h.action, at: h.at, staffName: h.display_name, changes: JSON.parse(h.changes) as IncidentChange['changes'] })),
  }
}

/** The report, if this viewer may read it: their own, or any for a manager or admin. */
async function readable(trx: Trx, scope: CenterScope, viewer: Viewer, id: number): Promise<Row> {
  const row = await trx.selectFrom('incidents').selectAll().where('id', '=', id).$call(inCenter(scope, 'incidents')).executeTakeFirst()
  if (!row) throw new ServiceError('NOT_FOUND', 'incidents.notFound')
  if (!seesAll(viewer) && row.created_by !== viewer.staffId) throw new ServiceError('FORBIDDEN', 'incidents.notYours')
  return row
}

async function record(trx: Trx, ctx: ServiceContext, incidentId: number, action: IncidentChange['action'], changes: IncidentChange['changes'], now: string) {
  await trx.insertInto('incident_history').values({ incident_id: incidentId, action, changes: JSON.stringify(changes), staff_id: ctx.staffId, at: now }).execute()
  // The audit log names the report and its kind, never the narrative: admins browse it.
  await appendAudit(trx, now, { staffId: ctx.staffId, action: `incident.${action}`, targetType: 'incident', targetId: incidentId, detail: { fields: Object.keys(changes) } })
}

/**
 * Starts a report: the kind and one line are enough (the time defaults to now, on the injected
 * clock), and anything else known already may come with them.
 */
export async function startIncident(ctx: ServiceContext, viewer: Viewer, input: IncidentStart): Promise<Incident> {
  const now = isoNow(ctx)
  const columns = columnsOf(ctx, { critical: CRITICAL_KINDS.includes(input.kind), occurredAt: now, ...input }, null)
  return inTransaction(ctx, async (trx) => {
    const people = await peopleRows(trx, ctx, input.people ?? [])
    const { id } = await trx
      .insertInto('incidents')
      .values({
        center_id: centerId(ctx),
        kind: input.kind,
        occurred_at: columns.occurred_at!,
        occurred_on: columns.occurred_on!,
        summary: columns.summary!,
        critical: columns.critical ?? 0,
        location: columns.location ?? null,
        naloxone_doses: columns.naloxone_doses ?? null,
        ems_called: columns.ems_called ?? null,
        outcome: columns.outcome ?? null,
        narrative: columns.narrative ?? null,
        actions_taken: columns.actions_taken ?? null,
        follow_up: columns.follow_up ?? null,
        review_note: null,
        closed_at: null,
        closed_by: null,
        created_by: viewer.staffId,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    if (people.length > 0) await trx.insertInto('incident_people').values(people.map((p) => ({ ...p, incident_id: id }))).execute()
    const changes: IncidentChange['changes'] = {}
    for (const [field, after] of Object.entries(columns)) if (field !== 'occurred_on' && after !== null) changes[field] = { before: null, after }
    if (people.length > 0) changes.people = { before: [], after: peopleKey(people) }
    await record(trx, ctx, id, 'create', changes, now)
    return readIncident(trx, ctx, id)
  })
}

/** Fills in or corrects a report still open: its author, or a manager or admin. Only what changed is kept in the history. */
export async function updateIncident(ctx: ServiceContext, viewer: Viewer, id: number, details: IncidentDetails): Promise<Incident> {
  return inTransaction(ctx, async (trx) => {
    const before = await readable(trx, ctx, viewer, id)
    if (before.closed_at !== null) throw new ServiceError('CONFLICT', 'incidents.closed')
    const columns = columnsOf(ctx, details, before)
    const changes: IncidentChange['changes'] = {}
    for (const [field, after] of Object.entries(columns) as [keyof Columns, unknown][]) {
      if (field !== 'occurred_on' && before[field] !== after) changes[field] = { before: before[field], after }
    }
    if (details.people !== undefined) {
      const people = await peopleRows(trx, ctx, details.people)
      const old = await trx.selectFrom('incident_people').select(['participant_id', 'staff_id', 'description']).where('incident_id', '=', id).orderBy('id').execute()
      if (JSON.stringify(peopleKey(old)) !== JSON.stringify(peopleKey(people))) {
        changes.people = { before: peopleKey(old), after: peopleKey(people) }
        await trx.deleteFrom('incident_people').where('incident_id', '=', id).execute()
        if (people.length > 0) await trx.insertInto('incident_people').values(people.map((p) => ({ ...p, incident_id: id }))).execute()
      }
    }
    if (Object.keys(changes).length === 0) return readIncident(trx, ctx, id)
    const now = isoNow(ctx)
    await trx.updateTable('incidents').set({ ...columns, updated_at: now }).where('id', '=', id).$call(inCenter(ctx, 'incidents')).execute()
    await record(trx, ctx, id, 'update', changes, now)
    return readIncident(trx, ctx, id)
  })
}

/**
 * A manager's review: closes the report with a note. An overdose response needs its outcome first
 * (the funder counts reversals by it); a report closed already is refused, nothing written.
 */
export async function closeIncident(ctx: ServiceContext, id: number, reviewNote: string): Promise<Incident> {
  const note = reviewNote.trim()
  if (note.length < 3) throw new ServiceError('VALIDATION', 'incidents.reviewNote', { field: 'reviewNote' })
  return inTransaction(ctx, async (trx) => {
    const row = await trx.selectFrom('incidents').selectAll().where('id', '=', id).$call(inCenter(ctx, 'incidents')).executeTakeFirst()
    if (!row) throw new ServiceError('NOT_FOUND', 'incidents.notFound')
    if (row.closed_at !== null) throw new ServiceError('CONFLICT', 'incidents.alreadyClosed')
    if (row.kind === 'overdose' && row.outcome === null) throw new ServiceError('VALIDATION', 'incidents.outcomeToClose', { field: 'outcome' })
    const now = isoNow(ctx)
    await trx.updateTable('incidents').set({ closed_at: now, closed_by: ctx.staffId, review_note: note, updated_at: now }).where('id', '=', id).$call(inCenter(ctx, 'incidents')).execute()
    await record(trx, ctx, id, 'close', { review_note: { before: null, after: note }, closed: { before: false, after: true } }, now)
    return readIncident(trx, ctx, id)
  })
}

/** One report with its people and history; a look at it is audited (it may name participants). */
export async function getIncident(ctx: ServiceContext, viewer: Viewer, id: number): Promise<Incident> {
  return inTransaction(ctx, async (trx) => {
    await readable(trx, ctx, viewer, id)
    await appendAudit(trx, isoNow(ctx), { staffId: ctx.staffId, action: 'incident.view', targetType: 'incident', targetId: id })
    return readIncident(trx, ctx, id)
  })
}

/** The newest reports first (open ones before closed); a manager or admin sees all, anyone else their own. */
export async function listIncidents(ctx: ServiceContext, viewer: Viewer, filter: { open?: boolean } = {}): Promise<IncidentRow[]> {
  let query = rowQuery(ctx.db, ctx)
  if (!seesAll(viewer)) query = query.where('i.created_by', '=', viewer.staffId)
  if (filter.open !== undefined) query = query.where('i.closed_at', filter.open ? 'is' : 'is not', null)
  const rows = await query.orderBy('i.occurred_at', 'desc').orderBy('i.id', 'desc').limit(500).execute()
  return rows.map(toRow)
}
