import type { KioskAnswer, KioskFactor } from '../types'
import { appendAudit } from './audit'
import { inCenter } from './centers'
import { inTransaction, isoNow, ServiceError, type ServiceContext } from './context'
import { activeOnly } from './duplicates'
import { nameKeyOf } from './participant-fields'
import { askManagerToday } from './restrictions'
import { normalizeCode, signIn, type ServiceLine } from './visits'

export type { KioskAnswer, KioskFactor }

/**
 * More people than this for one name and year (or phone ending) is not a self check-in any
 * more: the desk sorts it out.
 */
const MAX_CANDIDATES = 20

export type KioskFindInput = { firstName: string; birthYear: number } | { firstName: string; phoneLast4: string } | { code: string }

/** The second thing only the person knows, asked when a name and year fit more than one record. */
export type KioskVerifyInput = { phoneLast4: string } | { birthday: string } | { code: string }

/** What main keeps of a look-up: the answer for the screen, and the records behind it (never sent). */
export interface KioskLookup {
  answer: KioskAnswer
  candidates: number[]
}

interface Candidate {
  id: number
  code: string
  phone_digits: string | null
  birth_date: string | null
}

const CANDIDATE_COLUMNS = ['id', 'code', 'phone_digits', 'birth_date'] as const

/**
 * Self check-in: finds someone by first name (or nickname) with their birth year or the last
 * four digits of their phone, or by the code on their card (a merged record's code finds the
 * kept person). The screen faces the room, so the answer carries no name at all: the screen
 * greets the person with the name they typed themselves, and when the name and year fit more
 * than one record it asks for one more thing only the person knows instead of showing choices
 * (showing "Chidi P." beside "Tiny" told a stranger that Chidi is a client, which 42 CFR Part 2
 * forbids, and two identical "Stephanie" buttons let someone sign in as another).
 */
export async function kioskFind(ctx: ServiceContext, input: KioskFindInput, startedBy: number | null): Promise<KioskLookup> {
  let rows: Candidate[]
  if ('code' in input) {
    rows = await byCode(ctx, input.code)
  } else {
    const name = nameKeyOf(input.firstName)
    if (!name) return settle(ctx, 'name', [], startedBy)
    let query = activeOnly(ctx.db.selectFrom('participants').select(CANDIDATE_COLUMNS)).$call(inCenter(ctx, 'participants')).where((eb) => eb.or([eb('first_key', '=', name), eb('nick_key', '=', name)]))
    if ('birthYear' in input) query = query.where('birth_year', '=', input.birthYear)
    rows = await query
      .orderBy('id')
      .limit(MAX_CANDIDATES + 1)
      .execute()
    if ('phoneLast4' in input) rows = rows.filter((row) => phoneEndsWith(row, input.phoneLast4))
  }
  const by = 'code' in input ? 'code' : 'birthYear' in input ? 'name' : 'name+phone'
  return settle(ctx, by, rows, startedBy)
}

/**
 * The second step of an ambiguous look-up: of the records the first step found (kept in main,
 * never on the screen), the one this answer fits. Anything but exactly one sends the person to
 * the desk, without saying which part did not fit.
 */
export async function kioskVerify(ctx: ServiceContext, input: KioskVerifyInput, candidates: readonly number[], startedBy: number | null): Promise<KioskLookup> {
  if (candidates.length < 2) throw new ServiceError('NOT_FOUND', 'kiosk.startAgain')
  const rows = await activeOnly(ctx.db.selectFrom('participants').select(CANDIDATE_COLUMNS)).$call(inCenter(ctx, 'participants')).where('id', 'in', [...candidates]).execute()
  let fits: Candidate[]
  if ('phoneLast4' in input) fits = rows.filter((row) => phoneEndsWith(row, input.phoneLast4))
  else if ('birthday' in input) fits = rows.filter((row) => row.birth_date !== null && row.birth_date.slice(5) === input.birthday)
  else {
    const byItsCode = new Set((await byCode(ctx, input.code)).map((row) => row.id))
    fits = rows.filter((row) => byItsCode.has(row.id))
  }
  const settled = fits.length === 1
  await audit(ctx, 'kiosk.verify', { by: Object.keys(input)[0], settled, kioskStartedBy: startedBy })
  return settled ? foundOne(ctx, fits[0]!.id) : { answer: { kind: 'desk' }, candidates: [] }
}

