// A Redis-backed table against a real redis-server: the record's bytes, create/read/update,
// transactions under the three conflict policies, upsert, delete and the layout fingerprint.
import { describe, expect, it } from 'vitest';
import { ConflictError, fingerprint, layoutOf, offsetof, sizeof } from '@structsync/core';
import { createRedisTable, RedisTransaction } from '../src/index.js';
import { codeOf, connect, rawValue } from './support/clients.js';
import { useRedis } from './support/fixture.js';
import { Counters, User } from './support/structs.js';

const redis = useRedis();

describe('records', () => {
  it('creates a record as one string: a compact header (16-bit stamps), then the C layout bytes', async () => {
    const users = await createRedisTable(User, { client: redis.client, name: 'layout' });
    expect(await users.create('42', { id: 42n, name: 'alice', age: 31 })).toBe(2);
    const value = (await rawValue(redis.client, 'structsync:{layout}:42'))!;
    // Version, generation, marker, fingerprint word (16 bytes), 1 byte of dirty bits, 3 u16 stamps → 23, then 32 payload bytes.
    expect(value.length).toBe(23 + sizeof(User));
    expect(value.readUInt32LE(0)).toBe(2); // version
    expect(value.readUInt32LE(8)).toBe(0x32525353); // 'SSR2'
    expect(value.readUInt32LE(12)).toBe(Number.parseInt(fingerprint(User).slice(8), 16)); // fingerprint's low word
    expect(value[16]).toBe(0b111); // dirty bits: creation wrote every field
    expect([value.readUInt16LE(17), value.readUInt16LE(19), value.readUInt16LE(21)]).toEqual([2, 2, 2]);
    expect(value.readBigInt64LE(23 + offsetof(User, 'id'))).toBe(42n);
    expect(value.subarray(23 + offsetof(User, 'name'), 23 + offsetof(User, 'name') + 5).toString()).toBe('alice');
    expect(value.readInt32LE(23 + offsetof(User, 'age'))).toBe(31);
    expect(layoutOf(User).size).toBe(32);
    expect(await redis.client.get('structsync:{layout}')).toBe(`${fingerprint(User)} User`);
  });

  it('reads snapshots with their version, into a fresh view or a given one', async () => {
    const users = await createRedisTable(User, { client: redis.client, name: 'read' });
    await users.create(7, { id: 7n, name: 'bob', age: 20 });
    const { version, record, view } = await users.snapshot(7);
    expect(version).toBe(2);
    expect(view).toBe(record);
    expect(record).toBeInstanceOf(User);
    expect([record.id, record.name, record.age]).toEqual([7n, 'bob', 20]);
    record.age = 99; // a private copy
    const again = await users.read(7, record);
    expect(again).toBe(record);
    expect(record.age).toBe(20);
  });

  it('update commits only the changed fields, one script call, and returns the new version', async () => {
    const users = await createRedisTable(User, { client: redis.client, name: 'update' });
    await users.create('a', { id: 1n, name: 'carol', age: 30 });
    expect(await users.update('a', (u) => void (u.age += 1))).toBe(4);
    const value = (await rawValue(redis.client, 'structsync:{update}:a'))!;
    expect(value[16]).toBe(0b100); // only age is dirty
    expect([value.readUInt16LE(17), value.readUInt16LE(19), value.readUInt16LE(21)]).toEqual([2, 2, 4]);
    expect((await users.read('a')).age).toBe(31);
  });

  it('ALREADY_EXISTS and NOT_FOUND, with nothing written', async () => {
    const users = await createRedisTable(User, { client: redis.client, name: 'exists' });
    await users.create('x', { id: 1n, name: 'dan', age: 1 });
    const before = await rawValue(redis.client, 'structsync:{exists}:x');
    expect(await codeOf(users.create('x', { id: 2n, name: 'eve', age: 2 }))).toBe('ALREADY_EXISTS');
    expect(await rawValue(redis.client, 'structsync:{exists}:x')).toEqual(before);
    expect(await codeOf(users.read('nobody'))).toBe('NOT_FOUND');
    expect(await codeOf(users.update('nobody', (u) => void (u.age = 1)))).toBe('NOT_FOUND');
    expect(await codeOf(users.begin('nobody'))).toBe('NOT_FOUND');
    expect(await codeOf(users.delete('nobody'))).toBe('NOT_FOUND');
    expect(await redis.client.exists('structsync:{exists}:nobody')).toBe(0);
  });

  it('upsert starts a missing record from zeroes', async () => {
    const users = await createRedisTable(User, { client: redis.client, name: 'upsert' });
    expect(await users.update('u', (u) => void (u.age = 5), { upsert: true })).toBe(2);
    const { version, record } = await users.snapshot('u');
    expect([version, record.id, record.name, record.age]).toEqual([2, 0n, '', 5]);
    expect(await users.update('u', (u) => void (u.age += 1), { upsert: true })).toBe(4);
  });

  it('delete removes the record; a transaction begun before it cannot resurrect it', async () => {
    const users = await createRedisTable(User, { client: redis.client, name: 'delete' });
    await users.create('d', { id: 1n, name: 'f', age: 1 });
    const tx = await users.begin('d');
    expect(await users.delete('d')).toBe(2);
    tx.view.age = 2;
    expect(await codeOf(tx.commit())).toBe('NOT_FOUND');
    expect(tx.state).toBe('failed');
    expect(await redis.client.exists('structsync:{delete}:d')).toBe(0);
    // Created again: an old transaction's snapshot is of another record, and conflicts.
    const old = await users.begin(('e'), { upsert: true });
    await users.create('e', { id: 9n, name: 'g', age: 9 });
    old.view.age = 3;
    await expect(old.commit()).rejects.toBeInstanceOf(ConflictError);
    expect((await users.read('e')).age).toBe(9);
  });

  it('uses the key function for the user’s own hash tags', async () => {
    const users = await createRedisTable(User, { client: redis.client, name: 'keys', key: (id) => `app:user:{${id}}` });
    await users.create(5, { id: 5n, name: 'h', age: 5 });
    expect(users.keyOf(5)).toBe('app:user:{5}');
    expect((await rawValue(redis.client, 'app:user:{5}'))?.length).toBe(23 + 32);
  });
});

