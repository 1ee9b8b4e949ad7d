import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron'
import { CHANNELS, IPC_PREFIX } from '../ipc/channels'
import { messageFor } from '../ipc/changes'
import { FEED_CHANNEL } from '../ipc/feed'
import type { PorchlightCore, Session } from '../ipc/core'
import { dispatch, type InternalErrorLogger } from '../ipc/dispatch'
import { log as writeLog } from '../../db/log'
import type { Envelope } from '../ipc/envelope'
import { webContentsPage } from './printing'
import { isAppPageUrl, type AppPage } from './window'

export interface IpcDoorOptions {
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>
  core: PorchlightCore
  page: AppPage
  logInternal?: InternalErrorLogger
  /**
   * Called when a window's session turns into a self check-in kiosk or back into a staff desk,
   * so main can put that window in (or take it out of) full-screen kiosk mode.
   */
  onModeChange?: (contents: WebContents, mode: 'kiosk' | 'desk') => void
}

export interface IpcDoor {
  /** Accepts calls from this window's top frame (on the app page) until it is destroyed. */
  trust(contents: WebContents): void
  /** Removes every handler (tests, and a clean shutdown). */
  dispose(): void
}

const BAD_SENDER: Envelope<never> = {
  ok: false,
  error: { code: 'BAD_SENDER', message: 'This window is not allowed to reach Porchlight’s records. Close it and start Porchlight again.' },
}

const INTERNAL: Envelope<never> = {
  ok: false,
  error: {
    code: 'INTERNAL',
    message: 'Something went wrong and nothing was saved. Try again; if it keeps happening, tell your admin.',
  },
}

/**
 * Registers one handler per channel, all through the same door: the sender must be the top
 * frame of a window we created, showing our own page; then `dispatch` checks role and input.
 * Each window has its own Session (who is signed in there), dropped when the window goes.
 */
export function registerIpc({ ipcMain, core, page, logInternal, onModeChange }: IpcDoorOptions): IpcDoor {
  const log: InternalErrorLogger = logInternal ?? ((channel, error) => writeLog.error('ipc.failed', error, { channel }))
  const trusted = new Set<number>()
  const sessions = new Map<number, Session>()
  const unsubscribes = new Set<() => void>()

  const senderIsOurs = (event: IpcMainInvokeEvent): boolean => {
    // senderFrame is null once the frame navigated away or was destroyed.
    const frame = event.senderFrame
    if (!frame || !trusted.has(event.sender.id)) return false
    if (frame !== event.sender.mainFrame) return false
    return isAppPageUrl(frame.url, page)
  }

  const sessionFor = (sender: WebContents): Session => {
    let session = sessions.get(sender.id)
    if (!session) {
      const id = sender.id
      session = { staff: null }
      sessions.set(id, session)
      sender.once('destroyed', () => sessions.delete(id))
    }
    return session
  }

  for (const channel of CHANNELS) {
    ipcMain.handle(IPC_PREFIX + channel, async (event: IpcMainInvokeEvent, input: unknown): Promise<Envelope<unknown>> => {
      try {
        if (!senderIsOurs(event)) {
          writeLog.warn('ipc.refused', { channel, code: 'BAD_SENDER' })
          return BAD_SENDER
        }
        const session = sessionFor(event.sender)
        const modeBefore = session.mode ?? 'desk'
        // The sender's own page is the one a PDF channel prints.
        const result = await dispatch(channel, input, { core, session, page: webContentsPage(event.sender) }, log)
        const modeAfter = session.mode ?? 'desk'
        if (modeAfter !== modeBefore) onModeChange?.(event.sender, modeAfter)
        return result
      } catch (error) {
        // dispatch returns envelopes for everything it knows; this is the last net under the bridge.
        log(channel, error)
        return INTERNAL
      }
    })
  }

  return {
    trust(contents) {
      const id = contents.id
      trusted.add(id)
      // The live screens' feed: what changed, worded for this window, sent only while it shows our page.
      const tell = (message: unknown) => {
        if (!contents.isDestroyed() && isAppPageUrl(contents.mainFrame.url, page)) contents.send(FEED_CHANNEL, message)
      }
      const unsubscribe = core.changes.subscribe((event) => tell(messageFor(event, sessionFor(contents))))
      unsubscribes.add(unsubscribe)
      // Each load starts a new page that must learn whether to poll.
      const onLoad = () => tell({ kind: 'status', live: core.changes.live })
      contents.on('did-finish-load', onLoad)
      contents.once('destroyed', () => {
        trusted.delete(id)
        unsubscribe()
        unsubscribes.delete(unsubscribe)
      })
    },
    dispose() {
      for (const channel of CHANNELS) ipcMain.removeHandler(IPC_PREFIX + channel)
      for (const unsubscribe of unsubscribes) unsubscribe()
      unsubscribes.clear()
      trusted.clear()
      sessions.clear()
    },
  }
}
