/**
 * Bringing a center's old records in from a spreadsheet (CSV or .xlsx): what can be imported, the
 * fields a file's columns are matched to, and the shapes of a preview and a result. Pure, so the
 * IPC contract and the renderer name them too; db/services/records-import/ does the work.
 */

export const RECORD_IMPORT_KINDS = ['participants', 'visits'] as const
export type RecordImportKind = (typeof RECORD_IMPORT_KINDS)[number]

/** A people list's fields. `personId` is the old system's id: it names the person in a visits file and makes a re-import match. */
export const PARTICIPANT_IMPORT_FIELDS = [
  'personId',
  'code',
  'firstName',
  'nickname',
  'lastName',
  'birthDate',
  'birthYear',
  'phone',
  'pronouns',
  'gender',
  'raceEthnicity',
  'veteranStatus',
  'housingStatus',
  'preferredLanguage',
  'heardAbout',
] as const

/** A sign-in log's fields. `person` holds the old id (or a Porchlight code); blank is an anonymous visit. */
export const VISIT_IMPORT_FIELDS = ['person', 'date', 'timeIn', 'timeOut', 'services', 'note'] as const

export type ParticipantImportField = (typeof PARTICIPANT_IMPORT_FIELDS)[number]
export type VisitImportField = (typeof VISIT_IMPORT_FIELDS)[number]
export type RecordImportField = ParticipantImportField | VisitImportField

export const IMPORT_FIELDS: Record<RecordImportKind, readonly RecordImportField[]> = {
  participants: PARTICIPANT_IMPORT_FIELDS,
  visits: VISIT_IMPORT_FIELDS,
}

/** Each field and the column of the file it is read from (a header as the file spells it). Fields left out are not imported. */
export type RecordMapping = Partial<Record<RecordImportField, string>>

/** A sign-in log needs its date; a people list needs a first name or a nickname column. */
export function missingRequired(kind: RecordImportKind, mapping: RecordMapping): RecordImportField[] {
  if (kind === 'visits') return mapping.date ? [] : ['date']
  return mapping.firstName || mapping.nickname ? [] : ['firstName']
}

/** The largest file read: 200,000 sign-ins are about 15 MB; more is a wrong file. */
export const MAX_IMPORT_BYTES = 50 * 1024 * 1024
/** At most this many problems and possible duplicates travel to the screen (counts say how many in all). */
export const IMPORT_PREVIEW_LIMIT = 300
