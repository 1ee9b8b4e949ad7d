import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts'],
    environment: 'node',
    // Real encrypted databases with scrypt and fsync: allow a slow disk some room.
    testTimeout: 30_000,
    pool: 'forks',
  },
})
