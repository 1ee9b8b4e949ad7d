import { join } from 'node:path'
import type { BrowserWindow, Dialog, Shell } from 'electron'
import { ServiceError } from '../../db/services/context'
import type { Platform } from '../ipc/platform'

/**
 * The OS folder picker, parented to Porchlight's window so it stays in front of it. Main owns the
 * dialog; the renderer only ever receives the chosen path (and never a file system API).
 */
export function electronPlatform(
  dialog: Pick<Dialog, 'showOpenDialog' | 'showSaveDialog'>,
  window: () => BrowserWindow | null,
  shell: Pick<Shell, 'openPath'>,
  /** Where a saved PDF is first proposed (the person's Documents folder). */
  documents: () => string,
): Platform {
  return {
    async chooseFolder(current) {
      const options = { properties: ['openDirectory', 'createDirectory'] as Array<'openDirectory' | 'createDirectory'>, ...(current ? { defaultPath: current } : {}) }
      const parent = window()
      const result = parent ? await dialog.showOpenDialog(parent, options) : await dialog.showOpenDialog(options)
      return result.canceled ? null : (result.filePaths[0] ?? null)
    },
    async openFolder(folder) {
      // openPath answers with an error text, empty when the file manager opened.
      const failure = await shell.openPath(folder)
      if (failure) throw new ServiceError('CONFLICT', 'platform.openFolderFailed', { folder, reason: failure })
    },
    async chooseSpreadsheet() {
      const options = {
        properties: ['openFile'] as Array<'openFile'>,
        filters: [{ name: 'CSV or Excel', extensions: ['csv', 'txt', 'xlsx'] }],
      }
      const parent = window()
      const result = parent ? await dialog.showOpenDialog(parent, options) : await dialog.showOpenDialog(options)
      return result.canceled ? null : (result.filePaths[0] ?? null)
    },
    async chooseSaveFile(fileName) {
      const options = {
        defaultPath: join(documents(), fileName),
        filters: [{ name: 'PDF', extensions: ['pdf'] }],
        properties: ['createDirectory', 'showOverwriteConfirmation'] as Array<'createDirectory' | 'showOverwriteConfirmation'>,
      }
      const parent = window()
      const result = parent ? await dialog.showSaveDialog(parent, options) : await dialog.showSaveDialog(options)
      if (result.canceled || !result.filePath) return null
      // A name typed without its extension still opens in a PDF reader.
      return /\.pdf$/i.test(result.filePath) ? result.filePath : `${result.filePath}.pdf`
    },
  }
}
