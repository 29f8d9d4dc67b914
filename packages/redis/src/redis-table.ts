// A table whose records live in Redis: the shared table's API, async. Reads are one GET; create,
// commit and delete are one call of record.lua each, atomic on the server.
import { randomInt } from 'node:crypto';
import {
  ConflictError,
  fromMap,
  isView,
  LayoutMismatchError,
  layoutOf,
  StructSyncError,
  ValueError,
  view,
  viewMemory,
  type CommitOptions,
  type ConflictPolicy,
  type FromMapOptions,
  type StructClass,
  type StructLayout,
} from '@structsync/core';
import { ANCIENT_STAMP, checkOptionsObject, conflictPolicy, describeValue, FieldSet, fieldWordsOf, invalidOption, type FieldWords } from '@structsync/core/internal';
import type { CommandArgument, RecordCommands } from './commands.js';
import { connectionLost, RedisTableError } from './errors.js';
import { isNodeRedisClient, nodeRedisCommands } from './node-redis.js';
import { checkRecord, HEAD_BYTES, newRecordValue, recordFormat, type RecordFormat, type RecordHeader } from './record-format.js';
import { checkId, checkTableName, defaultKey, layoutKey, type RecordId } from './record-key.js';
import { runRecordScript } from './record-script.js';
import { readReply, type ScriptReply } from './script-reply.js';
import { ChangeFeed, type RedisWatch, type RedisWatchOptions } from './redis-watch.js';
import { RedisTransaction } from './redis-transaction.js';

export interface RedisTableOptions {
  /** A connected node-redis client or cluster client (`redis` 6.x), owned by the caller. */
  readonly client: unknown;
  /** The table's name: keys are `structsync:{<name>}:<id>`, the layout fingerprint `structsync:{<name>}`. */
  readonly name: string;
  /** The key of record `id`, for your own hash tags (e.g. one slot per record on a cluster). */
  readonly key?: (id: RecordId) => string;
  /** Use generated accessor classes for views (default true). */
  readonly codegen?: boolean;
}

export interface RedisSnapshot<T> {
  readonly version: number;
  /** A view over a private copy of the record. */
  readonly record: T;
  /** The same view as `record`. */
  readonly view: T;
}

export interface RedisBeginOptions {
  /** Start a missing record from zeroes instead of failing with NOT_FOUND; the commit creates it. */
  readonly upsert?: boolean;
}

export interface RedisUpdateOptions extends CommitOptions, RedisBeginOptions {
  /** Commits retried after a ConflictError before it is rethrown (default 100). */
  readonly maxRetries?: number;
}

const DEFAULT_MAX_RETRIES = 100;
/** A commit request's bytes after the head: the policy code, snapshot version, generation and field count. */
const COMMIT_FIXED_BYTES = 13;
const POLICY_CODES: Readonly<Record<ConflictPolicy, number>> = { reject: 0x72, merge: 0x6d, overwrite: 0x6f }; // 'r' 'm' 'o'
const MAX_BACKOFF_MS = 32;
const NO_OPTIONS = Object.freeze({});

export class RedisTable<T extends object> {
  readonly type: StructClass<T>;
  readonly layout: StructLayout;
  readonly name: string;
  readonly fingerprint: string;
  /** @internal */ readonly format: RecordFormat;
  /** @internal */ readonly fieldWords: FieldWords;
  /** @internal A field set holding every field (overwrite commits). */ readonly allFields: FieldSet;
  private readonly commands: RecordCommands;
  private readonly keyOfId: (id: RecordId) => string;
  private readonly codegen: boolean;
  private readonly feed: ChangeFeed<T>;

