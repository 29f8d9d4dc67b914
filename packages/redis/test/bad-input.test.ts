// Bad input against a real redis-server: each case is a coded StructSyncError and leaves Redis
// exactly as it was (the key's bytes compared before and after, or the key still absent).
import { describe, expect, it } from 'vitest';
import { LayoutMismatchError, StructSyncError } from '@structsync/core';
import { createRedisTable, RedisTableError } from '../src/index.js';
import { codeOf, connect, rawValue } from './support/clients.js';
import { useRedis } from './support/fixture.js';
import { User, UserV2 } from './support/structs.js';

const redis = useRedis();

/** Every way a table can touch record `id`, each expected to fail with `code` and write nothing. */
async function expectEveryOperation(table: Awaited<ReturnType<typeof createRedisTable<User>>>, id: string, code: string): Promise<void> {
  const key = table.keyOf(id);
  const type = await redis.client.type(key);
  const before = type === 'string' ? await rawValue(redis.client, key) : null;
  const tx = await table.begin('fine');
  expect(await codeOf(table.read(id))).toBe(code);
  expect(await codeOf(table.update(id, (u) => void (u.age = 1)))).toBe(code);
  expect(await codeOf(table.begin(id))).toBe(code);
  // On a missing key these two create the record: the unknown-id test covers them.
  if (code !== 'NOT_FOUND') {
    expect(await codeOf(table.update(id, (u) => void (u.age = 1), { upsert: true }))).toBe(code);
    expect(await codeOf(table.begin(id, { upsert: true }))).toBe(code);
    expect(await codeOf(table.create(id, { age: 1 }))).toBe(code);
  }
  expect(await codeOf(table.delete(id))).toBe(code);
  expect(tx.state).toBe('open');
  expect(await redis.client.type(key)).toBe(type);
  if (type === 'string') expect(await rawValue(redis.client, key)).toEqual(before);
}

describe('keys holding something else', () => {
  it('a foreign string is INVALID_RECORD and is never overwritten', async () => {
    const users = await createRedisTable(User, { client: redis.client, name: 'foreign' });
    await users.create('fine', { age: 1 });
    await redis.client.set(users.keyOf('json'), JSON.stringify({ id: 1, name: 'alice', age: 31 }));
    await expectEveryOperation(users, 'json', 'INVALID_RECORD');
    // Exactly a record's length, but not a record: still refused.
    await redis.client.set(users.keyOf('sized'), 'x'.repeat(64));
    await expectEveryOperation(users, 'sized', 'INVALID_RECORD');
  });

  it('a hash under a record key is INVALID_RECORD', async () => {
    const users = await createRedisTable(User, { client: redis.client, name: 'hash' });
    await users.create('fine', { age: 1 });
    await redis.client.hSet(users.keyOf('h'), { age: '3' });
    await expectEveryOperation(users, 'h', 'INVALID_RECORD');
    expect(await redis.client.hGetAll(users.keyOf('h'))).toEqual({ age: '3' });
  });

  it('a truncated record is INVALID_RECORD', async () => {
    const users = await createRedisTable(User, { client: redis.client, name: 'truncated' });
    await users.create('fine', { age: 1 });
    await users.create('cut', { id: 1n, name: 'bob', age: 2 });
    const value = (await rawValue(redis.client, users.keyOf('cut')))!;
    await redis.client.set(users.keyOf('cut'), value.subarray(0, 40));
    await expectEveryOperation(users, 'cut', 'INVALID_RECORD');
    const error = await users.read('cut').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RedisTableError);
    expect(error).toMatchObject({ struct: 'User', key: users.keyOf('cut') });
  });

  it('an unknown id is NOT_FOUND and creates nothing', async () => {
    const users = await createRedisTable(User, { client: redis.client, name: 'unknown' });
    await users.create('fine', { age: 1 });
    await expectEveryOperation(users, 'ghost', 'NOT_FOUND');
    expect(await redis.client.exists(users.keyOf('ghost'))).toBe(0);
  });
});

