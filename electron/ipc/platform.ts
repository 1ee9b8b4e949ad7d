import { ServiceError } from '../../db/services/context'

/**
 * What main asks of the operating system on a person's behalf, injected into the core: Electron's
 * dialogs in the app (electron/main/platform.ts), a stand-in in the test host, so the channels,
 * permissions and validation around them are the real ones in tests.
 */
export interface Platform {
  /** The OS folder picker, starting at `current`; null when the person cancels. */
  chooseFolder(current: string | null): Promise<string | null>
  /** Shows a folder in the OS file manager (the log folder, for IT). */
  openFolder(folder: string): Promise<void>
  /** The OS file picker for a spreadsheet to import (CSV or .xlsx); null when the person cancels. */
  chooseSpreadsheet(): Promise<string | null>
  /** The OS save dialog for a PDF, proposing `fileName`; the full path chosen, or null when the person cancels. */
  chooseSaveFile(fileName: string): Promise<string | null>
}

/** For a core with no screen (the admin CLI, unit tests): says so rather than pretending. */
export const headlessPlatform: Platform = {
  chooseFolder: () => Promise.reject(new ServiceError('CONFLICT', 'platform.noFolderPicker')),
  openFolder: () => Promise.reject(new ServiceError('CONFLICT', 'platform.noFileManager')),
  chooseSpreadsheet: () => Promise.reject(new ServiceError('CONFLICT', 'platform.noFolderPicker')),
  chooseSaveFile: () => Promise.reject(new ServiceError('CONFLICT', 'print.noPage')),
}