  /** @internal Use createRedisTable. */
  constructor(type: StructClass<T>, commands: RecordCommands, name: string, keyOfId: (id: RecordId) => string, codegen: boolean) {
    this.type = type;
    this.layout = layoutOf(type);
    this.name = name;
    this.format = recordFormat(this.layout);
    this.fingerprint = this.format.fingerprint;
    this.fieldWords = fieldWordsOf(this.layout);
    this.allFields = new FieldSet(this.format.geometry.fieldCount);
    for (let f = 0; f < this.format.geometry.fieldCount; f++) this.allFields.add(f);
    this.commands = commands;
    this.keyOfId = keyOfId;
    this.codegen = codegen;
    this.feed = new ChangeFeed(this, commands);
  }

  /** The Redis key of record `id`. */
  keyOf(id: RecordId): string {
    const struct = this.layout.name;
    const key: unknown = this.keyOfId(checkId(struct, id));
    if (typeof key !== 'string' || key.length === 0) throw invalidOption(struct, 'key', 'a function returning a non-empty string', key);
    return key;
  }

  /**
   * Creates record `id` from a map (fromMap: `partial: true` by default, so left-out fields are
   * zero) or a view of this struct. Resolves with its version (2: creation is its first commit).
   * ALREADY_EXISTS if the key holds a record; INVALID_RECORD if it holds anything else.
   */
  async create(id: RecordId, values: object, options: FromMapOptions = {}): Promise<number> {
    const key = this.keyOf(id);
    const copy = this.privateCopy();
    const struct = this.layout.name;
    if (isView(values)) {
      const memory = viewMemory(values);
      if (memory.layout !== this.layout) throw new ValueError('INVALID_INPUT', `${struct} table: create from a ${memory.layout.name} view`, { struct });
      this.payloadBytes(copy.words).set(memory.bytes.subarray(memory.offset, memory.offset + this.layout.size));
    } else {
      fromMap(copy.view, values, { partial: true, ...options });
    }
    const value = newRecordValue(this.format, this.payloadBytes(copy.words), newGeneration(), 2, 2);
    const reply = await this.run(key, ['create', this.format.head, value], true);
    if (reply.status === 'exists') throw new RedisTableError('ALREADY_EXISTS', `${struct} record at ${key} already exists; nothing was written`, { struct, key });
    return (reply as { version: number }).version;
  }

  /** A snapshot of record `id` (one GET): a view over a private copy, or copied `into` a view of this struct. */
  async read(id: RecordId, into?: T): Promise<T> {
    return (await this.snapshot(id, into)).record;
  }

  /** Like read(), with the version the snapshot was taken at. */
  async snapshot(id: RecordId, into?: T): Promise<RedisSnapshot<T>> {
    const struct = this.layout.name;
    const memory = into === undefined ? undefined : viewMemory(into);
    if (memory !== undefined && memory.layout !== this.layout) {
      throw new ValueError('INVALID_INPUT', `${struct} table: read into a ${memory.layout.name} view`, { struct });
    }
    const key = this.keyOf(id);
    const value = await this.fetch(key);
    if (value === null) throw this.notFound(key, 'does not exist');
    const copy = this.privateCopy();
    const { version } = this.decode(key, value, copy.words);
    if (memory === undefined) return { version, record: copy.view, view: copy.view };
    memory.bytes.set(this.payloadBytes(copy.words).subarray(0, this.layout.size), memory.offset);
    return { version, record: into!, view: into! };
  }

  /** Starts an optimistic transaction on record `id` from a fresh snapshot (NOT_FOUND unless `upsert`). */
  async begin(id: RecordId, options: RedisBeginOptions = NO_OPTIONS): Promise<RedisTransaction<T>> {
    checkOptionsObject(this.layout.name, options);
    const key = this.keyOf(id);
    const value = await this.fetch(key);
    if (value === null && options.upsert !== true) throw this.notFound(key, 'does not exist');
    const transaction = new RedisTransaction(this, id, key);
    transaction.reset(value);
    return transaction;
  }

