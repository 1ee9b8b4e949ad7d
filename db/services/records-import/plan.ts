import { createHash } from 'node:crypto'
import type { Kysely } from 'kysely'
import { message, type MessageKey, type MessageRef } from '../../../shared/messages'
import { IMPORT_FIELDS, missingRequired, type RecordImportField, type RecordImportKind, type RecordMapping } from '../../domain/records-import'
import type { PossibleDuplicate, RecordCounts, RecordProblem } from '../../records-import-types'
import type { Database } from '../../schema'
import type { FieldRules } from '../../types'
import { ServiceError } from '../context'
import { inCenter } from '../centers'
import { findDuplicates } from '../duplicates'
import { getFieldRules } from '../field-rules'
import { isFormulaLike } from '../hsds/tables'
import { applyParticipantFields, normalizeName, type ParticipantFieldsInput, type ParticipantValues } from '../participant-fields'
import { visiblePerson } from '../visible-visits'
import { layoutOf, MAX_CELL, type RecordsTable } from './read'
import { CenterClock, parseDay, parseHousing, parsePhone, parseTime, parseVeteran } from './values'

export interface PlannedPerson {
  row: number
  key: string
  values: ParticipantValues
  /** The Porchlight code the file gives, when it gives one. */
  code: string | null
  /** Someone already here with that code: the row is matched to them, nothing is created. */
  existingId: number | null
}

export interface PlannedVisit {
  row: number
  key: string
  participantId: number | null
  day: string
  signedInAt: string
  signedOutAt: string | null
  serviceIds: number[]
  note: string | null
}

export interface Plan {
  kind: RecordImportKind
  layout: string
  mapping: RecordMapping
  problems: RecordProblem[]
  fatal: boolean
  badRows: Set<number>
  people: PlannedPerson[]
  visits: PlannedVisit[]
  duplicates: PossibleDuplicate[]
  counts: RecordCounts
  /** Keys seen twice in the file: the second is the same row again. */
  repeated: number
}

/** What a column's header is often called, normalized (lower case, no accents, punctuation as spaces). */
const SYNONYMS: Record<RecordImportField, string[]> = {
  personId: ['id', 'person id', 'client id', 'participant id', 'member id', 'record id', 'old id'],
  code: ['code', 'card', 'card number', 'codigo', 'porchlight code'],
  firstName: ['first name', 'first', 'given name', 'nombre', 'firstname'],
  nickname: ['nickname', 'goes by', 'preferred name', 'apodo'],
  lastName: ['last name', 'last', 'surname', 'family name', 'apellido', 'lastname'],
  birthDate: ['dob', 'date of birth', 'birth date', 'birthdate', 'fecha de nacimiento', 'born'],
  birthYear: ['birth year', 'year of birth', 'yob', 'ano de nacimiento'],
  phone: ['phone', 'phone number', 'telephone', 'cell', 'mobile', 'telefono'],
  pronouns: ['pronouns', 'pronombres'],
  gender: ['gender', 'sex', 'genero'],
  raceEthnicity: ['race', 'ethnicity', 'race ethnicity', 'raza'],
  veteranStatus: ['veteran', 'veteran status', 'veterano'],
  housingStatus: ['housing', 'housing status', 'vivienda'],
  preferredLanguage: ['language', 'preferred language', 'idioma'],
  heardAbout: ['heard about', 'referral source', 'how did you hear', 'source'],
  person: ['person', 'person id', 'client id', 'participant id', 'member id', 'id', 'code', 'participant', 'client'],
  date: ['date', 'visit date', 'day', 'fecha', 'sign in date'],
  timeIn: ['time in', 'in', 'sign in', 'signed in', 'arrived', 'arrival', 'check in', 'hora de entrada', 'entrada'],
  timeOut: ['time out', 'out', 'sign out', 'signed out', 'left', 'departure', 'check out', 'hora de salida', 'salida'],
  services: ['services', 'service', 'servicios', 'services used'],
  note: ['note', 'notes', 'comment', 'comments', 'nota', 'notas'],
}

