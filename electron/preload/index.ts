import { contextBridge, ipcRenderer } from 'electron'
import { buildApi } from '../ipc/api'
import { IPC_PREFIX } from '../ipc/channels'
import { feedBridge, FEED_CHANNEL } from '../ipc/feed'

// Sandboxed preload: it may require only 'electron', so it imports nothing but the channel list,
// the API builder and the feed's parser (no zod). The page gets named functions, never ipcRenderer itself.
contextBridge.exposeInMainWorld(
  'porchlight',
  buildApi((channel, input) => ipcRenderer.invoke(IPC_PREFIX + channel, input)),
)

// The live screens' feed from main: each message checked before the page sees it.
const feed = feedBridge()
ipcRenderer.on(FEED_CHANNEL, (_event, message: unknown) => feed.deliver(message))
contextBridge.exposeInMainWorld('porchlightFeed', feed.bridge)
