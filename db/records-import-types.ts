import type { MessageRef } from '../shared/messages'
import type { RecordImportKind, RecordMapping } from './domain/records-import'

export type { RecordImportKind, RecordMapping }

/**
 * The shapes of a records import's preview, progress and result (db/services/records-import/),
 * named here, free of Node, so the IPC contract and the renderer can name them too.
 */

/** Something wrong in a file: fatal is about the whole file (never skipped); otherwise about one row. */
export interface RecordProblem {
  file: string
  /** The row as a spreadsheet numbers it (the header is row 1); null for the whole file. */
  row: number | null
  column: string | null
  message: MessageRef
  fatal: boolean
}

export interface PossibleDuplicate {
  row: number
  name: string
  candidates: Array<{ id: number; code: string; name: string; birthYear: number | null; reasons: string[] }>
}

/** The dry run: what an import of the file would do. */
export interface RecordCounts {
  /** People who would be registered. */
  newPeople: number
  /** Rows naming a person already here (same old id or Porchlight code). */
  matched: number
  /** New people who look like someone already registered: for review before the import. */
  duplicates: number
  /** Visits that would be added (of them, anonymous: no person named). */
  visits: number
  anonymous: number
  /** Rows imported before, from this file or another: left alone. */
  alreadyImported: number
  /** Rows with a problem: the import is refused unless told to skip them. */
  badRows: number
}

export interface RecordsPreview {
  file: string
  kind: RecordImportKind
  headers: string[]
  /** The first few rows as read, for the mapping screen. */
  sample: string[][]
  mapping: RecordMapping
  /** The mapping came from an earlier import of a file laid out the same way. */
  remembered: boolean
  rows: number
  counts: RecordCounts
  problems: RecordProblem[]
  problemCount: number
  fatal: boolean
  duplicates: PossibleDuplicate[]
  /** What was noticed and is fine: the file read as Windows-1252, columns separated by semicolons. */
  notes: MessageRef[]
  /** When this very file (same bytes) was imported before, or null. */
  importedBefore: string | null
}

export interface RecordsImportResult {
  file: string
  kind: RecordImportKind
  counts: RecordCounts
  /** Rows left out, with their first reason (only when told to skip bad rows). */
  skipped: RecordProblem[]
  skippedCount: number
  seconds: number
}

export type RecordsImportPhase = 'reading' | 'checking' | 'writing'

export interface RecordsImportProgress {
  phase: RecordsImportPhase
  done: number
  total: number
}