/** A field's name in the reader's language, as a placeholder's value. */
export const fieldName = (field: RecordImportField): MessageRef => ({ key: `recordsImport.field.${field}` as MessageKey })

const headerKey = (header: string) => normalizeName(header.replace(/[_\-/.:#]+/g, ' '))

/** A first guess at the mapping from the headers' names. */
export function guessMapping(kind: RecordImportKind, headers: readonly string[]): RecordMapping {
  const mapping: RecordMapping = {}
  const taken = new Set<string>()
  for (const field of IMPORT_FIELDS[kind]) {
    const header = headers.find((h) => !taken.has(h) && SYNONYMS[field].includes(headerKey(h)))
    if (header) {
      mapping[field] = header
      taken.add(header)
    }
  }
  return mapping
}

export const mappingSettingKey = (layout: string) => `recordsImport.mapping.${layout}`

/** The mapping last used for files laid out like this one, if any. */
export async function rememberedMapping(db: Kysely<Database>, layout: string): Promise<RecordMapping | null> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', mappingSettingKey(layout)).executeTakeFirst()
  return row ? (JSON.parse(row.value) as RecordMapping) : null
}

const hash = (parts: ReadonlyArray<string | number | null>) => createHash('sha256').update(parts.map((part) => String(part ?? '')).join('\u0000')).digest('hex').slice(0, 32)

const normalizeCode = (text: string) => text.replace(/\s+/g, '').toUpperCase()
const normalizeId = (text: string) => text.replace(/\s+/g, ' ').trim().toUpperCase()

interface Lookups {
  /** 'id:…' / 'code:…' keys of people imported before → participant id. */
  imported: Map<string, number>
  /** Porchlight codes and aliases → participant id (merged people resolved). */
  codes: Map<string, number>
  services: Map<string, number>
  rules: FieldRules
}

async function lookups(db: Kysely<Database>, kind: RecordImportKind, center: number): Promise<Lookups & { seen: Set<string> }> {
  // Rows of an import that never finished (pending, discarded at the next import) were not imported.
  const pending = db.selectFrom('import_files').select('id').where('pending', '=', 1)
  // A row's identity is its center's (0061): another center's import of the same rows is not this one's.
  const seen = new Set((await db.selectFrom('import_rows').select('row_key').$call(inCenter({ centerId: center }, 'import_rows')).where('kind', '=', kind).where('file_id', 'not in', pending).execute()).map((row) => row.row_key))
  const imported = new Map<string, number>()
  // The importing center's people only (a row never matches someone registered at another center), and
  // not a pending people list's people, who are not here yet (the next import discards them).
  const people = await db.selectFrom('participants').select(['id', 'code', 'merged_into']).where('deleted_at', 'is', null).where(visiblePerson()).$call(inCenter({ centerId: center }, 'participants')).execute()
  const ours = new Set(people.map((p) => p.id))
  const mergedInto = new Map(people.filter((p) => p.merged_into !== null).map((p) => [p.id, p.merged_into!]))
  const resolve = (id: number) => {
    let at = id
    for (let hops = 0; mergedInto.has(at) && hops < 20; hops++) at = mergedInto.get(at)!
    return at
  }
  for (const row of await db.selectFrom('import_rows').select(['row_key', 'target_id']).$call(inCenter({ centerId: center }, 'import_rows')).where('kind', '=', 'participants').where('file_id', 'not in', pending).execute()) {
    if ((row.row_key.startsWith('id:') || row.row_key.startsWith('code:')) && ours.has(row.target_id)) imported.set(row.row_key, resolve(row.target_id))
  }
  const codes = new Map(people.map((p) => [p.code, resolve(p.id)]))
  for (const alias of await db.selectFrom('participant_aliases').select(['code', 'participant_id']).execute()) if (ours.has(alias.participant_id)) codes.set(alias.code, resolve(alias.participant_id))
  const services = new Map<string, number>()
  for (const service of await db.selectFrom('services').select(['id', 'key', 'name_en', 'name_es']).execute()) {
    for (const name of [service.key, service.name_en, service.name_es]) services.set(normalizeName(name), service.id)
  }
  const rules = await getFieldRules(db)
  // Old records cannot be made complete: a field the center requires today may be blank in them.
  for (const field of Object.keys(rules) as Array<keyof FieldRules>) if (rules[field] === 'required') rules[field] = 'optional'
  return { seen, imported, codes, services, rules }
}

/** The field each participant validation key is about, to name the column. */
const FIELD_OF: Record<string, RecordImportField> = { firstName: 'firstName', birthYear: 'birthYear', birthDate: 'birthDate', veteranStatus: 'veteranStatus', housingStatus: 'housingStatus' }

/**
 * Reads every row under a mapping and compares it with the database: per-row problems, what each
 * good row would become, and the dry run's counts. Reads only. `onRow` reports progress.
 */
export async function planImport(
  db: Kysely<Database>,
  table: RecordsTable,
  kind: RecordImportKind,
  mapping: RecordMapping,
  options: { now: Date; timeZone: string | undefined; today: string; center: number; checkDuplicates: boolean; onRow?: (done: number, total: number) => void },
): Promise<Plan> {
  const file = table.name
  const problems: RecordProblem[] = [...table.problems]
  const counts: RecordCounts = { newPeople: 0, matched: 0, duplicates: 0, visits: 0, anonymous: 0, alreadyImported: 0, badRows: 0 }
  const plan: Plan = { kind, layout: layoutOf(kind, table.headers), mapping, problems, fatal: false, badRows: new Set(), people: [], visits: [], duplicates: [], counts, repeated: 0 }
  for (const [field, column] of Object.entries(mapping)) {
    if (column && !table.headers.includes(column)) problems.push({ file, row: 1, column, message: message('recordsImport.noSuchColumn', { file, column, field: fieldName(field as RecordImportField) }), fatal: true })
    if (!(IMPORT_FIELDS[kind] as readonly string[]).includes(field)) problems.push({ file, row: null, column: null, message: message('recordsImport.noSuchField', { field }), fatal: true })
  }
  for (const field of missingRequired(kind, mapping)) problems.push({ file, row: null, column: null, message: message('recordsImport.fieldRequired', { file, field: fieldName(field) }), fatal: true })
  plan.fatal = problems.some((problem) => problem.fatal)
  if (plan.fatal) return plan

  const known = await lookups(db, kind, options.center)
  for (const [field, rule] of Object.entries(known.rules)) {
    if (rule === 'hidden' && mapping[field as RecordImportField]) {
      problems.push({ file, row: null, column: mapping[field as RecordImportField]!, message: message('recordsImport.fieldHidden', { field: fieldName(field as RecordImportField) }), fatal: true })
    }
  }
  if (problems.some((problem) => problem.fatal)) {
    plan.fatal = true
    return plan
  }
  const at = new Map(table.headers.map((header, index) => [header, index]))
  const columns = Object.entries(mapping).filter(([, column]) => column) as Array<[RecordImportField, string]>
  const clock = new CenterClock(options.timeZone)
  const inFile = new Set<string>()
  const codesInFile = new Map<string, number>()
  const total = table.rows.length
  for (let index = 0; index < total; index++) {
    if (options.onRow && index % 5000 === 0) options.onRow(index, total)
    const cells = table.rows[index]!
    const row = table.rowNumbers[index]!
    const before = problems.length
    const problem = (field: RecordImportField, ref: (column: string) => MessageRef) => {
      const column = mapping[field] ?? field
      problems.push({ file, row, column, message: ref(column), fatal: false })
    }
    const cell: Partial<Record<RecordImportField, string>> = {}
    for (const [field, column] of columns) {
      const text = (cells[at.get(column)!] ?? '').trim()
      if (isFormulaLike(text)) problem(field, (c) => message('recordsImport.formula', { file, row, column: c, start: text.slice(0, 1) }))
      else if (text.includes('\u0000')) problem(field, (c) => message('recordsImport.nulCharacter', { file, row, column: c }))
      else if (text.length > MAX_CELL) problem(field, (c) => message('recordsImport.cellTooLong', { file, row, column: c, max: MAX_CELL }))
      else cell[field] = text
    }
    if (problems.length > before) {
      plan.badRows.add(row)
      continue
    }
    if (kind === 'participants') planPerson(plan, known, cell, row, problem, codesInFile, inFile, options.now, options.today)
    else planVisit(plan, known, cell, row, problem, inFile, clock, options)
    if (problems.length > before) plan.badRows.add(row)
  }
  if (kind === 'participants' && options.checkDuplicates) await reviewDuplicates(db, options.center, plan)
  counts.badRows = plan.badRows.size
  return plan
}

type Problem = (field: RecordImportField, ref: (column: string) => MessageRef) => void

function planPerson(plan: Plan, known: Lookups & { seen: Set<string> }, cell: Partial<Record<RecordImportField, string>>, row: number, problem: Problem, codesInFile: Map<string, number>, inFile: Set<string>, now: Date, today: string): void {
  const before = plan.problems.length
  const input: ParticipantFieldsInput = {}
  for (const field of ['firstName', 'nickname', 'lastName', 'pronouns', 'gender', 'raceEthnicity', 'preferredLanguage', 'heardAbout'] as const) {
    if (cell[field] !== undefined) input[field] = cell[field] || null
  }
  if (cell.birthDate) {
    const day = parseDay(cell.birthDate, today)
    if (day) input.birthDate = day
    else problem('birthDate', (column) => message('recordsImport.badDate', { row, column, value: cell.birthDate! }))
  }
  if (cell.birthYear) {
    const year = /^\d{4}$/.test(cell.birthYear) ? Number(cell.birthYear) : NaN
    if (Number.isInteger(year)) input.birthYear = year
    else problem('birthYear', (column) => message('recordsImport.badYear', { row, column, value: cell.birthYear! }))
  }
  if (cell.phone) {
    const phone = parsePhone(cell.phone)
    if (phone) input.phone = phone
    else problem('phone', (column) => message('recordsImport.badPhone', { row, column, value: cell.phone! }))
  }
  if (cell.veteranStatus) {
    const status = parseVeteran(cell.veteranStatus)
    if (status) input.veteranStatus = status
    else problem('veteranStatus', (column) => message('recordsImport.badAnswer', { row, column, value: cell.veteranStatus! }))
  }
  if (cell.housingStatus) {
    const status = parseHousing(cell.housingStatus)
    if (status) input.housingStatus = status
    else problem('housingStatus', (column) => message('recordsImport.badAnswer', { row, column, value: cell.housingStatus! }))
  }
  let code: string | null = null
  if (cell.code) {
    code = normalizeCode(cell.code)
    if (!/^[A-Z0-9-]{3,20}$/.test(code)) problem('code', (column) => message('recordsImport.badCode', { row, column, value: cell.code! }))
    else if (codesInFile.has(code)) problem('code', (column) => message('recordsImport.codeTwice', { row, column, value: code!, first: codesInFile.get(code!)! }))
    else codesInFile.set(code, row)
  }
  let values: ParticipantValues
  try {
    values = applyParticipantFields(known.rules, null, input, now).values
  } catch (error) {
    if (!(error instanceof ServiceError)) throw error
    const field = FIELD_OF[String(error.detail?.field)] ?? 'firstName'
    problem(field, (column) => message('recordsImport.badPerson', { row, column, reason: error.ref }))
    return
  }
  if (plan.problems.length > before) return
  const id = cell.personId ? normalizeId(cell.personId) : null
  const key = id ? `id:${id}` : code ? `code:${code}` : `row:${hash([values.firstName, values.nickname, values.lastName, values.birthDate, values.birthYear, values.phone])}`
  if (known.seen.has(key) || inFile.has(key)) {
    plan.counts.alreadyImported += 1
    if (inFile.has(key)) plan.repeated += 1
    return
  }
  inFile.add(key)
  const existingId = code ? (known.codes.get(code) ?? null) : null
  if (existingId !== null) plan.counts.matched += 1
  else plan.counts.newPeople += 1
  plan.people.push({ row, key, values, code, existingId })
}

function planVisit(
  plan: Plan,
  known: Lookups & { seen: Set<string> },
  cell: Partial<Record<RecordImportField, string>>,
  row: number,
  problem: Problem,
  inFile: Set<string>,
  clock: CenterClock,
  options: { now: Date; today: string },
): void {
  const before = plan.problems.length
  let participantId: number | null = null
  if (cell.person) {
    const id = normalizeId(cell.person)
    participantId = known.imported.get(`id:${id}`) ?? known.imported.get(`code:${normalizeCode(id)}`) ?? known.codes.get(normalizeCode(id)) ?? null
    if (participantId === null) problem('person', (column) => message('recordsImport.personUnknown', { row, column, value: cell.person! }))
  }
  const day = cell.date ? parseDay(cell.date, options.today) : null
  if (!cell.date) problem('date', (column) => message('recordsImport.dateRequired', { row, column }))
  else if (!day) problem('date', (column) => message('recordsImport.badDate', { row, column, value: cell.date! }))
  else if (day > options.today) problem('date', (column) => message('recordsImport.futureDate', { row, column, value: cell.date! }))
  // A log without times: the visit counts at noon (the reports' time-of-day chart shows it there).
  const timeIn = cell.timeIn ? parseTime(cell.timeIn) : '12:00'
  if (!timeIn) problem('timeIn', (column) => message('recordsImport.badTime', { row, column, value: cell.timeIn! }))
  const timeOut = cell.timeOut ? parseTime(cell.timeOut) : null
  if (cell.timeOut && !timeOut) problem('timeOut', (column) => message('recordsImport.badTime', { row, column, value: cell.timeOut! }))
  else if (timeIn && timeOut && timeOut < timeIn) problem('timeOut', (column) => message('recordsImport.outBeforeIn', { row, column }))
  const serviceIds: number[] = []
  for (const name of (cell.services ?? '').split(/[;,|]/).map((part) => part.trim()).filter(Boolean)) {
    const id = known.services.get(normalizeName(name))
    if (id === undefined) problem('services', (column) => message('recordsImport.unknownService', { row, column, value: name }))
    else if (!serviceIds.includes(id)) serviceIds.push(id)
  }
  const note = cell.note ? cell.note.replace(/\s+/g, ' ').slice(0, 500) : null
  if (plan.problems.length > before || !day || !timeIn) return
  const key = hash([cell.person ? normalizeId(cell.person) : '', day, timeIn, timeOut, [...serviceIds].sort((a, b) => a - b).join(','), note])
  if (known.seen.has(key) || inFile.has(key)) {
    plan.counts.alreadyImported += 1
    if (inFile.has(key)) plan.repeated += 1
    return
  }
  inFile.add(key)
  plan.counts.visits += 1
  if (participantId === null) plan.counts.anonymous += 1
  plan.visits.push({ row, key, participantId, day, signedInAt: clock.instant(day, timeIn), signedOutAt: timeOut ? clock.instant(day, timeOut) : null, serviceIds, note })
}

/** The desk's duplicate check for every new person: those who may already be registered are held for review. */
async function reviewDuplicates(db: Kysely<Database>, center: number, plan: Plan): Promise<void> {
  for (const person of plan.people) {
    if (person.existingId !== null) continue
    const candidates = await findDuplicates(db, { centerId: center }, person.values)
    if (candidates.length === 0) continue
    plan.counts.duplicates += 1
    const v = person.values
    plan.duplicates.push({
      row: person.row,
      name: [v.firstName, v.nickname ? `“${v.nickname}”` : null, v.lastName].filter(Boolean).join(' '),
      candidates: candidates.slice(0, 5).map((c) => ({
        id: c.id,
        code: c.code,
        name: [c.firstName, c.nickname ? `“${c.nickname}”` : null, c.lastName].filter(Boolean).join(' '),
        birthYear: c.birthYear,
        reasons: c.reasons,
      })),
    })
  }
}
