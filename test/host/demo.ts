import { randomInt } from 'node:crypto'
import { seedDatabase, type SeedResult } from '../../db/seed'
import type { RunningHost } from './server'

/**
 * `npm run host -- --demo`: a freshly set-up center full of synthetic people, for trying the app
 * and for demos. Nothing here is real; the database is deleted when the host stops.
 */
export const DEMO_CENTER = 'Harbor Light Recovery Center'

export interface DemoLogin {
  username: string
  password: string
  role: string
}

export interface DemoOptions {
  participants?: number
  days?: number
  seed?: number
  onProgress?: (done: number, total: number, phase: string) => void
}

const WORDS = ['harbor', 'lantern', 'maple', 'river', 'porch', 'cedar', 'meadow', 'beacon', 'willow', 'anchor', 'candle', 'harvest']

/** Easy to type from a terminal, not guessable: three words and two digits. */
function demoPassword(): string {
  const word = () => WORDS[randomInt(WORDS.length)]!
  return `${word()}-${word()}-${word()}-${randomInt(10, 100)}`
}

export async function setUpDemo(host: RunningHost, options: DemoOptions = {}): Promise<{ logins: DemoLogin[]; seeded: SeedResult }> {
  const admin: DemoLogin = { username: 'admin', password: demoPassword(), role: 'admin' }
  await host.core.setup({ centerName: DEMO_CENTER, adminName: 'Demo Admin', username: admin.username, password: admin.password })
  // Porchlight has no service yet that adds staff with a role, so the demo has the admin only.
  const opened = host.core.database
  if (!opened) throw new Error('The demo database did not open.')
  const seeded = await seedDatabase(opened, {
    participants: options.participants ?? 2000,
    days: options.days ?? 120,
    seed: options.seed,
    // Up to this minute, in this computer's zone (the host's), so today's board has people on it.
    until: host.core.now(),
    timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
    onProgress: options.onProgress,
  })
  return { logins: [admin], seeded }
}
