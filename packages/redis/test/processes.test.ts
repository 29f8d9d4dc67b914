// Several real processes on one record in a real redis-server: increments that all land, merge
// writers of disjoint fields that both survive, forced same-field races under reject, and a
// watcher in another process that sees every version in order.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createRedisTable } from '../src/index.js';
import { useRedis } from './support/fixture.js';
import { Counters } from './support/structs.js';

const redis = useRedis();
const worker = fileURLToPath(new URL('./processes/worker.mjs', import.meta.url));
const built = fileURLToPath(new URL('../dist/index.js', import.meta.url));

interface Running {
  /** Resolves with the last JSON line the process printed. */
  readonly result: Promise<Record<string, unknown>>;
  /** Resolves when the process printed a line with `ready`. */
  readonly ready: Promise<void>;
}

function run(mode: string, name: string, count: number, field = ''): Running {
  const child = spawn(process.execPath, [worker, mode, redis.server.url, name, String(count), field], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    if (stdout.includes('"ready":true')) markReady();
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const result = new Promise<Record<string, unknown>>((resolve, reject) => {
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`worker ${mode} exited with ${code}:\n${stderr}`));
      const lines = stdout.trim().split('\n');
      resolve(JSON.parse(lines.at(-1)!) as Record<string, unknown>);
    });
  });
  return { result, ready };
}

describe('processes', () => {
  it('needs the built packages', () => {
    expect(existsSync(built), 'run pnpm build first').toBe(true);
  });

  it('4 processes × 2,000 update increments end at exactly 8,000, and a watcher process sees every version in order', async () => {
    const table = await createRedisTable(Counters, { client: redis.client, name: 'increments' });
    await table.create(1, {});
    const watcher = run('watch', 'increments', 8000);
    await watcher.ready;
    const writers = [0, 1, 2, 3].map(() => run('increment', 'increments', 2000));
    await Promise.all(writers.map((w) => w.result));
    const { version, record } = await table.snapshot(1);
    expect(record.total).toBe(8000n);
    expect(version).toBe(2 + 2 * 8000);
    const seen = await watcher.result;
    expect(seen.missed).toEqual([]);
    expect(seen.versions).toEqual(Array.from({ length: 8000 }, (_, i) => 4 + 2 * i));
  });

  it('merge writers of disjoint fields in one word both survive', async () => {
    const table = await createRedisTable(Counters, { client: redis.client, name: 'merge' });
    await table.create(1, { total: 5n });
    await Promise.all([run('merge', 'merge', 500, 'left').result, run('merge', 'merge', 500, 'right').result]);
    const record = await table.read(1);
    expect([record.left, record.right, record.total]).toEqual([500, 500, 5n]);
  });

  it('forced same-field races under reject: one ConflictError per round, no committed write lost', async () => {
    const table = await createRedisTable(Counters, { client: redis.client, name: 'race' });
    await table.create(1, {});
    const rounds = 200;
    const results = await Promise.all([run('race', 'race', rounds).result, run('race', 'race', rounds).result]);
    const committed = results.flatMap((r) => r.committed as number[]);
    expect(results.reduce((n, r) => n + (r.conflicts as number), 0)).toBe(rounds);
    expect(committed.length).toBe(rounds);
    // Each round's one commit published the next version: none lost, none doubled.
    expect(committed.sort((a, b) => a - b)).toEqual(Array.from({ length: rounds }, (_, i) => 4 + 2 * i));
    expect((await table.read(1)).total).toBe(BigInt(rounds));
  });
});
