import type { MessageRef } from '../shared/messages'

/**
 * The shapes of a directory import and export in Open Referral HSDS 3.0 (db/services/hsds/), named
 * here, free of Node, so the IPC contract and the renderer can name them too.
 */

/**
 * Something wrong in a package. A fatal one is about a whole file (missing, unreadable, an unknown
 * column) and stops the import; a row's problem can be skipped with its row when the person chooses.
 */
export interface HsdsProblem {
  file: string
  /** The row as a spreadsheet numbers it (the header is row 1); null for the whole file. */
  row: number | null
  column: string | null
  message: MessageRef
  fatal: boolean
}

export type AgencyChangeKind = 'new' | 'changed' | 'unchanged' | 'removed' | 'deactivated'

export interface AgencyChange {
  hsdsId: string
  name: string
  change: AgencyChangeKind
  /** The agency's fields an import changes ('name', 'phone', 'types' …). */
  fields: string[]
  agencyId: number | null
}

export interface RecordCounts {
  new: number
  changed: number
  unchanged: number
  removed: number
}

export interface DirectoryPlan {
  agencies: AgencyChange[]
  counts: Record<AgencyChangeKind, number>
  /** The package's rows (every table) against those the last import kept. */
  records: RecordCounts
}

/** What the import screen shows before anything is written. */
export interface DirectoryPreview extends DirectoryPlan {
  folder: string
  files: Array<{ file: string; rows: number }>
  /** File-wide problems first; at most PREVIEW_PROBLEMS of them (problemCount says how many in all). */
  problems: HsdsProblem[]
  problemCount: number
  /** Rows with a problem (or naming one), which an import told to skip leaves out. */
  badRows: number
  fatal: boolean
  /** At most PREVIEW_NOTES; noteCount says how many in all. */
  notes: MessageRef[]
  noteCount: number
}

export const PREVIEW_PROBLEMS = 500
export const PREVIEW_NOTES = 100

export interface DirectoryImportResult extends DirectoryPlan {
  /** Every row left out, with its first reason (empty unless told to skip bad rows). */
  skipped: HsdsProblem[]
}

export interface DirectoryExportResult {
  folder: string
  files: Array<{ file: string; rows: number }>
  agencies: number
}
