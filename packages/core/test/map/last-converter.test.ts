// toMap and fromMap answer the usual call from the last call's converter, in a path small enough
// for V8 to inline at the caller's site. That path must serve exactly the calls the checked path
// would serve the same way: after a warm-up call, every other option, view and subscriber still
// gets its own converter, its own error, and leaves the bytes as they were.
import { tracingChannel } from 'node:diagnostics_channel';
import { describe, expect, it } from 'vitest';
import { channels, createPool, Field, fromMap, records, sizeof, Struct, StructSyncError, toMap, ValueError, view } from '@structsync/core';
import { codeOf } from '../support/error-code.js';

@Struct()
class Account {
  @Field({ type: 'i64', tag: 'json:"id" db:"account_id"' }) id!: bigint;
  @Field({ type: 'i32', tag: 'json:"level" db:"level"' }) level!: number;
}

@Struct()
class Other {
  @Field({ type: 'i64', tag: 'json:"id"' }) id!: bigint;
  @Field({ type: 'i32', tag: 'json:"level"' }) level!: number;
}

const json = { tag: 'json' } as const;

function throwingOn(key: string): object {
  return new Proxy(
    { tag: 'json' },
    {
      get(target, property) {
        if (property === key) throw new Error(`no ${key}`);
        return Reflect.get(target, property) as unknown;
      },
    },
  );
}

function revoked(): object {
  const { proxy, revoke } = Proxy.revocable({ tag: 'json' }, {});
  revoke();
  return proxy;
}

describe.each([true, false])('the last converter serves only what the checked path would (codegen %s)', (codegen) => {
  const setup = () => {
    const buffer = new ArrayBuffer(sizeof(Account) * 2);
    const account = view(Account, buffer, 0, { codegen });
    const bytes = new Uint8Array(buffer);
    // Warm: the next calls with these options find this call's converters.
    fromMap(account, { id: 7n, level: 3 }, json);
    expect(toMap(account, json)).toEqual({ id: 7n, level: 3 });
    return { buffer, account, bytes, before: bytes.slice() };
  };

  it.each([
    ['a flag of the wrong type', { tag: 'json', partial: 'yes' }],
    ['a tag that is not a string', { tag: 5 }],
    ['an unknown mode that is not one', { tag: 'json', unknown: 'keep' }],
    ['a getter that throws', throwingOn('partial')],
    ['a revoked Proxy', revoked()],
    ['null', null],
  ])('fromMap after a warm call: %s is INVALID_OPTION and writes nothing', (_, options) => {
    const { account, bytes, before } = setup();
    expect(codeOf(() => fromMap(account, { id: 9n, level: 4 }, options as never), StructSyncError)).toBe('INVALID_OPTION');
    expect(bytes).toEqual(before);
  });

  it.each([
    ['a getter that throws', throwingOn('int64')],
    ['an int64 mode that is not one', { tag: 'json', int64: 'float' }],
    ['a revoked Proxy', revoked()],
  ])('toMap after a warm call: %s is INVALID_OPTION', (_, options) => {
    const { account } = setup();
    expect(codeOf(() => toMap(account, options as never), StructSyncError)).toBe('INVALID_OPTION');
  });

  it('after a warm call, other options get their own converters', () => {
    const { account } = setup();
    // Another tag: db names, and the json name is an unknown key there.
    fromMap(account, { account_id: 11n, level: 5 }, { tag: 'db' });
    expect(toMap(account, { tag: 'db' })).toEqual({ account_id: 11n, level: 5 });
    expect(codeOf(() => fromMap(account, { id: 12n, level: 5 }, { tag: 'db' }), ValueError)).toBe('UNKNOWN_KEY');
    // Flags: partial keeps the id; int64 and into change what toMap gives.
    fromMap(account, { level: 6 }, { tag: 'json', partial: true });
    expect(toMap(account, { tag: 'json', int64: 'string' })).toEqual({ id: '11', level: 6 });
    const into: Record<string, unknown> = { kept: true };
    expect(toMap(account, { tag: 'json', into })).toBe(into);
    expect(into).toEqual({ kept: true, id: 11n, level: 6 });
    // The converter of the other accessor path, and of another struct with the same tag.
    expect(toMap(account, { tag: 'json', codegen: !codegen })).toEqual({ id: 11n, level: 6 });
    const other = view(Other, new ArrayBuffer(sizeof(Other)), 0, { codegen });
    fromMap(other, { id: 1n, level: 2 }, json);
    expect(toMap(other, json)).toEqual({ id: 1n, level: 2 });
    expect(toMap(account, json)).toEqual({ id: 11n, level: 6 });
  });

  it('after a warm call, a released pool view is STALE_VIEW and a view on no record OUT_OF_BOUNDS; nothing is written', () => {
    setup();
    const pool = createPool(Account, { capacity: 2, codegen });
    const held = pool.acquire();
    fromMap(held, { id: 1n, level: 1 }, json);
    expect(toMap(held, json)).toEqual({ id: 1n, level: 1 });
    pool.release(held);
    const again = pool.acquire(); // the same slot, handed out again
    fromMap(again, { id: 2n, level: 2 }, json);
    const poolBytes = new Uint8Array(pool.buffer).slice();
    expect(codeOf(() => fromMap(held, { id: 3n, level: 3 }, json))).toBe('STALE_VIEW');
    expect(codeOf(() => toMap(held, json))).toBe('STALE_VIEW');
    expect(new Uint8Array(pool.buffer)).toEqual(poolBytes);

    const buffer = new ArrayBuffer(sizeof(Account) * 2);
    const list = records(Account, buffer, { codegen });
    fromMap(list.at(1), { id: 4n, level: 4 }, json);
    const listBytes = new Uint8Array(buffer).slice();
    expect(codeOf(() => fromMap(list.at(-1), { id: 5n, level: 5 }, json))).toBe('OUT_OF_BOUNDS');
    expect(codeOf(() => toMap(list.at(2), json))).toBe('OUT_OF_BOUNDS');
    expect(new Uint8Array(buffer)).toEqual(listBytes);
    expect(codeOf(() => fromMap({} as Account, { id: 5n, level: 5 }, json))).toBe('INVALID_INPUT');
  });

  it('after a warm call, a tracing subscriber still sees every call', () => {
    const { account } = setup();
    const seen: string[] = [];
    const on = (label: string) => ({
      start: () => void seen.push(`${label} start`),
      end: () => {},
      asyncStart: () => {},
      asyncEnd: () => {},
      error: () => {},
    });
    const fromMapTrace = tracingChannel(channels.fromMap);
    const toMapTrace = tracingChannel(channels.toMap);
    const onFromMap = on('fromMap');
    const onToMap = on('toMap');
    fromMapTrace.subscribe(onFromMap as never);
    toMapTrace.subscribe(onToMap as never);
    try {
      fromMap(account, { id: 8n, level: 8 }, json);
      toMap(account, json);
    } finally {
      fromMapTrace.unsubscribe(onFromMap as never);
      toMapTrace.unsubscribe(onToMap as never);
    }
    expect(seen).toEqual(['fromMap start', 'toMap start']);
  });
});
