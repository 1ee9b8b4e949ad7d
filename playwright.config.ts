import { availableParallelism } from 'node:os'
import { defineConfig } from '@playwright/test'
import type { Backend } from './test/e2e/fixtures'

/**
 * End-to-end tests run the built renderer in Chromium against the real main-process handlers
 * through the test host (test/host). Electron itself is not needed. The browser is the system's
 * Chromium (CHROMIUM_PATH, default /usr/bin/chromium): Playwright never downloads one.
 */
export default defineConfig<object, { backend: Backend }>({
  tsconfig: './tsconfig.e2e.json',
  testDir: 'test/e2e',
  outputDir: 'test-results/e2e',
  fullyParallel: false,
  // Every test has its own host and database, so files run side by side, one per core. A test
  // waits on its host and the browser in turn: with one worker a CI run kept two cores 38 % busy.
  // Two workers on two cores ran the whole suite in 20.4 min instead of 27.6, all passing.
  // PORCHLIGHT_E2E_WORKERS=1 runs one file at a time (a busy PC).
  workers: Number(process.env.PORCHLIGHT_E2E_WORKERS) || Math.max(1, Math.min(4, availableParallelism())),
  retries: 0,
  forbidOnly: Boolean(process.env.CI),
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [['list']] : [['list']],
  use: {
    browserName: 'chromium',
    headless: true,
    viewport: { width: 1366, height: 820 },
    locale: 'en-US',
    screenshot: 'only-on-failure',
    // A trace is recorded for every test and thrown away when it passes: about a third of the
    // suite's CPU. CI keeps the failure's screenshot and error context; on a PC, the trace too.
    trace: process.env.CI ? 'off' : 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
  projects: [
    // Every spec, on the encrypted file on this PC.
    { name: 'sqlite', use: { backend: 'sqlite' } },
    /*
     * The same app on the center's PostgreSQL server (PORCHLIGHT_TEST_PG_URL; CI sets it, and under
     * CI a missing URL fails rather than skips): each host gets a database of its own on that server.
     * Running the whole suite twice would double CI's half hour, so only the tests tagged
     * `@postgres` run here, one per core path where the backends differ most:
     *  - front-desk: first-run setup on the server, register, search (pg_trgm + unaccent instead of
     *    FTS5), sign in twice (the one-open-visit index);
     *  - kiosk: a self check-in settled by the phone, the look-up that must never show a stranger;
     *  - groups: attendance joined to the day's visit, rates, the sign-in sheet (report roll-ups
     *    kept by PostgreSQL's triggers);
     *  - referrals: the status pipeline and consents (the states' CHECKs and dates);
     *  - dashboard: the manager's figures on the demo center copied by admin migrate (date
     *    arithmetic in the center's zone, the roll-ups, the drill-down);
     *  - changed-elsewhere: an edit refused by its row version.
     * Each extra test takes about as long as on SQLite; the added time is in test/RELIABILITY.md.
     */
    { name: 'postgres', grep: /@postgres/, use: { backend: 'postgres' } },
  ],
})
