import type { UpdateStatus } from '../../../db/update-types'
import { channel, noInput } from './common'

/**
 * Help → About and diagnostics: what an IT person asks for first. Never a record's contents:
 * versions, where the file is and how big, the schema version, the last backup and integrity
 * check with their results, free space. Answers before sign-in too (a passphrase-locked or
 * unopened database is when IT is called); what the records say about backups needs a sign-in.
 */
export interface AboutInfo {
  versions: {
    porchlight: string
    /** Null when not running in Electron (the test host is plain Node). */
    electron: string | null
    chromium: string | null
    node: string
    sqlite: string
    /** The encryption library (SQLite3 Multiple Ciphers, writing SQLCipher 4 files). */
    cipher: string
  }
  database: {
    file: string
    /** On disk: the main file, its write-ahead log and shared-memory index, and their total (db/health.ts). */
    bytes: { main: number | null; wal: number | null; shm: number | null; total: number | null }
    /** 'open', or why not: waiting for the passphrase, refused at start (the code), being restored. */
    state: 'open' | 'waiting-for-passphrase' | 'not-set-up' | 'refused' | 'busy'
    refusedCode: string | null
    schemaVersion: number | null
    /** The schema version this Porchlight writes. */
    knownSchemaVersion: number
    freeBytes: number | null
  }
  /** From the records: only for a signed-in staff member while the database is open. */
  care: {
    backupFolder: string | null
    backupFolderFreeBytes: number | null
    lastBackup: { at: string; ok: boolean; file: string | null; error: string | null } | null
    lastSuccessAt: string | null
    integrity: { at: string; ok: boolean; problems: number } | null
  } | null
  /** Where automatic updates are: off (the default), checking, downloaded and waiting for a clean close… */
  updates: UpdateStatus
  /** The log folder: admins only. */
  log: { folder: string | null; writing: boolean; problem: string | null } | null
}

export const aboutChannels = {
  'about.info': channel<AboutInfo>()({ input: noInput }),
  /** A short English text for IT, built from the same facts: safe to paste into an e-mail. */
  'about.diagnostics': channel<{ text: string }>()({ input: noInput }),
  /** The third-party notices shipped with the app; null when this build has none (`npm run notices` not run). */
  'about.notices': channel<{ text: string | null }>()({ input: noInput }),
  'about.openLogFolder': channel<{ folder: string }>()({ input: noInput }),
}
