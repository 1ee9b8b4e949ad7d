/**
 * Updates (issue 17): the shapes the settings service, main's update manager and the screens
 * share. No Node, no Electron.
 */

/** What an admin sets: off by default; on, a web address the center's IT serves releases from. */
export interface UpdateSettings {
  enabled: boolean
  /** The generic provider's base address (https://…/porchlight/), holding latest.yml and the installers. */
  url: string | null
}

/** Where the updater is, for About's status line. */
export type UpdateStatus =
  /** Not an installed build (the test host, a checkout): nothing is ever checked. */
  | { phase: 'unavailable' }
  | { phase: 'off' }
  /** Turned on, but this build carries no signer to check an update against: it stays off. */
  | { phase: 'unsigned' }
  | { phase: 'idle'; checkedAt: string | null }
  | { phase: 'checking' }
  | { phase: 'downloading'; version: string; percent: number | null }
  /** Downloaded; installed only after Porchlight has closed its database cleanly. */
  | { phase: 'ready'; version: string }
  | { phase: 'failed'; at: string; message: string }
