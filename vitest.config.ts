// Every package is a vitest project (timeouts generous: the 10^6-iteration allocation tests run on
// shared, noisy machines); cross-package tests (C-compiler oracle, worker stress) live in test/.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (p: string): string => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  resolve: {
    alias: {
      '@structsync/core/internal': src('./packages/core/src/internal.ts'),
      '@structsync/core': src('./packages/core/src/index.ts'),
    },
  },
  test: {
    projects: [
      { extends: true, test: { name: 'core', include: ['packages/core/test/**/*.test.ts'], testTimeout: 30_000 } },
      { extends: true, test: { name: 'nestjs', include: ['packages/nestjs/test/**/*.test.ts'], testTimeout: 30_000 } },
      { extends: true, test: { name: 'observability', include: ['packages/observability/test/**/*.test.ts'], testTimeout: 60_000 } },
      { extends: true, test: { name: 'redis', include: ['packages/redis/test/**/*.test.ts'], testTimeout: 60_000, hookTimeout: 60_000 } },
      { extends: true, test: { name: 'integration', include: ['test/**/*.test.ts'], testTimeout: 120_000 } },
    ],
  },
});
