import { readFileSync } from 'node:fs'
import { english } from '../../shared/messages'
import { IMPORT_FIELDS, type RecordImportKind, type RecordMapping } from '../domain/records-import'
import type { ImportDatabase } from '../services/records-import/staging'
import type { PossibleDuplicate, RecordCounts, RecordProblem } from '../records-import-types'
import { getCenterSettings } from '../services/center-settings'
import { DEFAULT_PC_SETTINGS } from '../pc-settings'
import { ServiceError } from '../services/context'
import { importRecords, previewRecords, type RecordsJob } from '../services/records-import'
import type { Progress } from './progress'

/**
 * `admin import`: a center's old people list or sign-in log into the database, from the command
 * line (the same preview and import as the app's screen, on this process's own connection).
 * Prints what it did; any refused row makes it refuse everything unless told to skip, and possible
 * duplicates refuse it until reviewed on the screen or imported as new on purpose (--duplicates-as-new).
 */

export interface ImportRecordsOptions {
  participants?: string
  visits?: string
  mapping: string
  dryRun: boolean
  skipBadRows: boolean
  /** Possible duplicates imported as new people: the command line's answer to the screen's review. */
  duplicatesAsNew?: boolean
}

export interface ImportRecordsIo {
  stdout: (line: string) => void
  stderr: (line: string) => void
  progress: () => Progress
  /** The clock, and the zone for a center that has not chosen one: the computer's, or a test's. */
  now: () => Date
  timeZone: string
}

/** Why the command refused: the caller maps it to its exit codes. */
export class ImportUsageError extends Error {}

export const IMPORT_REFUSED = 'refused'

function readMapping(file: string, kind: RecordImportKind): RecordMapping {
  let parsed: unknown
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'))
  } catch (error) {
    throw new ImportUsageError(`--mapping ${file} is not a JSON file that can be read (${error instanceof Error ? error.message : String(error)}).`)
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new ImportUsageError(`--mapping ${file} must hold one JSON object: {"field": "Column header", …}.`)
  const fields = IMPORT_FIELDS[kind] as readonly string[]
  for (const [field, column] of Object.entries(parsed)) {
    if (!fields.includes(field)) throw new ImportUsageError(`--mapping ${file}: "${field}" is not a field of a ${kind} import. Fields: ${fields.join(', ')}.`)
    if (typeof column !== 'string') throw new ImportUsageError(`--mapping ${file}: "${field}" must name a column as text.`)
  }
  return parsed as RecordMapping
}

function printCounts(io: ImportRecordsIo, kind: RecordImportKind, counts: RecordCounts): void {
  if (kind === 'participants') {
    io.stdout(`People: ${counts.newPeople} new, ${counts.matched} matched to someone already here; possible duplicates: ${counts.duplicates}.`)
  } else {
    io.stdout(`Visits: ${counts.visits} to add (${counts.anonymous} anonymous).`)
  }
  io.stdout(`Rows imported before (left alone): ${counts.alreadyImported}. Rows with a problem: ${counts.badRows}.`)
}

/** Each possible duplicate as the screen shows it: the row, and who it looks like and why. */
function printDuplicates(io: ImportRecordsIo, duplicates: PossibleDuplicate[], total: number): void {
  for (const duplicate of duplicates) {
    io.stdout(`Row ${duplicate.row}: ${duplicate.name} may be someone already registered:`)
    for (const c of duplicate.candidates) io.stdout(`  ${c.name} (${c.code}, born ${c.birthYear ?? 'unknown'}): ${c.reasons.join(', ')}`)
  }
  if (total > duplicates.length) io.stdout(`… and ${total - duplicates.length} more possible duplicates.`)
}

function printProblems(io: ImportRecordsIo, problems: RecordProblem[], total: number): void {
  for (const problem of problems) io.stderr(english(problem.message))
  if (total > problems.length) io.stderr(`… and ${total - problems.length} more problems.`)
}

/** Returns 'ok' or IMPORT_REFUSED; throws ImportUsageError for a wrong command line. */
export async function importRecordsCommand(
  options: ImportRecordsOptions,
  io: ImportRecordsIo,
  open: () => Promise<ImportDatabase & { close(): Promise<void> }>,
): Promise<'ok' | typeof IMPORT_REFUSED> {
  if ((options.participants === undefined) === (options.visits === undefined)) throw new ImportUsageError('import needs one of --participants FILE or --visits FILE.')
  const kind: RecordImportKind = options.participants !== undefined ? 'participants' : 'visits'
  const file = (options.participants ?? options.visits)!
  const mapping = readMapping(options.mapping, kind)
  const opened = await open()
  try {
    // Only the center's clock is wanted here; this PC's own settings play no part in an import.
    const center = await getCenterSettings(opened.db, io.timeZone, DEFAULT_PC_SETTINGS)
    const job: RecordsJob = { file, kind, mapping, skipBadRows: options.skipBadRows, staffId: null, now: io.now().toISOString(), timeZone: center.timeZone }
    const bar = io.progress()
    const preview = await previewRecords(opened, job, (p) => bar.update(p.done, p.total, p.phase))
    bar.finish()
    io.stdout(`Read ${preview.rows} rows from ${file}.`)
    for (const note of preview.notes) io.stdout(english(note))
    if (preview.importedBefore) io.stdout(`This file was imported before, on ${preview.importedBefore}.`)
    printCounts(io, kind, preview.counts)
    printDuplicates(io, preview.duplicates, preview.counts.duplicates)
    printProblems(io, preview.problems, preview.problemCount)
    // The screen asks for a decision on each possible duplicate; here the decision is the flag.
    const undecided = preview.counts.duplicates > 0 && !options.duplicatesAsNew
    const refused = preview.fatal || (preview.counts.badRows > 0 && !options.skipBadRows) || preview.importedBefore !== null || undecided
    if (options.dryRun) {
      io.stdout(refused ? 'Dry run: this import would be refused; nothing was written.' : 'Dry run: nothing was written.')
      return refused ? IMPORT_REFUSED : 'ok'
    }
    if (refused) {
      if (preview.importedBefore) io.stderr('Not imported: this very file was imported before. Nothing was written.')
      else if (undecided && !preview.fatal && !(preview.counts.badRows > 0 && !options.skipBadRows)) {
        io.stderr(
          `Not imported: possible duplicates (${preview.counts.duplicates}) need a decision. Nothing was written. Review them in Porchlight (Participants, Import records…), or add --duplicates-as-new to import them as new people.`,
        )
      } else io.stderr(preview.fatal ? 'Not imported: the file or the mapping has a problem. Nothing was written.' : `Not imported: ${preview.counts.badRows} rows have problems. Nothing was written. Fix them, or add --skip-bad-rows.`)
      return IMPORT_REFUSED
    }
    const writing = io.progress()
    const result = await importRecords(opened, job, (p) => writing.update(p.done, p.total, p.phase))
    writing.finish()
    io.stdout(`Imported in ${result.seconds} s.`)
    printCounts(io, kind, result.counts)
    if (result.skippedCount > 0) {
      io.stdout(`Skipped ${result.skippedCount} rows:`)
      for (const problem of result.skipped) io.stdout(`  ${english(problem.message)}`)
    }
    return 'ok'
  } catch (error) {
    if (error instanceof ServiceError) {
      io.stderr(error.message)
      return IMPORT_REFUSED
    }
    throw error
  } finally {
    await opened.close()
  }
}
