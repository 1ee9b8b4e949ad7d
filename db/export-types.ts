/** The full export's shapes, free of Node, for the IPC contract and the renderer. */

export interface ExportWritten {
  bytes: number
  /** Each table's file in the zip and its rows. */
  files: { file: string; rows: number }[]
  /** Attached documents written as files of their own. */
  documents: number
}

export interface FullExportResult extends ExportWritten {
  /** Where the zip was written. */
  file: string
  encrypted: boolean
  /** The zip's password, shown once: it is kept nowhere, not even in the audit log. */
  password: string | null
}

/** The centers an export holds: their ids and names, as the manifest and the audit log name them. */
export interface ExportCenters {
  /** null: every center of the organization (the whole database). */
  ids: readonly number[] | null
  names: readonly string[]
}
