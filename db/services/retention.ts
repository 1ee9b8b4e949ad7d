import { sql, type Kysely } from 'kysely'
import type { Database } from '../schema'
import type { RetentionMode, RetentionPolicy, RetentionPreview, RetentionResult } from '../types'
import { appendAudit } from './audit'
import { inTransaction, isoNow, ServiceError, type ServiceContext, type Trx } from './context'
import { holdRunLock } from './run-lock'
import { dropMatches } from './person-matches'
import { putSetting } from './settings-store'
import { portable } from './portable'

export type { RetentionMode, RetentionPolicy, RetentionPreview, RetentionResult }

/**
 * Retention: people with no activity (no visit, no new record, no edit) for N years are
 * de-identified, never deleted.
 *
 * Why not delete: a funder's totals for a past quarter (visits, unduplicated people, services
 * given) must not change when the center later forgets someone. So the participant row stays
 * as an empty stub that keeps its visits, their dates and their services; everything that could
 * name the person goes: names, nickname, phone, date of birth, pronouns, language, how they
 * heard of the center, emergency contact, their spoken code and merge aliases, the notes on
 * their visits and on merges, and the before/after of edits to their visits. The stub is hidden
 * like a deleted record (no search, list, duplicate check or kiosk finds it).
 *
 * Two strengths:
 *  - 'deidentify' keeps coarse demographics (birth year, gender, race/ethnicity, veteran and
 *    housing status) so demographic breakdowns of past periods also stay as reported. A birth
 *    year that would make the person 90 or older is cleared (HIPAA Safe Harbor groups 90+).
 *  - 'purge' clears those too: counts stay, past demographic breakdowns move to "unknown".
 *
 * The audit log keeps its rows (it is hash-chained); they hold ids and field names, not names.
 */




export const DEFAULT_RETENTION: Readonly<RetentionPolicy> = Object.freeze({ enabled: false, years: 7, mode: 'deidentify' })
const SETTINGS_KEY = 'retention_policy'
const LAST_RUN_KEY = 'retention_last_run'
export const MIN_YEARS = 1
export const MAX_YEARS = 50
/** A fixed first name for stubs: the table requires a first name or a nickname. */
export const REMOVED_NAME = '[removed]'

function isPolicy(value: unknown): value is RetentionPolicy {
  const p = value as Partial<RetentionPolicy> | null
  return (
    !!p &&
    typeof p.enabled === 'boolean' &&
    Number.isInteger(p.years) &&
    p.years! >= MIN_YEARS &&
    p.years! <= MAX_YEARS &&
    (p.mode === 'deidentify' || p.mode === 'purge')
  )
}

export async function getRetentionPolicy(db: Kysely<Database>): Promise<RetentionPolicy> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', SETTINGS_KEY).executeTakeFirst()
  if (!row) return { ...DEFAULT_RETENTION }
  try {
    const stored: unknown = JSON.parse(row.value)
    return isPolicy(stored) ? stored : { ...DEFAULT_RETENTION }
  } catch {
    return { ...DEFAULT_RETENTION }
  }
}

export async function setRetentionPolicy(ctx: ServiceContext, policy: RetentionPolicy): Promise<RetentionPolicy> {
  if (!isPolicy(policy)) {
    throw new ServiceError('VALIDATION', 'retention.years', { field: 'years', min: MIN_YEARS, max: MAX_YEARS })
  }
  return inTransaction(ctx, async (trx) => {
    const now = isoNow(ctx)
    const before = await getRetentionPolicy(trx)
    await putSetting(trx, SETTINGS_KEY, policy, now)
    await appendAudit(trx, now, { staffId: ctx.staffId, action: 'settings.retention', detail: { before, after: policy } })
    return policy
  })
}

/** When the policy last ran (on demand or on schedule), or null. */
export async function lastRetentionRun(db: Kysely<Database>): Promise<string | null> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', LAST_RUN_KEY).executeTakeFirst()
  return row?.value ?? null
}

function cutoffFor(now: Date, years: number): string {
  const cutoff = new Date(now)
  cutoff.setUTCFullYear(cutoff.getUTCFullYear() - years)
  return cutoff.toISOString()
}