  /**
   * Runs `change` on a snapshot of record `id` and commits it, running it again on a fresh
   * snapshot after each ConflictError (up to maxRetries). A first conflict's reply carries the
   * record, so that retry costs one round trip; later ones back off (see backOff). `change` must be
   * synchronous. Resolves with the new version.
   * A commit whose reply was lost is UNKNOWN_OUTCOME and is not retried.
   */
  async update(id: RecordId, change: (record: T) => void, options: RedisUpdateOptions = NO_OPTIONS): Promise<number> {
    const struct = this.layout.name;
    if (typeof change !== 'function') {
      throw new ValueError('INVALID_INPUT', `${struct} table: update's change must be a function, got ${describeValue(change)}`, { struct });
    }
    const policy = conflictPolicy(struct, options);
    const maxRetries = options.maxRetries ?? DEFAULT_MAX_RETRIES;
    if (!(Number.isInteger(maxRetries) || maxRetries === Infinity) || maxRetries < 0) {
      throw invalidOption(struct, 'maxRetries', 'a non-negative integer (or Infinity)', maxRetries);
    }
    const upsert = options.upsert === true;
    const key = this.keyOf(id);
    const transaction = new RedisTransaction(this, id, key);
    let value = await this.fetch(key);
    for (let attempt = 0; ; attempt++) {
      if (value === null && !upsert) throw this.notFound(key, 'does not exist');
      transaction.reset(value);
      const result: unknown = change(transaction.view);
      if (isThenable(result)) {
        result.then(undefined, () => {});
        throw new ValueError('INVALID_INPUT', `${struct} table: update's change returned a promise; it must be synchronous (it may run several times), and nothing was committed`, { struct });
      }
      try {
        return await transaction.commitWith(policy);
      } catch (error) {
        if (attempt >= maxRetries) throw error;
        if (error instanceof ConflictError) value = attempt === 0 ? (transaction.latest ?? (await this.fetch(key))) : await this.backOff(key, attempt);
        // Deleted under an upsert: start over from a missing record.
        else if (upsert && error instanceof RedisTableError && error.code === 'NOT_FOUND') value = null;
        else throw error;
      }
    }
  }

  /**
   * After a second conflict in a row: waits a random time, up to twice as long after each further
   * one (1 ms, 2 ms … 32 ms), then reads the record afresh. Immediate retries let the writers that
   * happen to be faster win every round, and the others run out of retries.
   */
  private async backOff(key: string, attempt: number): Promise<Buffer | null> {
    const bound = Math.min(MAX_BACKOFF_MS, 2 ** (attempt - 1));
    await new Promise((resolve) => setTimeout(resolve, Math.random() * bound));
    return this.fetch(key);
  }

  /** Deletes record `id` (and tells its watchers); resolves with the version it had. NOT_FOUND if missing. */
  async delete(id: RecordId): Promise<number> {
    const key = this.keyOf(id);
    const reply = await this.run(key, ['delete', this.format.head], true);
    if (reply.status !== 'ok') throw this.notFound(key, 'does not exist');
    return reply.version;
  }

  /**
   * Yields record `id` at each committed version, in order, from Redis sharded pub/sub. A watcher
   * that fell behind or reconnected re-reads and says which versions it did not see one by one
   * (`missed`); nothing is skipped silently. It subscribes on its first next() (or subscribed()),
   * and reports the commits after the version it finds then, or after `since`. Ends on `signal` or `break`.
   */
  watch(id: RecordId, options: RedisWatchOptions = NO_OPTIONS): RedisWatch<T> {
    return this.feed.watch(id, this.keyOf(id), options);
  }

  /** Closes the table's change-feed connection (the client stays the caller's to close). */
  close(): Promise<void> {
    return this.feed.close();
  }

  /** @internal GET of a record's value: null when missing; a lost connection is CONNECTION_LOST. */
  async fetch(key: string): Promise<Buffer | null> {
    this.checkOpen(key, 'reading');
    try {
      return await this.commands.get(key);
    } catch (error) {
      throw this.commandFailed(key, 'reading', error, false);
    }
  }

