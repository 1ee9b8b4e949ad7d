/// <reference lib="dom" />
import { buildApi } from '../../electron/ipc/api'
import { feedBridge } from '../../electron/ipc/feed'

/**
 * The test host's stand-in for the Electron preload: the same `window.porchlight`, built from
 * the same channel list, carried over loopback HTTP instead of ipcRenderer. The per-run token
 * arrives in the URL fragment (never sent to the server in a request line or logged); each tab
 * is its own session, like each Electron window (main keys sessions by webContents).
 *
 * Neither is kept in sessionStorage: a page's first touch of a StorageArea is a synchronous
 * round trip to the browser process, which made this script one task of 150-220 ms on a loaded
 * machine, ahead of every app module; Electron's preload has no such step (issue 11, cold
 * start). The token lives in this history entry's state (same origin only, kept across a
 * reload, gone with the entry); the client id in window.name, which lasts as long as the tab,
 * across reloads and navigations, as a webContents does.
 */
const STATE_KEY = 'porchlightHostToken'
const CLIENT_PREFIX = 'porchlight-host-client:'

function readToken(): string {
  const match = /(?:^#|&)token=([0-9a-f]+)/.exec(location.hash)
  if (match?.[1]) {
    history.replaceState({ [STATE_KEY]: match[1] }, '', location.pathname + location.search)
    return match[1]
  }
  const kept: unknown = (history.state as Record<string, unknown> | null)?.[STATE_KEY]
  return typeof kept === 'string' ? kept : ''
}

function clientId(): string {
  if (window.name.startsWith(CLIENT_PREFIX)) return window.name.slice(CLIENT_PREFIX.length)
  const id = crypto.randomUUID()
  window.name = CLIENT_PREFIX + id
  return id
}

const token = readToken()
const client = clientId()

const api = buildApi(async (channel, input) => {
  const response = await fetch(`/__ipc/${channel}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-porchlight-client': client },
    body: JSON.stringify(input ?? null),
  })
  return response.json()
})

Object.defineProperty(window, 'porchlight', { value: Object.freeze(api), writable: false, configurable: false })

/**
 * The change feed: Server-Sent Events read with fetch (EventSource cannot send the token in a
 * header). A dropped stream comes back after a pause; meanwhile the screens are told to poll.
 */
const feed = feedBridge()

async function followChanges(): Promise<void> {
  const response = await fetch('/__changes', { headers: { authorization: `Bearer ${token}`, 'x-porchlight-client': client } })
  if (!response.ok || !response.body) throw new Error(`the change feed answered ${response.status}`)
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader()
  let buffered = ''
  for (;;) {
    const { value, done } = await reader.read()
    if (done) return
    buffered += value
    let end: number
    while ((end = buffered.indexOf('\n\n')) >= 0) {
      const event = buffered.slice(0, end)
      buffered = buffered.slice(end + 2)
      const data = event
        .split('\n')
        .filter((line) => line.startsWith('data: '))
        .map((line) => line.slice(6))
        .join('\n')
      if (data) feed.deliver(JSON.parse(data))
    }
  }
}

function keepFollowing(): void {
  followChanges()
    .catch(() => undefined)
    .finally(() => {
      feed.deliver({ kind: 'status', live: false })
      setTimeout(keepFollowing, 1000)
    })
}
keepFollowing()

Object.defineProperty(window, 'porchlightFeed', { value: feed.bridge, writable: false, configurable: false })
