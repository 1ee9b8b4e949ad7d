import { test as base, expect } from '@playwright/test'
import { startHost, type RunningHost } from '../host/server'

/** Each test gets its own host with a fresh, not-yet-set-up encrypted database. */
export const test = base.extend<{ host: RunningHost }>({
  // eslint-disable-next-line no-empty-pattern -- Playwright requires the destructuring form
  host: async ({}, use) => {
    const host = await startHost()
    await use(host)
    await host.close()
  },
})

export { expect }
