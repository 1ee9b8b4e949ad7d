import { contextBridge, ipcRenderer } from 'electron'
import { buildApi } from '../ipc/api'
import { IPC_PREFIX } from '../ipc/channels'

// Sandboxed preload: it may require only 'electron', so it imports nothing but the channel list
// and the API builder (no zod). The page gets named functions, never ipcRenderer itself.
contextBridge.exposeInMainWorld(
  'porchlight',
  buildApi((channel, input) => ipcRenderer.invoke(IPC_PREFIX + channel, input)),
)
