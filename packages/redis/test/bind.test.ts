// bind() on a Redis record: core's state machine, async, against a real redis-server.
import { describe, expect, it } from 'vitest';
import { ConflictError, type BindTransition } from '@structsync/core';
import { bind, createRedisTable } from '../src/index.js';
import { codeOf } from './support/clients.js';
import { useRedis } from './support/fixture.js';
import { User } from './support/structs.js';

const redis = useRedis();

describe('bind', () => {
  it('pull, push, conflict and resolve walk the same states as a shared-table binding', async () => {
    const users = await createRedisTable(User, { client: redis.client, name: 'bind' });
    await users.create('42', { id: 42n, name: 'alice', age: 31 });
    const object: Record<string, unknown> = {};
    const transitions: string[] = [];
    const binding = bind(object, users, '42', { onTransition: (t: BindTransition) => transitions.push(`${t.from}>${t.to}:${t.fields.join('+')}`) });
    expect(await binding.pull()).toBe(true);
    expect(object).toEqual({ id: 42n, name: 'alice', age: 31 });
    expect(await binding.pull()).toBe(false); // the version did not move
    object.age = 32;
    expect(await binding.push()).toBe(true);
    expect(binding.state).toBe('COMMITTED');
    expect(binding.version).toBe(4);
    expect((await users.read('42')).age).toBe(32);
    expect(await binding.push()).toBe(false); // nothing changed
    // Another writer changes age: our next push of age conflicts, nothing written.
    await users.update('42', (u) => void (u.age = 50));
    object.age = 40;
    const error = await binding.push().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect(binding.state).toBe('CONFLICT');
    expect((await users.read('42')).age).toBe(50);
    expect(await codeOf(binding.push())).toBe('INVALID_STATE');
    expect(await binding.resolve('mine')).toBe(true);
    expect((await users.read('42')).age).toBe(40);
    expect(binding.state).toBe('COMMITTED');
    expect(transitions).toEqual([
      'IDLE>PENDING_WRITE:age',
      'PENDING_WRITE>ACK:age',
      'ACK>COMMITTED:age',
      'COMMITTED>IDLE:',
      'IDLE>PENDING_WRITE:age',
      'PENDING_WRITE>CONFLICT:age',
      'CONFLICT>IDLE:',
      'IDLE>PENDING_WRITE:age',
      'PENDING_WRITE>ACK:age',
      'ACK>COMMITTED:age',
    ]);
  });

  it('a push over others’ disjoint commits takes them into the object', async () => {
    const users = await createRedisTable(User, { client: redis.client, name: 'bind-merge' });
    await users.create(1, { id: 1n, name: 'bob', age: 20 });
    const object: Record<string, unknown> = {};
    const binding = bind(object, users, 1);
    await binding.pull();
    await users.update(1, (u) => void (u.name = 'robert'));
    object.age = 21;
    expect(await binding.push()).toBe(true);
    expect(object).toEqual({ id: 1n, name: 'robert', age: 21 });
    expect(binding.version).toBe(6);
  });

  it('bad arguments are coded; a bad value writes nothing', async () => {
    const users = await createRedisTable(User, { client: redis.client, name: 'bind-bad' });
    await users.create(1, { id: 1n, name: 'c', age: 1 });
    expect(() => bind([] as never, users, 1)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => bind({}, {} as never, 1)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => bind({}, users, 1, { onConflict: 'x' as never })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
    const object: Record<string, unknown> = { age: 'old' };
    const binding = bind(object, users, 1);
    expect(await codeOf(binding.push())).toBe('TYPE_MISMATCH');
    expect(binding.state).toBe('IDLE');
    const { version, record } = await users.snapshot(1);
    expect([version, record.age]).toEqual([2, 1]);
    expect(await codeOf(bind({}, users, 'missing').pull())).toBe('NOT_FOUND');
  });
});
