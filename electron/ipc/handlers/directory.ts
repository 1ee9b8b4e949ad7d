import { exportDirectory } from '../../../db/services/hsds/export'
import { importDirectory, previewDirectoryImport } from '../../../db/services/hsds/import'
import type { directoryChannels } from '../contract/directory'
import type { FeatureHandlers } from './types'

/** The directory's HSDS import and export: the files are read and written here in main. */
export const directoryHandlers: FeatureHandlers<typeof directoryChannels> = {
  'directory.chooseFolder': async (_input, { core }) => core.platform.chooseFolder(null),
  'directory.preview': async ({ folder }, { core, session }) => previewDirectoryImport(core.context(session), folder),
  'directory.import': async ({ folder, skipBadRows }, { core, session }) => importDirectory(core.context(session), folder, { skipBadRows }),
  'directory.export': async ({ folder }, { core, session }) => exportDirectory(core.context(session), folder),
}