/** The kept records (not merged away, not yet de-identified) with no activity since the cutoff. */
function dueIds(db: Kysely<Database>, cutoff: string) {
  return db
    .selectFrom('participants')
    .select('id')
    .where('merged_into', 'is', null)
    .where('deidentified_at', 'is', null)
    .where((eb) => eb(portable(db).latest(eb.ref('created_at'), eb.ref('updated_at'), eb.fn.coalesce('last_visit_at', 'created_at')), '<', cutoff))
    // Work on a referral or a consent is activity too.
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom('referrals').select('referrals.id').whereRef('referrals.participant_id', '=', 'participants.id').where('referrals.updated_at', '>=', cutoff))))
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom('consents').select('consents.id').whereRef('consents.participant_id', '=', 'participants.id').where('consents.updated_at', '>=', cutoff))))
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom('assessments').select('assessments.id').whereRef('assessments.participant_id', '=', 'participants.id').where('assessments.updated_at', '>=', cutoff))))
}

async function measure(db: Kysely<Database>, policy: RetentionPolicy, cutoff: string): Promise<RetentionPreview> {
  const due = dueIds(db, cutoff)
  const everyone = db
    .selectFrom('participants')
    .select('id')
    .where((eb) => eb.or([eb('id', 'in', due), eb('merged_into', 'in', due)]))
  const row = await db
    .selectNoFrom((eb) => [
      eb.selectFrom(due.as('d')).select((e) => e.fn.countAll<number>().as('n')).as('people'),
      eb
        .selectFrom('participants')
        .select((e) => e.fn.countAll<number>().as('n'))
        .where('merged_into', 'in', due)
        .as('mergedRecords'),
      eb
        .selectFrom('visits')
        .select((e) => e.fn.countAll<number>().as('n'))
        .where('participant_id', 'in', everyone)
        .as('visits'),
      eb
        .selectFrom('visits')
        .select((e) => e.fn.countAll<number>().as('n'))
        .where('participant_id', 'in', everyone)
        .where('note', 'is not', null)
        .as('visitNotes'),
      eb
        .selectFrom('visit_changes')
        .select((e) => e.fn.countAll<number>().as('n'))
        .where('visit_id', 'in', eb.selectFrom('visits').select('id').where('participant_id', 'in', everyone))
        .where('before', '!=', '{"redacted":true}')
        .as('visitChanges'),
      eb
        .selectFrom('referrals')
        .select((e) => e.fn.countAll<number>().as('n'))
        .where('participant_id', 'in', everyone)
        .as('referrals'),
      eb
        .selectFrom('consents')
        .select((e) => e.fn.countAll<number>().as('n'))
        .where('participant_id', 'in', everyone)
        .as('consents'),
      eb
        .selectFrom('assessments')
        .select((e) => e.fn.countAll<number>().as('n'))
        .where('participant_id', 'in', everyone)
        .as('assessments'),
    ])
    .executeTakeFirstOrThrow()
  return {
    policy,
    cutoff,
    people: Number(row.people),
    mergedRecords: Number(row.mergedRecords),
    visits: Number(row.visits),
    visitNotes: Number(row.visitNotes),
    visitChanges: Number(row.visitChanges),
    referrals: Number(row.referrals),
    consents: Number(row.consents),
    assessments: Number(row.assessments),
  }
}

/**
 * The dry run: what applying the policy now would touch. Works whether or not the policy is
 * switched on (an admin may look before deciding); `years`/`mode` may be tried before saving.
 */
export async function previewRetention(ctx: ServiceContext, override?: Partial<RetentionPolicy>): Promise<RetentionPreview> {
  const policy = { ...(await getRetentionPolicy(ctx.db)), ...override }
  if (!isPolicy(policy)) throw new ServiceError('VALIDATION', 'retention.years', { field: 'years', min: MIN_YEARS, max: MAX_YEARS })
  return measure(ctx.db, policy, cutoffFor(ctx.now(), policy.years))
}