  /** @internal Checks a value is a record of this layout and copies its payload into `words`. */
  decode(key: string, value: Buffer, words: Int32Array): RecordHeader {
    const header = checkRecord(this.format, value, key);
    this.payloadBytes(words).set(value.subarray(this.format.payloadOffset, this.format.length));
    return header;
  }

  /** @internal A fresh private payload copy and a view over it. */
  privateCopy(): { words: Int32Array; view: T } {
    const words = new Int32Array(this.format.payloadWords);
    return { words, view: view(this.type, words.buffer, 0, { codegen: this.codegen }) };
  }

  /** @internal record.lua's commit of the fields in `set` from `work`, packed into one argument (see record.lua). */
  runCommit(key: string, policy: ConflictPolicy, start: number, generation: number, creates: boolean, set: FieldSet, work: Int32Array): Promise<ScriptReply> {
    const { fields } = this.layout;
    const { head, dirtyBytes } = this.format;
    const payload = this.payloadBytes(work);
    // record.lua splices the fields in ascending offset order (a C layout's declaration order).
    let list: ArrayLike<number> = set.list;
    let bytes = 0;
    let ordered = true;
    for (let i = 0; i < set.size; i++) {
      bytes += fields[set.list[i]!]!.size;
      if (i > 0 && fields[set.list[i]!]!.offset < fields[set.list[i - 1]!]!.offset) ordered = false;
    }
    if (!ordered) list = Array.from(set.list.slice(0, set.size)).sort((a, b) => fields[a]!.offset - fields[b]!.offset);
    const listAt = HEAD_BYTES + COMMIT_FIXED_BYTES + dirtyBytes;
    let at = listAt + 12 * set.size;
    // allocUnsafe takes small buffers from Node's shared pool: no ArrayBuffer per commit. Every byte is written below.
    const request = Buffer.allocUnsafe(at + bytes);
    head.copy(request, 0);
    request[HEAD_BYTES] = POLICY_CODES[policy];
    request.writeUInt32LE(start, HEAD_BYTES + 1);
    request.writeUInt32LE(generation, HEAD_BYTES + 5);
    request.writeUInt32LE(set.size, HEAD_BYTES + 9);
    request.set(new Uint8Array(set.bits.buffer, set.bits.byteOffset, dirtyBytes), HEAD_BYTES + COMMIT_FIXED_BYTES);
    for (let i = 0; i < set.size; i++) {
      const field = fields[list[i]!]!;
      request.writeUInt32LE(list[i]!, listAt + i * 12);
      request.writeUInt32LE(field.offset, listAt + i * 12 + 4);
      request.writeUInt32LE(field.size, listAt + i * 12 + 8);
      request.set(payload.subarray(field.offset, field.offset + field.size), at);
      at += field.size;
    }
    const base = creates ? newRecordValue(this.format, new Uint8Array(0), newGeneration(), 0, ANCIENT_STAMP) : '';
    return this.run(key, ['commit', request, base], true);
  }

  /** @internal NOT_FOUND for record `key`. */
  notFound(key: string, what: string): RedisTableError {
    const struct = this.layout.name;
    return new RedisTableError('NOT_FOUND', `${struct} record at ${key} ${what}`, { struct, key });
  }

  private async run(key: string, args: readonly CommandArgument[], writes: boolean): Promise<ScriptReply> {
    this.checkOpen(key, 'the commit');
    let raw: unknown;
    try {
      raw = await runRecordScript(this.commands, key, args);
    } catch (error) {
      throw this.commandFailed(key, 'the commit', error, writes);
    }
    return readReply(this.format, key, raw);
  }

  private checkOpen(key: string, what: string): void {
    if (!this.commands.isOpen) throw connectionLost(this.layout.name, key, what, new Error('the client is closed'));
  }

