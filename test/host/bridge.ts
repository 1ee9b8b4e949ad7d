/// <reference lib="dom" />
import { buildApi } from '../../electron/ipc/api'

/**
 * The test host's stand-in for the Electron preload: the same `window.porchlight`, built from
 * the same channel list, carried over loopback HTTP instead of ipcRenderer. The per-run token
 * arrives in the URL fragment (never sent to the server in a request line or logged) and stays
 * in this tab's sessionStorage; each tab is its own session, like each Electron window.
 */
const TOKEN_KEY = 'porchlight-host-token'
const CLIENT_KEY = 'porchlight-host-client'

function readToken(): string {
  const match = /(?:^#|&)token=([0-9a-f]+)/.exec(location.hash)
  if (match?.[1]) {
    sessionStorage.setItem(TOKEN_KEY, match[1])
    history.replaceState(null, '', location.pathname + location.search)
  }
  return sessionStorage.getItem(TOKEN_KEY) ?? ''
}

function clientId(): string {
  let id = sessionStorage.getItem(CLIENT_KEY)
  if (!id) {
    id = crypto.randomUUID()
    sessionStorage.setItem(CLIENT_KEY, id)
  }
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
