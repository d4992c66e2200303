import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['{core,server,workers,bench}/test/**/*.test.ts'],
    globalSetup: ['./core/test/global-setup.ts'],
    pool: 'forks',
    // Generous: browser tests share two cores with the rest of the suite.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
})
