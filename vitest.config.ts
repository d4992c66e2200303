import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['{core,server,workers,bench}/test/**/*.test.ts'],
    globalSetup: ['./core/test/global-setup.ts'],
    pool: 'forks',
    testTimeout: 20_000,
    hookTimeout: 60_000,
  },
})
