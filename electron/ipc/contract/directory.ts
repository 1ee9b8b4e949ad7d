import { z } from 'zod'
import type { DirectoryExportResult, DirectoryImportResult, DirectoryPreview } from '../../../db/hsds-types'
import { absolutePath, channel, noInput } from './common'

export type { AgencyChange, AgencyChangeKind, DirectoryExportResult, DirectoryImportResult, DirectoryPreview, HsdsProblem } from '../../../db/hsds-types'

/**
 * The agency directory in and out as Open Referral HSDS 3.0 (tabular CSV + datapackage.json),
 * from and to a folder on this computer: files are read and written in main, never in the renderer.
 */
export const directoryChannels = {
  /** The OS folder picker; null when the person cancels. */
  'directory.chooseFolder': channel<string | null>()({ input: noInput }),
  /** What importing the folder would do (new, changed, unchanged, removed, per-row problems); writes nothing. */
  'directory.preview': channel<DirectoryPreview>()({ input: z.object({ folder: absolutePath() }).strict() }),
  /** All or nothing, unless `skipBadRows`: then bad rows are left out and reported. */
  'directory.import': channel<DirectoryImportResult>()({ input: z.object({ folder: absolutePath(), skipBadRows: z.boolean() }).strict() }),
  /** Writes every HSDS file and datapackage.json into a folder holding none yet. */
  'directory.export': channel<DirectoryExportResult>()({ input: z.object({ folder: absolutePath() }).strict() }),
}
