import { availableParallelism } from 'node:os'
import { defineConfig } from '@playwright/test'

/**
 * End-to-end tests run the built renderer in Chromium against the real main-process handlers
 * through the test host (test/host). Electron itself is not needed. The browser is the system's
 * Chromium (CHROMIUM_PATH, default /usr/bin/chromium): Playwright never downloads one.
 */
export default defineConfig({
  tsconfig: './tsconfig.e2e.json',
  testDir: 'test/e2e',
  outputDir: 'test-results/e2e',
  fullyParallel: false,
  // Every test has its own host and database, so files can run side by side; but a test already
  // keeps two cores busy (Chromium and the host), so a two-core machine runs one file at a time.
  workers: Math.max(1, Math.min(4, Math.floor(availableParallelism() / 2))),
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
    trace: 'retain-on-failure',
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
})