describe('transactions', () => {
  async function race(name: string) {
    const table = await createRedisTable(Counters, { client: redis.client, name });
    await table.create(1, { left: 1, right: 2, total: 3n, ratio: 0.5 });
    const first = await table.begin(1);
    const second = await table.begin(1);
    return { table, first, second };
  }

  it('reject: a write to the same field since the snapshot is a ConflictError naming it, and nothing is written', async () => {
    const { table, first, second } = await race('reject');
    first.view.left = 10;
    expect(await first.commit()).toBe(4);
    second.view.left = 20;
    second.view.total = 30n;
    const before = await rawValue(redis.client, table.keyOf(1));
    const error = await second.commit().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect(error).toMatchObject({ code: 'CONFLICT', fields: ['left'], expectedVersion: 2, actualVersion: 4 });
    expect(second.state).toBe('conflicted');
    expect(await rawValue(redis.client, table.keyOf(1))).toEqual(before);
    expect(await codeOf(second.commit())).toBe('INVALID_STATE');
  });

  it('disjoint fields never conflict, and a neighbour in the same word keeps its bytes', async () => {
    const { table, first, second } = await race('disjoint');
    first.view.left = 10;
    second.view.right = 20;
    expect(await first.commit()).toBe(4);
    expect(await second.commit()).toBe(6);
    expect(second.publishedOverSnapshot).toBe(false);
    const now = await table.read(1);
    expect([now.left, now.right, now.total]).toEqual([10, 20, 3n]);
  });

  it('merge writes its fields over the others’ on a shared field, keeps theirs elsewhere', async () => {
    const { table, first, second } = await race('merge');
    first.view.left = 10;
    first.view.total = 100n;
    await first.commit();
    second.view.left = 20;
    expect(await second.commit({ onConflict: 'merge' })).toBe(6);
    const now = await table.read(1);
    expect([now.left, now.right, now.total]).toEqual([20, 2, 100n]);
  });

  it('overwrite replaces the whole record with the view', async () => {
    const { table, first, second } = await race('overwrite');
    first.view.total = 100n;
    await first.commit();
    second.view.left = 7;
    await second.commit({ onConflict: 'overwrite' });
    const now = await table.read(1);
    expect([now.left, now.right, now.total, now.ratio]).toEqual([7, 2, 3n, 0.5]);
    expect(second).toBeInstanceOf(RedisTransaction);
  });

  it('a commit with no changes sends nothing and keeps the snapshot version', async () => {
    const { first } = await race('nothing');
    expect(await first.commit()).toBe(2);
    expect(first.changedFields()).toEqual([]);
  });

  it('update retries a conflict from the record the conflict reply carried, and loses no increment', async () => {
    const table = await createRedisTable(Counters, { client: redis.client, name: 'retry' });
    await table.create(1, {});
    const tx = await table.begin(1);
    tx.view.total = 5n;
    let runs = 0;
    // One connection serves commands in order: the update's GET, the transaction's commit, then
    // the update's commit, which conflicts on total and is run again over the committed 5.
    const updating = table.update(1, (c) => {
      runs++;
      c.total += 1n;
    });
    expect(await tx.commit()).toBe(4);
    expect(await updating).toBe(6);
    expect(runs).toBe(2);
    expect((await table.read(1)).total).toBe(6n);
  });
});
