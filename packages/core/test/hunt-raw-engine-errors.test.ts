// Regression tests (issue 12): public entry points let the engine's own errors out — a revoked
// Proxy given as a view (isView threw instead of answering false; toMap, fromMap, asMap and repoint
// threw TypeErrors) or as an options object, offsetof with a non-string path, formatLayout with
// null options, parseTags with a number. Each is now a coded StructSyncError (isView: false), and
// nothing is written.
import { describe, expect, it } from 'vitest';
import {
  asMap,
  attach,
  attachTable,
  bind,
  createPool,
  createTable,
  Field,
  formatLayout,
  fromMap,
  isView,
  offsetof,
  parseTags,
  records,
  repoint,
  Struct,
  StructSyncError,
  toMap,
  view,
  writeFingerprint,
  type StructSyncErrorCode,
} from '@structsync/core';

@Struct()
class Unit {
  @Field({ type: 'i32', tag: 'json:n' }) n!: number;
}

function revoked(): object {
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  return proxy;
}

/** The code of the error `run` throws; fails the test on a non-StructSyncError or no error. */
function codeOf(run: () => unknown): StructSyncErrorCode {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(StructSyncError);
    return (error as StructSyncError).code;
  }
  throw new Error('nothing was thrown');
}

async function asyncCodeOf(run: () => Promise<unknown>): Promise<StructSyncErrorCode> {
  try {
    await run();
  } catch (error) {
    expect(error).toBeInstanceOf(StructSyncError);
    return (error as StructSyncError).code;
  }
  throw new Error('nothing was thrown');
}

describe('raw_engine_errors_at_public_entry_points', () => {
  it('a revoked Proxy as a view: isView answers false; toMap, fromMap, asMap, repoint: INVALID_INPUT', () => {
    const bad = revoked();
    expect(isView(bad)).toBe(false);
    expect(codeOf(() => toMap(bad))).toBe('INVALID_INPUT');
    expect(codeOf(() => fromMap(bad, { n: 1 }))).toBe('INVALID_INPUT');
    expect(codeOf(() => asMap(bad))).toBe('INVALID_INPUT');
    expect(codeOf(() => repoint(bad, 0))).toBe('INVALID_INPUT');
  });

  it('a revoked Proxy as options: INVALID_OPTION, nothing written', () => {
    const bad = revoked() as never;
    const buffer = new ArrayBuffer(64);
    const bytes = new Uint8Array(buffer);
    expect(codeOf(() => Struct(bad)(class Revoked {}))).toBe('INVALID_OPTION');
    expect(codeOf(() => createPool(Unit, bad))).toBe('INVALID_OPTION');
    expect(codeOf(() => createPool(Unit, { capacity: 1, grow: bad }))).toBe('INVALID_OPTION');
    expect(codeOf(() => view(Unit, buffer, 0, bad))).toBe('INVALID_OPTION');
    expect(codeOf(() => records(Unit, buffer, bad))).toBe('INVALID_OPTION');
    writeFingerprint(Unit, buffer);
    const before = bytes.slice();
    expect(codeOf(() => attach(Unit, buffer, 0, bad))).toBe('INVALID_OPTION');
    expect(codeOf(() => formatLayout(Unit, bad))).toBe('INVALID_OPTION');
    const unit = view(Unit, buffer, 16);
    expect(codeOf(() => toMap(unit, bad))).toBe('INVALID_OPTION');
    expect(codeOf(() => fromMap(unit, { n: 9 }, bad))).toBe('INVALID_OPTION');
    expect(codeOf(() => asMap(unit, bad))).toBe('INVALID_OPTION');
    expect(codeOf(() => createTable(Unit, bad))).toBe('INVALID_OPTION');
    const table = createTable(Unit, { capacity: 1 });
    expect(codeOf(() => attachTable(Unit, table.buffer, bad))).toBe('INVALID_OPTION');
    const tableBefore = new Uint8Array(table.buffer).slice();
    expect(codeOf(() => table.update(0, (u) => void (u.n = 1), bad))).toBe('INVALID_OPTION');
    const tx = table.begin(0);
    tx.view.n = 2;
    expect(codeOf(() => tx.commit(bad))).toBe('INVALID_OPTION');
    expect(codeOf(() => table.watch(0, bad))).toBe('INVALID_OPTION');
    expect(codeOf(() => table.recover(0, bad))).toBe('INVALID_OPTION');
    expect(codeOf(() => bind({ n: 5 }, table, 0, bad))).toBe('INVALID_OPTION');
    expect(new Uint8Array(table.buffer)).toEqual(tableBefore);
    expect(bytes).toEqual(before);
  });

  it('a revoked Proxy as waitForChange options: the promise rejects with INVALID_OPTION', async () => {
    const table = createTable(Unit, { capacity: 1 });
    expect(await asyncCodeOf(() => table.waitForChange(0, 0, revoked() as never))).toBe('INVALID_OPTION');
  });

  it('offsetof with a non-string path, formatLayout with null options, parseTags with a number', () => {
    expect(codeOf(() => offsetof(Unit, 5 as never))).toBe('UNKNOWN_FIELD');
    expect(codeOf(() => formatLayout(Unit, null as never))).toBe('INVALID_OPTION');
    expect(codeOf(() => parseTags(5 as never))).toBe('INVALID_TAG');
    expect(codeOf(() => parseTags(revoked() as never))).toBe('INVALID_TAG');
  });
});