/**
 * The one person found, unless a restriction is in force: then the desk, with the same answer an
 * ambiguous look-up gets, so the screen facing the room says nothing of why.
 */
async function foundOne(ctx: ServiceContext, id: number): Promise<KioskLookup> {
  if (await askManagerToday(ctx, ctx.db, id)) return { answer: { kind: 'desk' }, candidates: [] }
  return { answer: { kind: 'found' }, candidates: [id] }
}

async function byCode(ctx: ServiceContext, text: string): Promise<Candidate[]> {
  const code = normalizeCode(text)?.replace(/-/g, '') ?? ''
  const alias = await ctx.db.selectFrom('participant_aliases').select('participant_id').where('code', '=', code).executeTakeFirst()
  const query = activeOnly(ctx.db.selectFrom('participants').select(CANDIDATE_COLUMNS)).$call(inCenter(ctx, 'participants'))
  return (alias ? query.where('id', '=', alias.participant_id) : query.where('code', '=', code)).execute()
}

function phoneEndsWith(row: Candidate, last4: string): boolean {
  return row.phone_digits !== null && row.phone_digits.length >= 4 && row.phone_digits.endsWith(last4)
}

/** The questions that can tell these records apart: a phone or a birthday only when one is on file. */
function factorsFor(rows: Candidate[]): KioskFactor[] {
  const factors: KioskFactor[] = []
  if (rows.some((row) => row.phone_digits && row.phone_digits.length >= 4)) factors.push('phone')
  if (rows.some((row) => row.birth_date)) factors.push('birthday')
  factors.push('code')
  return factors
}

async function settle(ctx: ServiceContext, by: string, rows: Candidate[], startedBy: number | null): Promise<KioskLookup> {
  await audit(ctx, 'kiosk.find', { by, matches: rows.length, kioskStartedBy: startedBy })
  if (rows.length === 0) return { answer: { kind: 'none' }, candidates: [] }
  if (rows.length === 1) return foundOne(ctx, rows[0]!.id)
  if (rows.length > MAX_CANDIDATES) return { answer: { kind: 'desk' }, candidates: [] }
  return { answer: { kind: 'ask', factors: factorsFor(rows) }, candidates: rows.map((row) => row.id) }
}

async function audit(ctx: ServiceContext, action: 'kiosk.find' | 'kiosk.verify', detail: Record<string, unknown>): Promise<void> {
  await inTransaction(ctx, (trx) => appendAudit(trx, isoNow(ctx), { staffId: null, action, detail }))
}

/**
 * Signs in the one person this kiosk session settled on (`found`): the screen never holds a
 * record's id, so it cannot sign in anyone it was not led to by what the person typed.
 */
export async function kioskSignIn(ctx: ServiceContext, input: { services: ServiceLine[] }, session: { startedBy: number; found: readonly number[] }): Promise<null> {
  const participantId = session.found.length === 1 ? session.found[0]! : null
  if (participantId === null) throw new ServiceError('NOT_FOUND', 'kiosk.findFirst')
  try {
    await signIn(ctx, { participantId, services: input.services, kiosk: { startedBy: session.startedBy } })
    return null
  } catch (error) {
    if (error instanceof ServiceError && error.code === 'ALREADY_SIGNED_IN') {
      // The desk's message and details (visit id, time) are not for a screen facing the room.
      throw new ServiceError('ALREADY_SIGNED_IN', 'kiosk.alreadySignedIn')
    }
    // A restriction that began while the person was choosing services: to the desk, no reason.
    if (error instanceof ServiceError && error.code === 'RESTRICTED') throw new ServiceError('RESTRICTED', 'kiosk.seeDesk')
    throw error
  }
}
