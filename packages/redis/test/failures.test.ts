// Connection failures against a real redis-server: a commit whose reply is lost is UNKNOWN_OUTCOME
// and is not retried; a read whose connection dies is CONNECTION_LOST; the table recovers with the client.
import { describe, expect, it } from 'vitest';
import { createRedisTable, RedisTableError } from '../src/index.js';
import { connect, rawValue } from './support/clients.js';
import { useRedis } from './support/fixture.js';
import { removeRedis, startRedis } from './support/redis-server.js';
import { Counters } from './support/structs.js';

const redis = useRedis();

/** Waits until the server shows client `id` blocked on `command`, i.e. the command was sent. */
async function sentAndWaiting(id: number, command: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const list = String(await redis.client.sendCommand(['CLIENT', 'LIST', 'ID', String(id)]));
    if (list.includes(`cmd=${command}`)) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`client ${id} never ran ${command}`);
}

describe('lost replies', () => {
  it('a commit sent and cut off before its reply is UNKNOWN_OUTCOME, never retried', async () => {
    const client = await connect(redis.server.url);
    const table = await createRedisTable(Counters, { client, name: 'lost' });
    await table.create(1, { total: 1n }); // the script is loaded: the commit below is one EVALSHA
    const id = Number(await client.sendCommand(['CLIENT', 'ID']));
    const before = await rawValue(redis.client, table.keyOf(1));
    // Writes (scripts included) wait while the server is paused: the commit is in flight, then its connection is killed.
    await redis.client.sendCommand(['CLIENT', 'PAUSE', '5000', 'WRITE']);
    let runs = 0;
    // The handler is attached at once: the update fails while this test awaits CLIENT KILL.
    const updating = table
      .update(1, (c) => {
        runs++;
        c.total += 1n;
      })
      .catch((e: unknown) => e);
    await sentAndWaiting(id, 'evalsha');
    await redis.client.sendCommand(['CLIENT', 'KILL', 'ID', String(id)]);
    const error = await updating;
    await redis.client.sendCommand(['CLIENT', 'UNPAUSE']);
    expect(error).toBeInstanceOf(RedisTableError);
    expect(error).toMatchObject({ code: 'UNKNOWN_OUTCOME', key: table.keyOf(1) });
    expect(runs).toBe(1);
    // This time the server dropped it with the connection: nothing was written (and nothing resent).
    expect(await rawValue(redis.client, table.keyOf(1))).toEqual(before);
    // The client reconnects by itself, and the table works again.
    expect(await table.update(1, (c) => void (c.total += 1n))).toBe(4);
    expect((await table.read(1)).total).toBe(2n);
  });

  it('a transaction whose commit reply was lost is in the unknown state and refuses to commit again', async () => {
    const client = await connect(redis.server.url);
    const table = await createRedisTable(Counters, { client, name: 'lost-tx' });
    await table.create(1, {});
    const id = Number(await client.sendCommand(['CLIENT', 'ID']));
    const tx = await table.begin(1);
    tx.view.left = 3;
    await redis.client.sendCommand(['CLIENT', 'PAUSE', '5000', 'WRITE']);
    // The handler is attached at once: the commit fails while this test awaits CLIENT KILL.
    const outcome = tx.commit().then(
      () => 'ok',
      (e: { code?: string }) => e.code,
    );
    await sentAndWaiting(id, 'evalsha');
    await redis.client.sendCommand(['CLIENT', 'KILL', 'ID', String(id)]);
    expect(await outcome).toBe('UNKNOWN_OUTCOME');
    await redis.client.sendCommand(['CLIENT', 'UNPAUSE']);
    expect(tx.state).toBe('unknown');
    expect(await tx.commit().catch((e: { code?: string }) => e.code)).toBe('INVALID_STATE');
  });

  it('a read whose connection dies is CONNECTION_LOST (reads are safe to repeat)', async () => {
    const frozen = await startRedis();
    try {
      const client = await connect(frozen.url, { socket: { reconnectStrategy: false } });
      const table = await createRedisTable(Counters, { client, name: 'lost-read' });
      await table.create(1, { total: 9n });
      frozen.signal('SIGSTOP'); // the GET is sent and never answered
      const reading = table.read(1).then(
        () => 'ok',
        (e: { code?: string }) => e.code,
      );
      await new Promise((resolve) => setTimeout(resolve, 50));
      frozen.signal('SIGKILL'); // then the connection is reset
      frozen.signal('SIGCONT');
      expect(await reading).toBe('CONNECTION_LOST');
    } finally {
      await removeRedis(frozen);
    }
  });
});
