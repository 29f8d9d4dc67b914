// The change feed on a real redis-server: every version in order; a watcher that falls behind or
// reconnects is told what it did not see (never a silent gap); deletions; ending a watch.
import { describe, expect, it } from 'vitest';
import { createRedisTable, type RedisChange } from '../src/index.js';
import { connect } from './support/clients.js';
import { useRedis } from './support/fixture.js';
import { Counters } from './support/structs.js';

const redis = useRedis();

/** Takes `count` changes from a watch. */
async function take<T>(watch: AsyncGenerator<RedisChange<T>>, count: number): Promise<RedisChange<T>[]> {
  const changes: RedisChange<T>[] = [];
  while (changes.length < count) {
    const { value, done } = await watch.next();
    if (done) break;
    changes.push(value);
  }
  return changes;
}

/** Every version after `from` is either delivered or inside a change's `missed` range, in order. */
function expectNoSilentGap(changes: readonly RedisChange<unknown>[], from: number): void {
  let last = from;
  for (const change of changes) {
    if (change.missed === undefined) expect(change.version).toBe(last + 2);
    else expect(change.missed).toEqual({ after: last, through: change.version - 2 });
    last = change.version;
  }
}

describe('watch', () => {
  it('sees every committed version in order, with the fields each commit wrote and the record at that version', async () => {
    const table = await createRedisTable(Counters, { client: redis.client, name: 'every' });
    await table.create(1, {});
    const watch = table.watch(1);
    expect(await watch.subscribed()).toBe(2);
    const seen = take(watch, 60);
    for (let i = 1; i <= 30; i++) {
      await table.update(1, (c) => void (c.left = i));
      await table.update(1, (c) => void (c.total = BigInt(i)));
    }
    const changes = await seen;
    expect(changes.map((c) => c.version)).toEqual(Array.from({ length: 60 }, (_, i) => 4 + 2 * i));
    expect(changes.every((c) => c.missed === undefined && !c.deleted)).toBe(true);
    expect(changes[0]!.fields).toEqual(['left']);
    expect(changes[1]!.fields).toEqual(['total']);
    expect([changes[58]!.record!.left, changes[58]!.record!.total]).toEqual([30, 29n]);
    expect([changes[59]!.record!.left, changes[59]!.record!.total]).toEqual([30, 30n]);
    await watch.return();
    await table.close();
  });

  it('a consumer that falls behind its buffer is told which versions it missed', async () => {
    const table = await createRedisTable(Counters, { client: redis.client, name: 'behind' });
    await table.create(1, {});
    const watch = table.watch(1, { bufferSize: 4 });
    await watch.subscribed();
    const first = watch.next();
    await table.update(1, (c) => void (c.left = 1));
    expect((await first).value!.version).toBe(4);
    for (let i = 2; i <= 20; i++) await table.update(1, (c) => void (c.left = i)); // nobody consuming: 19 messages, 4 kept
    await new Promise((resolve) => setTimeout(resolve, 50));
    const changes: RedisChange<Counters>[] = [];
    while (changes.at(-1)?.version !== 42) changes.push((await watch.next()).value!);
    // Kept at most 4 at a time: the versions dropped are reported, none silently skipped.
    expect(changes.length).toBeLessThan(19);
    expect(changes[0]!.missed).toMatchObject({ after: 4 });
    expectNoSilentGap(changes, 4);
    expect(changes.at(-1)!.record!.left).toBe(20);
    await watch.return();
    await table.close();
  });

  it('after its connection comes back, the watcher re-reads and says what it missed', async () => {
    // The feed connection is a duplicate of this client: it waits 1 s before reconnecting.
    const client = await connect(redis.server.url, { socket: { reconnectStrategy: () => 1000 } });
    const table = await createRedisTable(Counters, { client, name: 'reconnect' });
    await table.create(1, {});
    const watch = table.watch(1);
    await watch.subscribed();
    const first = watch.next();
    await table.update(1, (c) => void (c.left = 1));
    expect((await first).value!.version).toBe(4);
    await redis.client.sendCommand(['CLIENT', 'KILL', 'TYPE', 'pubsub']);
    for (let i = 2; i <= 5; i++) await table.update(1, (c) => void (c.left = i)); // published while nobody listens
    const [change] = await take(watch, 1);
    expect(change).toMatchObject({ version: 12, missed: { after: 4, through: 10 }, fields: ['left'] });
    expect(change!.record!.left).toBe(5);
    // And the feed goes on after that.
    const next = watch.next();
    await table.update(1, (c) => void (c.right = 1));
    expect((await next).value).toMatchObject({ version: 14, missed: undefined, fields: ['right'] });
    await watch.return();
    await table.close();
  });

  it('reports a deletion, then a record created again', async () => {
    const table = await createRedisTable(Counters, { client: redis.client, name: 'deleted' });
    await table.create(1, { left: 1 });
    const watch = table.watch(1);
    await watch.subscribed();
    const first = watch.next();
    await table.delete(1);
    expect((await first).value).toMatchObject({ version: 2, deleted: true, record: undefined, missed: undefined });
    await table.create(1, { left: 7 });
    const { value } = await watch.next();
    expect(value).toMatchObject({ version: 2, deleted: false, missed: undefined });
    expect(value!.record!.left).toBe(7);
    await watch.return();
    await table.close();
  });

  it('return() and the signal end a next() that is still waiting; bad options are coded', async () => {
    const table = await createRedisTable(Counters, { client: redis.client, name: 'ending' });
    await table.create(1, {});
    const watch = table.watch(1);
    await watch.subscribed();
    const pending = watch.next();
    await watch.return();
    expect(await pending).toEqual({ value: undefined, done: true });
    const controller = new AbortController();
    const signalled = table.watch(1, { signal: controller.signal });
    const waiting = signalled.next();
    controller.abort();
    expect(await waiting).toEqual({ value: undefined, done: true });
    expect(() => table.watch(1, { since: -1 })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
    expect(() => table.watch(1, { bufferSize: 0 })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
    expect(() => table.watch('', {})).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    await table.close();
  });
});