  private commandFailed(key: string, what: string, error: unknown, writes: boolean): StructSyncError {
    const struct = this.layout.name;
    const kind = this.commands.classify(error);
    if (kind === 'server' && (error as Error).message.startsWith('WRONGTYPE')) {
      return new RedisTableError('INVALID_RECORD', `${struct} record at ${key}: the key holds another type than a string; the key was left as it is`, {
        struct,
        key,
        cause: error,
      });
    }
    if (kind === 'server') {
      return new StructSyncError('INVALID_STATE', `${struct} record at ${key}: Redis refused ${what} (${(error as Error).message})`, { struct, cause: error });
    }
    if (kind === 'unavailable') {
      return new RedisTableError('CONNECTION_LOST', `${struct} record at ${key}: Redis is not serving yet, ${what} did not run (${(error as Error).message})`, {
        struct,
        key,
        cause: error,
      });
    }
    if (kind === 'lost' && writes) {
      return new RedisTableError(
        'UNKNOWN_OUTCOME',
        `${struct} record at ${key}: the connection failed after ${what} was sent, so it may or may not have been applied; ` +
          `read the record to find out before writing again (${(error as Error).message})`,
        { struct, key, cause: error },
      );
    }
    return connectionLost(struct, key, what, error);
  }

  private payloadBytes(words: Int32Array): Uint8Array {
    return new Uint8Array(words.buffer, words.byteOffset, words.byteLength);
  }
}

/** A record's incarnation: a commit whose snapshot came from a deleted record of the same key conflicts. */
function newGeneration(): number {
  return randomInt(1, 2 ** 32 - 1);
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (typeof value === 'object' || typeof value === 'function') && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

/**
 * Opens the table `name` of records of `type` in Redis. The layout's fingerprint is stored under
 * `structsync:{<name>}` by the first process to open it; a table of that name with another
 * layout is LAYOUT_MISMATCH.
 */
export async function createRedisTable<T extends object>(type: StructClass<T>, options: RedisTableOptions): Promise<RedisTable<T>> {
  const layout = layoutOf(type);
  const struct = layout.name;
  if (typeof options !== 'object' || options === null) throw invalidOption(struct, 'options', "an object like { client, name: 'users' }", options);
  const name = checkTableName(struct, options.name);
  const { client, key, codegen = true } = options;
  if (!isNodeRedisClient(client)) throw invalidOption(struct, 'client', 'a node-redis client or cluster (redis 6.x)', client);
  if (key !== undefined && typeof key !== 'function') throw invalidOption(struct, 'key', 'a function of the record id', key);
  if (typeof codegen !== 'boolean') throw invalidOption(struct, 'codegen', 'true or false', codegen);
  const commands = nodeRedisCommands(client);
  const table = new RedisTable(type, commands, name, key ?? ((id) => defaultKey(name, id)), codegen);
  await checkLayout(commands, table, layoutKey(name));
  return table;
}

async function checkLayout(commands: RecordCommands, table: RedisTable<object>, key: string): Promise<void> {
  const struct = table.layout.name;
  const stored = `${table.fingerprint} ${struct}`;
  if (!commands.isOpen) throw connectionLost(struct, key, 'checking the layout', new Error('the client is closed'));
  let found: Buffer | null;
  try {
    if (await commands.setIfAbsent(key, stored)) return;
    found = await commands.get(key);
  } catch (error) {
    if (commands.classify(error) === 'server') {
      throw new RedisTableError('INVALID_RECORD', `${struct} table ${table.name}: ${key} does not hold a layout fingerprint (${(error as Error).message})`, { struct, key, cause: error });
    }
    throw connectionLost(struct, key, 'checking the layout', error);
  }
  const text = found?.toString() ?? '';
  if (text.slice(0, 16) === table.fingerprint) return;
  if (/^[0-9a-f]{16} /.test(text)) {
    throw new LayoutMismatchError(
      `${struct} table ${table.name}: Redis holds records of another layout under this name (${text.slice(17)}, fingerprint ${text.slice(0, 16)}; ${struct} has ${table.fingerprint})`,
      { struct },
    );
  }
  throw new RedisTableError('INVALID_RECORD', `${struct} table ${table.name}: ${key} holds something else than a layout fingerprint; it was left as it is`, { struct, key });
}
