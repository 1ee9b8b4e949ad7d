import { IMPORT_PREVIEW_LIMIT, type RecordImportKind, type RecordMapping } from '../../domain/records-import'
import type { RecordProblem, RecordsImportProgress, RecordsImportResult, RecordsPreview } from '../../records-import-types'
import { localDate, ServiceError, type ServiceContext } from '../context'
import { visiblePerson } from '../visible-visits'
import { centerId, inCenter } from '../centers'
import { guessMapping, planImport, rememberedMapping, type Plan } from './plan'
import { layoutOf, readRecordsFile, type RecordsTable } from './read'
import type { ImportDatabase } from './staging'
import { writePeople, writeVisits } from './write'

/**
 * A center's old records in from CSV or Excel: a preview (the mapping, per-row problems, the dry
 * run's counts, possible duplicates to review) and the import, both given an open database of
 * their own (the worker thread's connection, or the admin command's). Nothing is written by a
 * preview; an import counts as a whole or not at all (write.ts).
 */

export interface RecordsJob {
  file: string
  kind: RecordImportKind
  /** null: the mapping remembered for files laid out like this one, or else a guess from the headers. */
  mapping: RecordMapping | null
  skipBadRows?: boolean
  /** Possible duplicates reviewed as someone already registered: the row's person is that participant. */
  matches?: Array<{ row: number; participantId: number }>
  staffId: number | null
  /** The moment of the request, ISO (the worker's clock is not the caller's in tests). */
  now: string
  timeZone?: string
  /** The importing window's center (issue 15): its people are matched, and the file's people and visits land there. Absent: the first center. */
  centerId?: number
}

const SAMPLE_ROWS = 5

function contextOf(opened: ImportDatabase, job: RecordsJob): ServiceContext {
  const now = new Date(job.now)
  return { db: opened.db, staffId: job.staffId, now: () => now, ...(job.timeZone ? { timeZone: job.timeZone } : {}), ...(job.centerId !== undefined ? { centerId: job.centerId } : {}) }
}

async function planned(opened: ImportDatabase, job: RecordsJob, table: RecordsTable, checkDuplicates: boolean, onProgress: (progress: RecordsImportProgress) => unknown) {
  const ctx = contextOf(opened, job)
  const layout = layoutOf(job.kind, table.headers)
  const remembered = job.mapping === null ? await rememberedMapping(opened.db, layout) : null
  const mapping = job.mapping ?? remembered ?? guessMapping(job.kind, table.headers)
  const plan = await planImport(opened.db, table, job.kind, mapping, {
    now: ctx.now(),
    timeZone: job.timeZone,
    today: localDate(ctx),
    center: centerId(ctx),
    checkDuplicates,
    onRow: (done, total) => onProgress({ phase: 'checking', done, total }),
  })
  return { plan, remembered: remembered !== null }
}

const sorted = (problems: RecordProblem[]) => [...problems.filter((p) => p.fatal), ...problems.filter((p) => !p.fatal)]

/** Reads the file and says what importing it would do; writes nothing. */
export async function previewRecords(opened: ImportDatabase, job: RecordsJob, onProgress: (progress: RecordsImportProgress) => void = () => {}): Promise<RecordsPreview> {
  onProgress({ phase: 'reading', done: 0, total: 1 })
  const table = await readRecordsFile(job.file)
  const { plan, remembered } = await planned(opened, job, table, true, onProgress)
  const before = table.sha256
    ? await opened.db.selectFrom('import_files').select('imported_at').$call(inCenter(contextOf(opened, job), 'import_files')).where('kind', '=', job.kind).where('sha256', '=', table.sha256).where('pending', '=', 0).executeTakeFirst()
    : undefined
  const problems = sorted(plan.problems)
  return {
    file: job.file,
    kind: job.kind,
    headers: table.headers,
    sample: table.rows.slice(0, SAMPLE_ROWS),
    mapping: plan.mapping,
    remembered,
    rows: table.rows.length,
    counts: plan.counts,
    problems: problems.slice(0, IMPORT_PREVIEW_LIMIT),
    problemCount: problems.length,
    fatal: problems.some((p) => p.fatal),
    duplicates: plan.duplicates.slice(0, IMPORT_PREVIEW_LIMIT),
    notes: table.notes,
    importedBefore: before?.imported_at ?? null,
  }
}

/** The first problem of each bad row, for the report of rows left out. */
function firstOfEachRow(plan: Plan): RecordProblem[] {
  const seen = new Set<number>()
  return plan.problems.filter((p) => p.row !== null && !p.fatal && !seen.has(p.row) && seen.add(p.row) !== undefined)
}

/**
 * Imports the file: all of it, or with bad rows only when told to skip them (write.ts: in chunks behind one switch).
 * Refuses (ServiceError, nothing written) a file that cannot be read, a mapping that leaves out a
 * required field, a row with a problem unless skipping, and a file imported before.
 */
/** `onProgress` may return a promise: the write waits for it between chunks (a test signs someone in there). */
export async function importRecords(
  opened: ImportDatabase,
  job: RecordsJob,
  onProgress: (progress: RecordsImportProgress) => void | Promise<void> = () => {},
): Promise<RecordsImportResult> {
  const started = performance.now()
  onProgress({ phase: 'reading', done: 0, total: 1 })
  const table = await readRecordsFile(job.file)
  const { plan } = await planned(opened, job, table, false, onProgress)
  const fatal = plan.problems.filter((p) => p.fatal)
  if (fatal.length > 0) throw new ServiceError('VALIDATION', 'recordsImport.refused', { count: fatal.length, first: fatal[0]!.message, problems: fatal.slice(0, 50) })
  const skipped = firstOfEachRow(plan)
  if (skipped.length > 0 && !job.skipBadRows) {
    throw new ServiceError('VALIDATION', 'recordsImport.hasErrors', { count: skipped.length, first: skipped[0]!.message, problems: skipped.slice(0, 50) })
  }
  const matches = new Map<number, number>()
  if (job.matches?.length) {
    const wanted = new Set(plan.people.filter((person) => person.existingId === null).map((person) => person.row))
    const ids = job.matches.map((match) => match.participantId)
    const found = new Set(
      (await opened.db.selectFrom('participants').select('id').where('id', 'in', ids).where('merged_into', 'is', null).where('deleted_at', 'is', null).where(visiblePerson()).$call(inCenter(contextOf(opened, job), 'participants')).execute()).map((row) => row.id),
    )
    for (const match of job.matches) {
      if (!wanted.has(match.row) || !found.has(match.participantId)) throw new ServiceError('VALIDATION', 'recordsImport.badMatch', { row: match.row })
      matches.set(match.row, match.participantId)
    }
  }
  const counts = { ...plan.counts, newPeople: plan.counts.newPeople - matches.size, matched: plan.counts.matched + matches.size, duplicates: 0 }
  const info = {
    sha256: table.sha256,
    fileName: table.name,
    rows: table.rows.length,
    counts,
    staffId: job.staffId,
    now: job.now,
    center: centerId(contextOf(opened, job)),
    matches,
    onStep: (done: number, total: number) => onProgress({ phase: 'writing', done, total }),
  }
  if (job.kind === 'visits') await writeVisits(opened, plan, info)
  else await writePeople(opened, plan, info)
  return {
    file: job.file,
    kind: job.kind,
    counts,
    skipped: skipped.slice(0, IMPORT_PREVIEW_LIMIT),
    skippedCount: skipped.length,
    seconds: Math.round((performance.now() - started) / 100) / 10,
  }
}