async function deidentify(trx: Trx, ids: number[], mode: RetentionMode, now: string, nowYear: number): Promise<void> {
  for (let start = 0; start < ids.length; start += 500) {
    const chunk = ids.slice(start, start + 500)
    await trx
      .updateTable('participants')
      .set((eb) => ({
        // The code is what a person says at the desk; a stub's code says nothing and cannot be said.
        code: sql<string>`'~' || id`,
        // A form still open on another PC is refused rather than writing the person back.
        row_version: eb('row_version', '+', 1),
        first_name: REMOVED_NAME,
        nickname: null,
        last_name: null,
        phone: null,
        phone_digits: null,
        name_key: '',
        first_key: null,
        nick_key: null,
        last_key: null,
        birth_date: null,
        pronouns: null,
        preferred_language: null,
        heard_about: null,
        emergency_contact_name: null,
        emergency_contact_phone: null,
        ...(mode === 'purge'
          ? { birth_year: null, gender: null, race_ethnicity: null, veteran_status: null, housing_status: null }
          : { birth_year: eb.case().when('birth_year', '<=', nowYear - 90).then(null).else(eb.ref('birth_year')).end() }),
        deleted_at: sql<string>`coalesce(deleted_at, ${now})`,
        deidentified_at: now,
        updated_at: now,
      }))
      .where('id', 'in', chunk)
      .execute()
    await trx.deleteFrom('participant_aliases').where('participant_id', 'in', chunk).execute()
    // A removed record is no one's match across centers any more.
    await dropMatches(trx, chunk)
    await trx
      .updateTable('participant_merges')
      .set({ note: null, merged_code: sql<string>`'~' || merged_id`, updated_at: now })
      .where((eb) => eb.or([eb('kept_id', 'in', chunk), eb('merged_id', 'in', chunk)]))
      .execute()
    await trx.updateTable('visits').set({ note: null }).where('participant_id', 'in', chunk).where('note', 'is not', null).execute()
    await trx
      .updateTable('visit_changes')
      .set((eb) => ({
        before: '{"redacted":true}',
        after: '{"redacted":true}',
        reason: eb.case().when('reason', 'is', null).then(null).else('[removed]').end(),
      }))
      .where('visit_id', 'in', trx.selectFrom('visits').select('id').where('participant_id', 'in', chunk))
      .where('before', '!=', '{"redacted":true}')
      .execute()
    // Referrals keep their kind, agency, dates and status (referral completion counts); the
    // words written about the person go. Consents keep their dates and recipient for the record.
    await trx
      .updateTable('referrals')
      .set((eb) => ({ note: null, outcome_note: null, updated_at: now, row_version: eb('row_version', '+', 1) }))
      .where('participant_id', 'in', chunk)
      .execute()
    await trx
      .updateTable('referral_events')
      .set({ note: '[removed]' })
      .where('referral_id', 'in', trx.selectFrom('referrals').select('id').where('participant_id', 'in', chunk))
      .where('note', 'is not', null)
      .where('note', '!=', '[removed]')
      .execute()
    await trx.updateTable('consents').set({ purpose: REMOVED_NAME, revoke_note: null, updated_at: now }).where('participant_id', 'in', chunk).execute()
    // Assessments keep their date, answers and total (recovery-capital change is a funder figure).
    await trx.updateTable('assessments').set({ note: null, void_reason: null, updated_at: now }).where('participant_id', 'in', chunk).execute()
  }
}

/**
 * Applies the policy in one transaction with its audit row. `expectedPeople` is the count the
 * admin saw in the dry run: if the records changed since, nothing is done and the dry run must be
 * looked at again. The scheduler passes none (it acts on the policy the admin switched on).
 */
export async function applyRetention(ctx: ServiceContext, options: { expectedPeople?: number; scheduled?: boolean } = {}): Promise<RetentionResult> {
  return inTransaction(ctx, async (trx) => {
    // One run at a time across PCs: the second counts again after the first has committed.
    await holdRunLock<Database>(trx)(trx, 'retention')
    const policy = await getRetentionPolicy(trx)
    if (!policy.enabled) {
      throw new ServiceError('CONFLICT', 'retention.off')
    }
    const nowDate = ctx.now()
    const now = nowDate.toISOString()
    const cutoff = cutoffFor(nowDate, policy.years)
    const preview = await measure(trx, policy, cutoff)
    if (options.expectedPeople !== undefined && options.expectedPeople !== preview.people) {
      throw new ServiceError(
        'CONFLICT',
        'retention.changed', { expected: options.expectedPeople, due: preview.people },
      )
    }
    const kept = (await dueIds(trx, cutoff).execute()).map((row) => row.id)
    const merged =
      kept.length === 0
        ? []
        : (
            await trx
              .selectFrom('participants')
              .select('id')
              .where('merged_into', 'in', dueIds(trx, cutoff))
              .where('deidentified_at', 'is', null)
              .execute()
          ).map((row) => row.id)
    await deidentify(trx, [...kept, ...merged], policy.mode, now, nowDate.getUTCFullYear())
    await trx
      .insertInto('settings')
      .values({ key: LAST_RUN_KEY, value: now, updated_at: now })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: now, updated_at: now }))
      .execute()
    const { policy: _policy, ...counts } = preview
    await appendAudit(trx, now, {
      staffId: ctx.staffId,
      action: 'retention.apply',
      detail: { ...counts, years: policy.years, mode: policy.mode, scheduled: options.scheduled ?? false },
    })
    return { ...preview, appliedAt: now }
  })
}