describe('layouts', () => {
  it('another layout under the same table name is LAYOUT_MISMATCH; the stored fingerprint stays', async () => {
    await createRedisTable(User, { client: redis.client, name: 'shared' });
    const stored = await redis.client.get('structsync:{shared}');
    const error = await createRedisTable(UserV2, { client: redis.client, name: 'shared' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LayoutMismatchError);
    expect((error as StructSyncError).code).toBe('LAYOUT_MISMATCH');
    expect(await redis.client.get('structsync:{shared}')).toBe(stored);
  });

  it('a record of another layout (under another table name, same keys) is LAYOUT_MISMATCH and is left as is', async () => {
    const v2 = await createRedisTable(UserV2, { client: redis.client, name: 'v2', key: (id) => `mixed:${id}` });
    await v2.create('r', { id: 1n, name: 'x' });
    const users = await createRedisTable(User, { client: redis.client, name: 'v1', key: (id) => `mixed:${id}` });
    await users.create('fine', { age: 1 });
    await expectEveryOperation(users, 'r', 'LAYOUT_MISMATCH');
  });

  it('a fingerprint key holding something else is INVALID_RECORD', async () => {
    await redis.client.set('structsync:{taken}', 'hello');
    expect(await codeOf(createRedisTable(User, { client: redis.client, name: 'taken' }))).toBe('INVALID_RECORD');
    expect(await redis.client.get('structsync:{taken}')).toBe('hello');
  });
});

describe('arguments', () => {
  it('bad ids, options and values are coded errors before anything is sent', async () => {
    const users = await createRedisTable(User, { client: redis.client, name: 'args' });
    await users.create('fine', { id: 1n, name: 'a', age: 1 });
    const before = await rawValue(redis.client, users.keyOf('fine'));
    const keys = await redis.client.keys('structsync:{args}*');
    expect(await codeOf(users.read(''))).toBe('INVALID_INPUT');
    expect(await codeOf(users.read(1.5))).toBe('INVALID_INPUT');
    expect(await codeOf(users.read({} as never))).toBe('INVALID_INPUT');
    expect(await codeOf(users.create('n', { age: 2 ** 31 }))).toBe('OUT_OF_RANGE');
    expect(await codeOf(users.create('n', { nope: 1 }))).toBe('UNKNOWN_KEY');
    expect(await codeOf(users.update('fine', 'x' as never))).toBe('INVALID_INPUT');
    expect(await codeOf(users.update('fine', async (u) => void (u.age = 5)))).toBe('INVALID_INPUT');
    expect(await codeOf(users.update('fine', (u) => void (u.age = 1.5)))).toBe('NOT_INTEGER');
    expect(await codeOf(users.update('fine', (u) => void (u.age = 2), { onConflict: 'later' as never }))).toBe('INVALID_OPTION');
    expect(await codeOf(users.update('fine', (u) => void (u.age = 2), { maxRetries: -1 }))).toBe('INVALID_OPTION');
    expect(await codeOf(createRedisTable(User, { client: redis.client, name: 'a{b}' }))).toBe('INVALID_OPTION');
    expect(await codeOf(createRedisTable(User, { client: {}, name: 'x' }))).toBe('INVALID_OPTION');
    expect(await codeOf(createRedisTable(User, { client: redis.client, name: 'x', key: (() => '') as never }).then((t) => t.read(1)))).toBe('INVALID_OPTION');
    expect(await rawValue(redis.client, users.keyOf('fine'))).toEqual(before);
    expect(await redis.client.keys('structsync:{args}*')).toEqual(keys);
  });
});

describe('connections', () => {
  it('a closed redis.client is CONNECTION_LOST for every operation, nothing sent', async () => {
    const own = await connect(redis.server.url);
    const users = await createRedisTable(User, { client: own, name: 'closed' });
    await users.create('c', { id: 1n, name: 'a', age: 1 });
    const tx = await users.begin('c');
    const before = await rawValue(redis.client, users.keyOf('c'));
    await own.close();
    for (const operation of [users.read('c'), users.update('c', (u) => void (u.age = 2)), users.create('d', {}), users.delete('c'), users.begin('c')]) {
      expect(await codeOf(operation)).toBe('CONNECTION_LOST');
    }
    tx.view.age = 3;
    expect(await codeOf(tx.commit())).toBe('CONNECTION_LOST');
    expect(tx.state).toBe('failed');
    expect(await codeOf(createRedisTable(User, { client: own, name: 'closed' }))).toBe('CONNECTION_LOST');
    expect(await rawValue(redis.client, users.keyOf('c'))).toEqual(before);
    expect(await redis.client.exists(users.keyOf('d'))).toBe(0);
  });
});
