import { createHash } from 'node:crypto'
import type { Selectable } from 'kysely'
import type { WorkforceCredentialKindsTable } from '../schema'
import type { Role } from '../types'
import {
  DOCUMENT_MAX_BYTES,
  EXPIRING_DAYS,
  MAX_HOURS_A_DAY,
  SHORT_HOURS_DAYS,
  credentialStatus,
  daysBetween,
  hoursOf,
  periodTotals,
  renewalPeriod,
  worstStatus,
  type Credential,
  type CountedTraining,
  type CredentialKind,
  type DocumentType,
  type DocumentUpload,
  type PeriodProgress,
  type SupervisionEntry,
  type SupervisionFormat,
  type TrainingEntry,
  type WorkforceCategory,
  type WorkforceDocument,
  type WorkforceLists,
  type WorkforceOverviewRow,
  type WorkforcePerson,
  type WorkforceReminder,
  type WorkforceReport,
  type WorkforceStaff,
} from '../workforce-types'
import { appendAudit } from './audit'
import { inTransaction, isoNow, localDate, ServiceError, type ServiceContext, type Trx } from './context'
import { workMonths } from './workforce-hours'

/**
 * The peer workforce (issue 16): credentials, training, supervision. Who may call each use case
 * is the permission table's; who may be looked at is decided here: admins and managers see
 * everyone, a peer specialist only themselves (their own training they add; a manager confirms it).
 */
export interface Viewer {
  staffId: number
  role: Role
}

type Db = ServiceContext['db'] | Trx

const SEES_EVERYONE: readonly Role[] = ['manager', 'admin']

export function seesEveryone(viewer: Viewer): boolean {
  return SEES_EVERYONE.includes(viewer.role)
}

function mustSee(viewer: Viewer, staffId: number): void {
  if (!seesEveryone(viewer) && viewer.staffId !== staffId) throw new ServiceError('FORBIDDEN', 'workforce.notYours')
}

function minutesOf(hours: number): number {
  const minutes = Math.round(hours * 60)
  if (!Number.isFinite(hours) || minutes < 1 || hours > MAX_HOURS_A_DAY) throw new ServiceError('VALIDATION', 'workforce.hoursRange', { field: 'hours', max: MAX_HOURS_A_DAY })
  return minutes
}

async function activeStaff(db: Db, staffId: number, field: string): Promise<WorkforceStaff> {
  const row = await db.selectFrom('staff').select(['id', 'display_name', 'role']).where('id', '=', staffId).where('active', '=', 1).executeTakeFirst()
  if (!row) throw new ServiceError('NOT_FOUND', 'workforce.staffUnknown', { field })
  return { id: row.id, displayName: row.display_name, role: row.role }
}

function notFuture(ctx: ServiceContext, day: string, field: string): void {
  if (day > localDate(ctx)) throw new ServiceError('VALIDATION', 'workforce.future', { field })
}

// ----- Scanned copies

const MAGIC: Array<{ mime: DocumentType; bytes: number[]; extensions: string[] }> = [
  { mime: 'application/pdf', bytes: [0x25, 0x50, 0x44, 0x46, 0x2d], extensions: ['pdf'] },
  { mime: 'image/png', bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], extensions: ['png'] },
  { mime: 'image/jpeg', bytes: [0xff, 0xd8, 0xff], extensions: ['jpg', 'jpeg'] },
]

/**
 * What a file truly is, from its first bytes, and only if its name agrees: a renamed program or a
 * Word file called scan.pdf is refused either way.
 */
export function sniffDocument(fileName: string, content: Uint8Array): DocumentType | null {
  const extension = fileName.toLowerCase().split('.').pop() ?? ''
  const match = MAGIC.find((m) => m.bytes.every((byte, i) => content[i] === byte))
  return match && match.extensions.includes(extension) ? match.mime : null
}

function decodeUpload(upload: DocumentUpload): { content: Uint8Array; mime: DocumentType } {
  const content = Buffer.from(upload.base64, 'base64')
  if (content.length === 0) throw new ServiceError('VALIDATION', 'workforce.documentEmpty', { field: 'document' })
  if (content.length > DOCUMENT_MAX_BYTES) throw new ServiceError('VALIDATION', 'workforce.documentSize', { field: 'document', max: DOCUMENT_MAX_BYTES / (1024 * 1024) })
  const mime = sniffDocument(upload.fileName, content)
  if (!mime) throw new ServiceError('VALIDATION', 'workforce.documentType', { field: 'document' })
  return { content, mime }
}

