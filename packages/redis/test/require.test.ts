// The built package loads from CommonJS too (require of an ES module, Node >= 20.19), by its name.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

it('require("@structsync/redis") gives the same named exports', () => {
  expect(existsSync(`${packageDir}/dist/index.js`), 'run pnpm build first').toBe(true);
  const script = "const m = require('@structsync/redis'); console.log(typeof m.createRedisTable, typeof m.RedisTableError, typeof m.RedisTable)";
  const output = execFileSync(process.execPath, ['--input-type=commonjs', '-e', script], { cwd: packageDir, encoding: 'utf8' });
  expect(output.trim()).toBe('function function function');
});
