// examples/redis, run as a user runs it (a real process forking a second one) against a
// redis-server of its own, with the lines that show it did its job checked.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { useRedis } from './support/fixture.js';

const redis = useRedis();
const main = fileURLToPath(new URL('../../../examples/dist/redis/main.js', import.meta.url));

it('two processes edit one record: no reservation lost, one price conflict, every version watched, bind', async () => {
  expect(existsSync(main), 'build the examples first: pnpm --filter @structsync/examples run build').toBe(true);
  const output = await new Promise<string>((resolve, reject) => {
    execFile(process.execPath, [main], { env: { ...process.env, REDIS_URL: redis.server.url }, timeout: 60_000 }, (error, stdout, stderr) => {
      if (error !== null || stderr !== '') reject(new Error(`examples/redis failed: ${error?.message}\n${stdout}\n${stderr}`));
      else resolve(stdout);
    });
  });
  expect(output).toContain('final: stock 800, reserved 200 (200 made by two processes)');
  const committed = output.match(/^(parent|child): price \d+\.5 committed at version \d+$/gm) ?? [];
  const conflicts = output.match(/^(parent|child): conflict on price \(snapshot v\d+, record v\d+\); nothing written$/gm) ?? [];
  expect([committed.length, conflicts.length]).toEqual([1, 1]);
  expect(output).toMatch(/^watch: 201 versions after v2, in order and none missed: true$/m);
  expect(output).toContain('bind: IDLE → PENDING_WRITE stock\nbind: PENDING_WRITE → ACK stock\nbind: ACK → COMMITTED stock\n');
  expect(output).toMatch(/^bind: object \{"id":"1","stock":850,"reserved":200,"price":1\d\.5\}$/m);
});
