import { z } from 'zod'
import { PARTICIPANT_IMPORT_FIELDS, RECORD_IMPORT_KINDS, VISIT_IMPORT_FIELDS } from '../../../db/domain/records-import'
import type { RecordsImportProgress, RecordsImportResult, RecordsPreview } from '../../../db/records-import-types'
import { absolutePath, channel, id, noInput, requiredText } from './common'

export type { PossibleDuplicate, RecordCounts, RecordProblem, RecordsImportProgress, RecordsImportResult, RecordsPreview } from '../../../db/records-import-types'

const header = requiredText(200)
const fields = [...PARTICIPANT_IMPORT_FIELDS, ...VISIT_IMPORT_FIELDS] as const
/** Each field and the header of the column it is read from; a field left out is not imported. */
const mapping = z.partialRecord(z.enum(fields), header)

// A field of the other kind of file is refused by the preview itself, naming it (recordsImport.noSuchField).
const job = z.object({ file: absolutePath(), kind: z.enum(RECORD_IMPORT_KINDS), mapping: mapping.nullable() }).strict()

/**
 * A center's old records (a people list, a sign-in log) from CSV or Excel. Files are read in
 * main's worker thread, never in the renderer; admins only, as they bring in everyone's records.
 */
export const recordsChannels = {
  /** The OS file picker; null when the person cancels. */
  'records.chooseFile': channel<string | null>()({ input: noInput }),
  /** The file's columns, the mapping (given, remembered or guessed), per-row problems, the dry run's counts and possible duplicates; writes nothing. */
  'records.preview': channel<RecordsPreview>()({ input: job }),
  /** One transaction: all of the file, or with bad rows left out only when `skipBadRows`. */
  'records.import': channel<RecordsImportResult>()({
    input: z
      .object({
        file: absolutePath(),
        kind: z.enum(RECORD_IMPORT_KINDS),
        mapping,
        skipBadRows: z.boolean(),
        matches: z.array(z.object({ row: z.number().int().min(2).max(10_000_000), participantId: id() }).strict()).max(10_000),
      })
      .strict(),
  }),
  /** The preview or import under way, for the progress bar; null when none is. */
  'records.progress': channel<RecordsImportProgress | null>()({ input: noInput }),
}