async function storeDocument(trx: Trx, ctx: ServiceContext, staffId: number, upload: { fileName: string; content: Uint8Array; mime: DocumentType }, at: string): Promise<number> {
  const row = await trx
    .insertInto('workforce_documents')
    .values({
      staff_id: staffId,
      file_name: upload.fileName.trim().slice(0, 200),
      mime: upload.mime,
      size: upload.content.length,
      sha256: createHash('sha256').update(upload.content).digest('hex'),
      content: upload.content,
      created_by: ctx.staffId,
      created_at: at,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

/** One attached document, for a person allowed to see its owner's records; every look is audited. */
export async function openDocument(ctx: ServiceContext, viewer: Viewer, id: number): Promise<{ fileName: string; mime: DocumentType; base64: string }> {
  return inTransaction(ctx, async (trx) => {
    const row = await trx.selectFrom('workforce_documents').selectAll().where('id', '=', id).executeTakeFirst()
    if (!row) throw new ServiceError('NOT_FOUND', 'workforce.documentNotFound')
    mustSee(viewer, row.staff_id)
    await appendAudit(trx, isoNow(ctx), { staffId: ctx.staffId, action: 'workforce.document_view', targetType: 'staff', targetId: row.staff_id, detail: { documentId: id } })
    return { fileName: row.file_name, mime: row.mime, base64: Buffer.from(row.content).toString('base64') }
  })
}

// ----- Lists

export function toKind(row: Selectable<WorkforceCredentialKindsTable>): CredentialKind & { requiredMinutes: number; categoryMinutes: Record<string, number>; active: boolean } {
  const categoryMinutes = JSON.parse(row.category_minutes) as Record<string, number>
  return {
    id: row.id,
    key: row.key,
    nameEn: row.name_en,
    nameEs: row.name_es,
    periodMonths: row.period_months,
    requiredHours: hoursOf(row.required_minutes),
    categoryHours: Object.fromEntries(Object.entries(categoryMinutes).map(([key, minutes]) => [key, hoursOf(minutes)])),
    requiredMinutes: row.required_minutes,
    categoryMinutes,
    active: row.active === 1,
  }
}

export async function categories(db: Db): Promise<WorkforceCategory[]> {
  const rows = await db.selectFrom('workforce_categories').selectAll().orderBy('position').orderBy('id').execute()
  return rows.map((r) => ({ id: r.id, key: r.key, nameEn: r.name_en, nameEs: r.name_es, active: r.active === 1 }))
}

/** The kinds offered for a new credential; with `archived`, also those kept only on older records. */
async function kinds(db: Db, archived = false) {
  return (
    await db
      .selectFrom('workforce_credential_kinds')
      .selectAll()
      .$if(!archived, (q) => q.where('active', '=', 1))
      .orderBy('position')
      .orderBy('id')
      .execute()
  ).map(toKind)
}

export async function workforceLists(ctx: ServiceContext, viewer: Viewer): Promise<WorkforceLists> {
  const staffRows = await ctx.db
    .selectFrom('staff')
    .select(['id', 'display_name', 'role'])
    .where('active', '=', 1)
    .$if(!seesEveryone(viewer), (q) => q.where('id', '=', viewer.staffId))
    .orderBy('display_name')
    .execute()
  return {
    kinds: (await kinds(ctx.db)).map(({ requiredMinutes: _r, categoryMinutes: _c, active: _a, ...kind }) => kind),
    categories: await categories(ctx.db),
    staff: staffRows.map((r) => ({ id: r.id, displayName: r.display_name, role: r.role })),
  }
}

// ----- Credentials

export interface CredentialInput {
  id?: number
  staffId: number
  kindId: number
  issuer: string
  number?: string | null
  issuedOn: string
  expiresOn?: string | null
  document?: DocumentUpload | null
}

function checkDates(issuedOn: string, expiresOn: string | null | undefined): void {
  if (expiresOn && expiresOn <= issuedOn) throw new ServiceError('VALIDATION', 'workforce.expiryBeforeIssue', { field: 'expiresOn' })
}

/** Adds a credential, or corrects one (a document sent replaces the copy on file). */
export async function saveCredential(ctx: ServiceContext, input: CredentialInput): Promise<Credential> {
  checkDates(input.issuedOn, input.expiresOn)
  notFuture(ctx, input.issuedOn, 'issuedOn')
  const upload = input.document ? { fileName: input.document.fileName, ...decodeUpload(input.document) } : null
  return inTransaction(ctx, async (trx) => {
    const at = isoNow(ctx)
    await activeStaff(trx, input.staffId, 'staffId')
    const kind = await trx.selectFrom('workforce_credential_kinds').select('id').where('id', '=', input.kindId).where('active', '=', 1).executeTakeFirst()
    if (!kind) throw new ServiceError('VALIDATION', 'workforce.kindUnknown', { field: 'kindId' })
    const documentId = upload ? await storeDocument(trx, ctx, input.staffId, upload, at) : undefined
    const values = {
      kind_id: input.kindId,
      issuer: input.issuer.trim(),
      number: input.number?.trim() || null,
      issued_on: input.issuedOn,
      expires_on: input.expiresOn || null,
      updated_at: at,
    }
    let id = input.id
    if (id === undefined) {
      id = (await trx
        .insertInto('workforce_credentials')
        .values({ ...values, staff_id: input.staffId, document_id: documentId ?? null, renews_id: null, created_by: ctx.staffId, created_at: at })
        .returning('id')
        .executeTakeFirstOrThrow()).id
      await appendAudit(trx, at, { staffId: ctx.staffId, action: 'workforce.credential_create', targetType: 'staff', targetId: input.staffId, detail: { credentialId: id } })
    } else {
      const existing = await trx.selectFrom('workforce_credentials').select(['staff_id']).where('id', '=', id).executeTakeFirst()
      if (!existing || existing.staff_id !== input.staffId) throw new ServiceError('NOT_FOUND', 'workforce.credentialNotFound')
      await trx
        .updateTable('workforce_credentials')
        .set({ ...values, ...(documentId !== undefined ? { document_id: documentId } : {}) })
        .where('id', '=', id)
        .execute()
      await appendAudit(trx, at, { staffId: ctx.staffId, action: 'workforce.credential_update', targetType: 'staff', targetId: input.staffId, detail: { credentialId: id } })
    }
    return (await credentialsOf(trx, ctx, input.staffId)).find((c) => c.id === id) as Credential
  })
}

/** A renewal is a new credential of the same kind that points at the one it replaces: the history stays. */
export async function renewCredential(
  ctx: ServiceContext,
  input: { id: number; issuedOn: string; expiresOn: string; number?: string | null; document?: DocumentUpload | null },
): Promise<Credential> {
  checkDates(input.issuedOn, input.expiresOn)
  notFuture(ctx, input.issuedOn, 'issuedOn')
  const upload = input.document ? { fileName: input.document.fileName, ...decodeUpload(input.document) } : null
  return inTransaction(ctx, async (trx) => {
    const at = isoNow(ctx)
    const old = await trx.selectFrom('workforce_credentials').selectAll().where('id', '=', input.id).executeTakeFirst()
    if (!old) throw new ServiceError('NOT_FOUND', 'workforce.credentialNotFound')
    const already = await trx.selectFrom('workforce_credentials').select('id').where('renews_id', '=', old.id).executeTakeFirst()
    if (already) throw new ServiceError('CONFLICT', 'workforce.alreadyRenewed')
    if (input.issuedOn < old.issued_on) throw new ServiceError('VALIDATION', 'workforce.renewalBeforeIssue', { field: 'issuedOn' })
    const documentId = upload ? await storeDocument(trx, ctx, old.staff_id, upload, at) : null
    const row = await trx
      .insertInto('workforce_credentials')
      .values({
        staff_id: old.staff_id,
        kind_id: old.kind_id,
        issuer: old.issuer,
        number: input.number?.trim() || old.number,
        issued_on: input.issuedOn,
        expires_on: input.expiresOn,
        document_id: documentId,
        renews_id: old.id,
        created_by: ctx.staffId,
        created_at: at,
        updated_at: at,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await appendAudit(trx, at, { staffId: ctx.staffId, action: 'workforce.credential_renew', targetType: 'staff', targetId: old.staff_id, detail: { credentialId: row.id, renews: old.id } })
    return (await credentialsOf(trx, ctx, old.staff_id)).find((c) => c.id === row.id) as Credential
  })
}

function documentSelect(db: Db) {
  return db.selectFrom('workforce_documents').select(['id', 'file_name', 'mime', 'size'])
}

async function documentsById(db: Db, ids: Array<number | null>): Promise<Map<number, WorkforceDocument>> {
  const wanted = ids.filter((id): id is number => id !== null)
  if (wanted.length === 0) return new Map()
  const rows = await documentSelect(db).where('id', 'in', wanted).execute()
  return new Map(rows.map((r) => [r.id, { id: r.id, fileName: r.file_name, mime: r.mime, size: r.size }]))
}

async function credentialsOf(db: Db, ctx: ServiceContext, staffId: number | null): Promise<Credential[]> {
  const today = localDate(ctx)
  const rows = await db
    .selectFrom('workforce_credentials as c')
    .innerJoin('workforce_credential_kinds as k', 'k.id', 'c.kind_id')
    .leftJoin('workforce_credentials as next', 'next.renews_id', 'c.id')
    .selectAll('c')
    .select(['k.name_en', 'k.name_es', 'next.id as renewed_by_id'])
    .$if(staffId !== null, (q) => q.where('c.staff_id', '=', staffId ?? 0))
    .orderBy('k.position')
    .orderBy('c.issued_on', 'desc')
    .execute()
  const documents = await documentsById(db, rows.map((r) => r.document_id))
  return rows.map((r) => ({
    id: r.id,
    staffId: r.staff_id,
    kindId: r.kind_id,
    kindNameEn: r.name_en,
    kindNameEs: r.name_es,
    issuer: r.issuer,
    number: r.number,
    issuedOn: r.issued_on,
    expiresOn: r.expires_on,
    status: credentialStatus(r.expires_on, today, r.renewed_by_id !== null),
    daysLeft: r.expires_on === null ? null : daysBetween(today, r.expires_on),
    document: r.document_id === null ? null : (documents.get(r.document_id) ?? null),
    renewsId: r.renews_id,
    renewedById: r.renewed_by_id,
  }))
}

// ----- Training

export interface TrainingInput {
  staffId: number
  takenOn: string
  title: string
  provider?: string | null
  hours: number
  categoryId: number
  document?: DocumentUpload | null
}

async function minutesOnDay(trx: Trx, table: 'workforce_training' | 'workforce_supervision', staffId: number, day: string): Promise<number> {
  const dayColumn = table === 'workforce_training' ? 'taken_on' : 'held_on'
  const row = await trx
    .selectFrom(table)
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('minutes'), eb.lit(0)).as('minutes'))
    .where('staff_id', '=', staffId)
    .where(dayColumn, '=', day)
    .executeTakeFirst()
  return Number(row?.minutes ?? 0)
}

/**
 * Logs a training. A specialist logs only their own, and it waits for a manager's confirmation
 * before it counts; a manager's or admin's entry counts at once.
 */
export async function addTraining(ctx: ServiceContext, viewer: Viewer, input: TrainingInput): Promise<TrainingEntry> {
  mustSee(viewer, input.staffId)
  const minutes = minutesOf(input.hours)
  notFuture(ctx, input.takenOn, 'takenOn')
  const upload = input.document ? { fileName: input.document.fileName, ...decodeUpload(input.document) } : null
  return inTransaction(ctx, async (trx) => {
    const at = isoNow(ctx)
    await activeStaff(trx, input.staffId, 'staffId')
    const category = await trx.selectFrom('workforce_categories').select('id').where('id', '=', input.categoryId).where('active', '=', 1).executeTakeFirst()
    if (!category) throw new ServiceError('VALIDATION', 'workforce.categoryUnknown', { field: 'categoryId' })
    if ((await minutesOnDay(trx, 'workforce_training', input.staffId, input.takenOn)) + minutes > MAX_HOURS_A_DAY * 60) {
      throw new ServiceError('VALIDATION', 'workforce.dayOver', { field: 'hours', date: input.takenOn })
    }
    const documentId = upload ? await storeDocument(trx, ctx, input.staffId, upload, at) : null
    const confirmed = seesEveryone(viewer)
    const row = await trx
      .insertInto('workforce_training')
      .values({
        staff_id: input.staffId,
        taken_on: input.takenOn,
        title: input.title.trim(),
        provider: input.provider?.trim() || null,
        minutes,
        category_id: input.categoryId,
        document_id: documentId,
        confirmed_by: confirmed ? ctx.staffId : null,
        confirmed_at: confirmed ? at : null,
        created_by: ctx.staffId,
        created_at: at,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await appendAudit(trx, at, { staffId: ctx.staffId, action: 'workforce.training_add', targetType: 'staff', targetId: input.staffId, detail: { trainingId: row.id, minutes } })
    return (await trainingOf(trx, input.staffId)).find((t) => t.id === row.id) as TrainingEntry
  })
}

/** A manager confirms a specialist's own entry: from then on it counts toward the totals. */
export async function confirmTraining(ctx: ServiceContext, id: number): Promise<TrainingEntry> {
  return inTransaction(ctx, async (trx) => {
    const at = isoNow(ctx)
    const row = await trx.selectFrom('workforce_training').select(['staff_id', 'confirmed_at']).where('id', '=', id).executeTakeFirst()
    if (!row) throw new ServiceError('NOT_FOUND', 'workforce.trainingNotFound')
    if (row.confirmed_at !== null) throw new ServiceError('CONFLICT', 'workforce.alreadyConfirmed')
    await trx.updateTable('workforce_training').set({ confirmed_by: ctx.staffId, confirmed_at: at }).where('id', '=', id).execute()
    await appendAudit(trx, at, { staffId: ctx.staffId, action: 'workforce.training_confirm', targetType: 'staff', targetId: row.staff_id, detail: { trainingId: id } })
    return (await trainingOf(trx, row.staff_id)).find((t) => t.id === id) as TrainingEntry
  })
}

/** One person's training, newest first; everyone's with `null`. */
async function trainingOf(db: Db, staffId: number | null): Promise<TrainingEntry[]> {
  const rows = await db
    .selectFrom('workforce_training as t')
    .innerJoin('workforce_categories as c', 'c.id', 't.category_id')
    .leftJoin('staff as confirmer', 'confirmer.id', 't.confirmed_by')
    .leftJoin('staff as creator', 'creator.id', 't.created_by')
    .selectAll('t')
    .select(['c.key as category_key', 'c.name_en', 'c.name_es', 'confirmer.display_name as confirmed_by_name', 'creator.display_name as created_by_name'])
    .$if(staffId !== null, (q) => q.where('t.staff_id', '=', staffId ?? 0))
    .orderBy('t.taken_on', 'desc')
    .orderBy('t.id', 'desc')
    .execute()
  const documents = await documentsById(db, rows.map((r) => r.document_id))
  return rows.map((r) => ({
    id: r.id,
    staffId: r.staff_id,
    takenOn: r.taken_on,
    title: r.title,
    provider: r.provider,
    hours: hoursOf(r.minutes),
    categoryId: r.category_id,
    categoryKey: r.category_key,
    categoryNameEn: r.name_en,
    categoryNameEs: r.name_es,
    document: r.document_id === null ? null : (documents.get(r.document_id) ?? null),
    confirmed: r.confirmed_at !== null,
    confirmedByName: r.confirmed_by_name,
    createdByName: r.created_by_name,
  }))
}

// ----- Supervision

export interface SupervisionInput {
  staffId: number
  supervisorId: number
  heldOn: string
  hours: number
  format: SupervisionFormat
  note?: string | null
}

export async function addSupervision(ctx: ServiceContext, input: SupervisionInput): Promise<SupervisionEntry> {
  if (input.staffId === input.supervisorId) throw new ServiceError('VALIDATION', 'workforce.selfSupervision', { field: 'supervisorId' })
  const minutes = minutesOf(input.hours)
  notFuture(ctx, input.heldOn, 'heldOn')
  return inTransaction(ctx, async (trx) => {
    const at = isoNow(ctx)
    await activeStaff(trx, input.staffId, 'staffId')
    await activeStaff(trx, input.supervisorId, 'supervisorId')
    if ((await minutesOnDay(trx, 'workforce_supervision', input.staffId, input.heldOn)) + minutes > MAX_HOURS_A_DAY * 60) {
      throw new ServiceError('VALIDATION', 'workforce.dayOver', { field: 'hours', date: input.heldOn })
    }
    const row = await trx
      .insertInto('workforce_supervision')
      .values({
        staff_id: input.staffId,
        supervisor_id: input.supervisorId,
        held_on: input.heldOn,
        minutes,
        format: input.format,
        note: input.note?.trim() || null,
        created_by: ctx.staffId,
        created_at: at,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await appendAudit(trx, at, { staffId: ctx.staffId, action: 'workforce.supervision_add', targetType: 'staff', targetId: input.staffId, detail: { supervisionId: row.id, minutes } })
    return (await supervisionOf(trx, input.staffId)).find((s) => s.id === row.id) as SupervisionEntry
  })
}

async function supervisionOf(db: Db, staffId: number): Promise<SupervisionEntry[]> {
  const rows = await db
    .selectFrom('workforce_supervision as s')
    .innerJoin('staff as sup', 'sup.id', 's.supervisor_id')
    .selectAll('s')
    .select('sup.display_name as supervisor_name')
    .where('s.staff_id', '=', staffId)
    .orderBy('s.held_on', 'desc')
    .orderBy('s.id', 'desc')
    .execute()
  return rows.map((r) => ({
    id: r.id,
    staffId: r.staff_id,
    supervisorId: r.supervisor_id,
    supervisorName: r.supervisor_name,
    heldOn: r.held_on,
    hours: hoursOf(r.minutes),
    format: r.format,
    note: r.note,
  }))
}

// ----- Progress, the person's page, the overview

/** What progress is measured against: every kind's requirement and every category's names, read once per request. */
interface Requirements {
  kinds: Map<number, Awaited<ReturnType<typeof kinds>>[number]>
  names: Map<string, { nameEn: string; nameEs: string }>
}

async function requirements(db: Db): Promise<Requirements> {
  // An archived kind still has its requirement: the credentials that hold it keep their progress.
  const kindRows = new Map((await kinds(db, true)).map((k) => [k.id, k]))
  const names = new Map((await categories(db)).map((c) => [c.key, { nameEn: c.nameEn, nameEs: c.nameEs }]))
  return { kinds: kindRows, names }
}

function counted(training: TrainingEntry[]): CountedTraining[] {
  return training.map((t) => ({ takenOn: t.takenOn, minutes: Math.round(t.hours * 60), categoryKey: t.categoryKey, confirmed: t.confirmed }))
}

/** The periods progress is measured in: the first day any of them starts bounds the training worth reading. */
function periodsOf(ctx: ServiceContext, { kinds: kindRows }: Requirements, credentials: Credential[]) {
  const today = localDate(ctx)
  return credentials
    .filter((c) => c.status !== 'renewed')
    .flatMap((c) => {
      const kind = kindRows.get(c.kindId)
      if (!kind || (kind.requiredMinutes === 0 && Object.keys(kind.categoryMinutes).length === 0)) return []
      return [{ credential: c, kind, period: renewalPeriod(c.issuedOn, c.expiresOn, kind.periodMonths, today) }]
    })
}

function progressOf(ctx: ServiceContext, measured: Requirements, credentials: Credential[], training: CountedTraining[], supervision: SupervisionEntry[]): PeriodProgress[] {
  const today = localDate(ctx)
  const { names } = measured
  return periodsOf(ctx, measured, credentials).map(({ credential: c, kind, period }) => {
    const totals = periodTotals(period, kind, training)
    const supervisionMinutes = supervision.filter((s) => s.heldOn >= period.from && s.heldOn <= period.to).reduce((sum, s) => sum + Math.round(s.hours * 60), 0)
    return {
        credentialId: c.id,
        kindNameEn: c.kindNameEn,
        kindNameEs: c.kindNameEs,
        from: period.from,
        to: period.to,
        daysLeft: daysBetween(today, period.to),
        requiredHours: hoursOf(kind.requiredMinutes),
        doneHours: hoursOf(totals.doneMinutes),
        pendingHours: hoursOf(totals.pendingMinutes),
        missingHours: hoursOf(totals.missingMinutes),
        categories: totals.categories.map((cat) => ({
          key: cat.key,
          nameEn: names.get(cat.key)?.nameEn ?? cat.key,
          nameEs: names.get(cat.key)?.nameEs ?? cat.key,
          requiredHours: hoursOf(cat.requiredMinutes),
          doneHours: hoursOf(cat.doneMinutes),
          missingHours: hoursOf(cat.missingMinutes),
        })),
        supervisionHours: hoursOf(supervisionMinutes),
      }
    })
}

/** Everything about one staff member's credentials, training, supervision and work, for those allowed. */
export async function workforcePerson(ctx: ServiceContext, viewer: Viewer, staffId: number, months = 6): Promise<WorkforcePerson> {
  mustSee(viewer, staffId)
  const staff = await activeStaff(ctx.db, staffId, 'staffId')
  const credentials = await credentialsOf(ctx.db, ctx, staffId)
  const training = await trainingOf(ctx.db, staffId)
  const supervision = await supervisionOf(ctx.db, staffId)
  return {
    staff,
    credentials,
    training,
    supervision,
    progress: progressOf(ctx, await requirements(ctx.db), credentials, counted(training), supervision),
    months: await workMonths(ctx, staffId, months, training, supervision),
  }
}

interface StaffRecords {
  staff: WorkforceStaff
  credentials: Credential[]
  pendingTraining: number
  progress: PeriodProgress[]
}

/**
 * Every staff member the viewer may see with their credentials, training and progress: each table
 * read once for all of them (not once per person), and the requirements once.
 */
async function staffRecords(ctx: ServiceContext, viewer: Viewer): Promise<StaffRecords[]> {
  const lists = await workforceLists(ctx, viewer)
  const only = seesEveryone(viewer) ? null : viewer.staffId
  const byStaff = <T extends { staffId: number }>(rows: T[]) => {
    const map = new Map<number, T[]>()
    for (const row of rows) {
      const list = map.get(row.staffId)
      if (list) list.push(row)
      else map.set(row.staffId, [row])
    }
    return map
  }
  const credentials = byStaff(await credentialsOf(ctx.db, ctx, only))
  const measured = await requirements(ctx.db)
  // Only training that can count: in a current period, or waiting for confirmation. Five years of
  // everyone's history is otherwise read and dropped on every look at the overview.
  const since = periodsOf(ctx, measured, [...credentials.values()].flat()).map((p) => p.period.from).sort()[0] ?? localDate(ctx)
  const rows = await ctx.db
    .selectFrom('workforce_training as t')
    .innerJoin('workforce_categories as c', 'c.id', 't.category_id')
    .select(['t.staff_id', 't.taken_on', 't.minutes', 'c.key', 't.confirmed_at'])
    .where((eb) => eb.or([eb('t.taken_on', '>=', since), eb('t.confirmed_at', 'is', null)]))
    .$if(only !== null, (q) => q.where('t.staff_id', '=', only ?? 0))
    .execute()
  const training = byStaff(rows.map((r) => ({ staffId: r.staff_id, takenOn: r.taken_on, minutes: r.minutes, categoryKey: r.key, confirmed: r.confirmed_at !== null })))
  return lists.staff.map((staff) => {
    const own = { credentials: credentials.get(staff.id) ?? [], training: training.get(staff.id) ?? [] }
    return { staff, credentials: own.credentials, pendingTraining: own.training.filter((t) => !t.confirmed).length, progress: progressOf(ctx, measured, own.credentials, own.training, []) }
  })
}

function overviewRow({ staff, credentials, pendingTraining, progress }: StaffRecords): WorkforceOverviewRow {
  const current = credentials.filter((c) => c.status !== 'renewed')
  const expiries = current.map((c) => c.expiresOn).filter((d): d is string => d !== null).sort()
  return {
    ...staff,
    status: worstStatus(current.map((c) => c.status)),
    nextExpiry: expiries[0] ?? null,
    pendingTraining,
    missingHours: progress.reduce((sum, p) => sum + p.missingHours, 0),
  }
}

/** One row per staff member the viewer may see, worst credential status first. */
export async function workforceOverview(ctx: ServiceContext, viewer: Viewer): Promise<WorkforceOverviewRow[]> {
  return (await staffRecords(ctx, viewer)).map(overviewRow)
}

/**
 * What needs doing soon: credentials expiring within EXPIRING_DAYS (or expired), periods ending
 * within SHORT_HOURS_DAYS with hours still missing, and (for managers) entries to confirm. A
 * manager or admin sees everyone's; a specialist only their own.
 */
export async function workforceReminders(ctx: ServiceContext, viewer: Viewer): Promise<WorkforceReminder[]> {
  const reminders: WorkforceReminder[] = []
  for (const records of await staffRecords(ctx, viewer)) {
    const person = overviewRow(records)
    for (const c of records.credentials) {
      if ((c.status === 'expiring' || c.status === 'expired') && c.expiresOn !== null && c.daysLeft !== null && c.daysLeft <= EXPIRING_DAYS) {
        reminders.push({ kind: c.status, staffId: person.id, displayName: person.displayName, credentialId: c.id, kindNameEn: c.kindNameEn, kindNameEs: c.kindNameEs, date: c.expiresOn, days: c.daysLeft })
      }
    }
    for (const p of records.progress) {
      if (p.missingHours > 0 && p.daysLeft >= 0 && p.daysLeft < SHORT_HOURS_DAYS) {
        reminders.push({ kind: 'short_hours', staffId: person.id, displayName: person.displayName, credentialId: p.credentialId, kindNameEn: p.kindNameEn, kindNameEs: p.kindNameEs, date: p.to, days: p.daysLeft, missingHours: p.missingHours })
      }
    }
    if (seesEveryone(viewer) && person.pendingTraining > 0) reminders.push({ kind: 'unconfirmed', staffId: person.id, displayName: person.displayName, count: person.pendingTraining })
  }
  const order = { expired: 0, expiring: 1, short_hours: 2, unconfirmed: 3 }
  return reminders.sort((a, b) => order[a.kind] - order[b.kind] || ('days' in a && 'days' in b ? a.days - b.days : 0))
}

// ----- The workforce page of the funder report

/** Specialists by credential status (on the last day), training and supervision hours delivered in the range. */
export async function workforceReport(ctx: ServiceContext, range: { from: string; to: string }): Promise<WorkforceReport> {
  if (range.to < range.from) throw new ServiceError('VALIDATION', 'reports.endsBeforeStart', { field: 'to' })
  const asOf = { ...ctx, now: () => new Date(`${range.to}T12:00:00Z`) }
  const staff = await ctx.db.selectFrom('staff').select(['id', 'display_name', 'role']).where('active', '=', 1).orderBy('display_name').execute()
  const cats = await categories(ctx.db)
  const byCategory = new Map(cats.map((c) => [c.id, 0]))
  const byStatus: WorkforceReport['byStatus'] = { active: 0, expiring: 0, expired: 0, renewed: 0, none: 0 }
  const rows: WorkforceReport['rows'] = []
  let training = 0
  let supervision = 0
  for (const s of staff) {
    const credentials = (await credentialsOf(ctx.db, asOf, s.id)).filter((c) => c.issuedOn <= range.to && c.status !== 'renewed')
    const trainingRows = await ctx.db
      .selectFrom('workforce_training')
      .select(['category_id', 'minutes'])
      .where('staff_id', '=', s.id)
      .where('confirmed_at', 'is not', null)
      .where('taken_on', '>=', range.from)
      .where('taken_on', '<=', range.to)
      .execute()
    const supervisionRows = await ctx.db.selectFrom('workforce_supervision').select('minutes').where('staff_id', '=', s.id).where('held_on', '>=', range.from).where('held_on', '<=', range.to).execute()
    if (credentials.length === 0 && trainingRows.length === 0 && supervisionRows.length === 0) continue
    const status = worstStatus(credentials.map((c) => c.status))
    byStatus[status ?? 'none'] += 1
    const trainingMinutes = trainingRows.reduce((sum, t) => sum + t.minutes, 0)
    const supervisionMinutes = supervisionRows.reduce((sum, t) => sum + t.minutes, 0)
    for (const t of trainingRows) byCategory.set(t.category_id, (byCategory.get(t.category_id) ?? 0) + t.minutes)
    training += trainingMinutes
    supervision += supervisionMinutes
    rows.push({ id: s.id, displayName: s.display_name, role: s.role, status, credentials: credentials.length, trainingHours: hoursOf(trainingMinutes), supervisionHours: hoursOf(supervisionMinutes) })
  }
  return {
    from: range.from,
    to: range.to,
    byStatus,
    trainingHours: hoursOf(training),
    trainingByCategory: cats.map((c) => ({ key: c.key, nameEn: c.nameEn, nameEs: c.nameEs, hours: hoursOf(byCategory.get(c.id) ?? 0) })),
    supervisionHours: hoursOf(supervision),
    rows,
  }
}
