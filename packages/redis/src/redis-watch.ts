// The change feed: each commit's script publishes the record's previous version and new value on
// a sharded pub/sub channel named like the key. A watcher checks that each message follows the
// version it last delivered; when one does not (it fell behind, its buffer overflowed, or its
// connection came back), it says which versions it did not see one by one, never skipping silently.
import { checkOptionsObject, checkSignal, fieldNames, invalidOption } from '@structsync/core/internal';
import type { FeedConnection, RecordCommands } from './commands.js';
import { DIRTY_AT } from './record-format.js';
import type { RedisTable } from './redis-table.js';
import type { RecordId } from './record-key.js';

export interface RedisWatchOptions {
  /** Version to report changes after (default: the version when watching starts). */
  readonly since?: number;
  /** Ends the iteration. */
  readonly signal?: AbortSignal;
  /** Messages kept while the consumer is busy (default 1024); past that the oldest are dropped and reported as missed. */
  readonly bufferSize?: number;
}

/** Commits published after `after`, up to and including `through`, that the watcher did not see one by one. */
export interface MissedVersions {
  readonly after: number;
  /** Undefined when the record was deleted while the watcher was disconnected: what came before is unknown. */
  readonly through: number | undefined;
}

export interface RedisChange<T> {
  readonly version: number;
  /** The record at `version` (a private copy); undefined when the change is a deletion. */
  readonly record: T | undefined;
  /** Fields the commit that published `version` wrote. */
  readonly fields: readonly string[];
  readonly deleted: boolean;
  /** Set when versions between the previous change and this one were not delivered; the record is current anyway. */
  readonly missed: MissedVersions | undefined;
}

const DONE: IteratorReturnResult<void> = Object.freeze({ value: undefined, done: true });
const DEFAULT_BUFFER = 1024;

/** True when `version` comes after `since` (modular, as record versions wrap at 2^32). */
function newer(version: number, since: number): boolean {
  const age = (version - since) >>> 0;
  return age !== 0 && age < 2 ** 31;
}

/** One subscriber connection per table, shared by its watchers, opened on first use. */
export class ChangeFeed<T extends object> {
  private readonly table: RedisTable<T>;
  private readonly commands: RecordCommands;
  private connection: Promise<FeedConnection> | undefined;
  private readonly channels = new Map<string, Set<(message: Buffer) => void>>();
  private readonly dispatchers = new Map<string, (message: Buffer) => void>();
  private readonly watchers = new Set<ChangeIterator<T>>();

  constructor(table: RedisTable<T>, commands: RecordCommands) {
    this.table = table;
    this.commands = commands;
  }

  watch(id: RecordId, key: string, options: RedisWatchOptions): ChangeIterator<T> {
    const struct = this.table.layout.name;
    checkOptionsObject(struct, options);
    checkSignal(struct, options.signal);
    const { since, bufferSize = DEFAULT_BUFFER } = options;
    if (since !== undefined && !(Number.isInteger(since) && since >= 0 && since <= 0xffffffff)) throw invalidOption(struct, 'since', 'a u32 version', since);
    if (!(Number.isInteger(bufferSize) && bufferSize >= 1)) throw invalidOption(struct, 'bufferSize', 'a positive integer', bufferSize);
    return new ChangeIterator(this, this.table, id, key, since, bufferSize, options.signal);
  }

  /** @internal */
  async subscribe(watcher: ChangeIterator<T>, key: string, listener: (message: Buffer) => void): Promise<void> {
    this.connection ??= this.commands.subscriber().then((connection) => {
      connection.onReconnect(() => {
        for (const w of this.watchers) w.resync();
      });
      return connection;
    });
    const connection = await this.connection;
    this.watchers.add(watcher);
    let listeners = this.channels.get(key);
    if (listeners === undefined) {
      listeners = new Set();
      this.channels.set(key, listeners);
      const all = listeners;
      const dispatch = (message: Buffer): void => {
        for (const l of all) l(message);
      };
      this.dispatchers.set(key, dispatch);
      await connection.subscribe(key, dispatch);
    }
    listeners.add(listener);
  }

  /** @internal */
  async unsubscribe(watcher: ChangeIterator<T>, key: string, listener: (message: Buffer) => void): Promise<void> {
    this.watchers.delete(watcher);
    const listeners = this.channels.get(key);
    if (listeners === undefined || !listeners.delete(listener) || listeners.size > 0) return;
    this.channels.delete(key);
    const dispatch = this.dispatchers.get(key)!;
    this.dispatchers.delete(key);
    const connection = await this.connection;
    if (connection !== undefined) await connection.unsubscribe(key, dispatch).catch(() => {});
  }

  async close(): Promise<void> {
    const pending = this.connection;
    this.connection = undefined;
    for (const watcher of [...this.watchers]) await watcher.return();
    if (pending !== undefined) await (await pending).close();
  }
}

/** The iterator behind table.watch(): return() ends a next() still waiting, as core's does. */
/** What table.watch() returns: an async generator of changes, and subscribed(). */
export interface RedisWatch<T> extends AsyncGenerator<RedisChange<T>, void, undefined> {
  subscribed(): Promise<number>;
}

export class ChangeIterator<T extends object> implements RedisWatch<T> {
  private readonly feed: ChangeFeed<T>;
  private readonly table: RedisTable<T>;
  private readonly id: RecordId;
  private readonly key: string;
  private readonly bufferSize: number;
  private readonly signal: AbortSignal | undefined;
  private readonly queue: Buffer[] = [];
  private readonly listener = (message: Buffer): void => {
    if (this.queue.length >= this.bufferSize) this.queue.shift(); // reported as missed by the next message
    this.queue.push(message);
    this.wake();
  };
  private readonly onAbort = (): void => void this.return();
  private started: Promise<void> | undefined;
  private requested: number | undefined;
  private since = 0;
  private generation = 0;
  private mustResync = false;
  private done = false;
  private waiting: (() => void) | undefined;
  private pending: Promise<IteratorResult<RedisChange<T>, void>> | undefined;

  /** @internal Use table.watch(). */
  constructor(feed: ChangeFeed<T>, table: RedisTable<T>, id: RecordId, key: string, since: number | undefined, bufferSize: number, signal: AbortSignal | undefined) {
    this.feed = feed;
    this.table = table;
    this.id = id;
    this.key = key;
    this.requested = since;
    this.bufferSize = bufferSize;
    this.signal = signal;
  }

  next(): Promise<IteratorResult<RedisChange<T>, void>> {
    const previous = this.pending;
    const step = previous === undefined ? this.step() : previous.then(() => this.step(), () => this.step());
    this.pending = step;
    return step;
  }

  async return(): Promise<IteratorResult<RedisChange<T>, void>> {
    if (!this.done) {
      this.done = true;
      this.signal?.removeEventListener('abort', this.onAbort);
      this.wake();
      if (this.started !== undefined) {
        await this.started.catch(() => {});
        await this.feed.unsubscribe(this, this.key, this.listener);
      }
    }
    return DONE;
  }

  async throw(error: unknown): Promise<IteratorResult<RedisChange<T>, void>> {
    await this.return();
    throw error;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  /**
   * Subscribes now (a watch otherwise subscribes on its first next()) and resolves with the version
   * it reports changes after: every commit after that version is delivered or reported as missed.
   */
  async subscribed(): Promise<number> {
    this.started ??= this.start();
    await this.started;
    return this.since;
  }

  /** @internal The connection came back: messages may have been lost, re-read the record. */
  resync(): void {
    this.mustResync = true;
    this.wake();
  }

  private wake(): void {
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.();
  }

  /** Subscribes first, then reads the version to start from, so no commit falls in between. */
  private async start(): Promise<void> {
    if (this.signal !== undefined) {
      if (this.signal.aborted) return void (await this.return());
      this.signal.addEventListener('abort', this.onAbort, { once: true });
    }
    await this.feed.subscribe(this, this.key, this.listener);
    const value = await this.table.fetch(this.key);
    const header = value === null ? { version: 0, generation: 0 } : this.table.decode(this.key, value, this.table.privateCopy().words);
    this.generation = header.generation;
    this.since = this.requested ?? header.version;
    // Asked to start from another version than the current one: the first change is a re-read.
    if (this.requested !== undefined && this.requested !== header.version) this.mustResync = true;
  }

  private async step(): Promise<IteratorResult<RedisChange<T>, void>> {
    if (this.done) return DONE;
    try {
      this.started ??= this.start();
      await this.started;
      for (;;) {
        if (this.done) return DONE;
        if (this.mustResync) {
          this.mustResync = false;
          const change = await this.reread();
          if (change !== undefined) return { value: change, done: false };
          continue;
        }
        const message = this.queue.shift();
        if (message !== undefined) {
          const change = this.accept(message);
          if (change !== undefined) return { value: change, done: false };
          continue;
        }
        await new Promise<void>((resolve) => (this.waiting = resolve));
      }
    } catch (error) {
      await this.return();
      throw error;
    }
  }

  /** The change a feed message announces, or undefined when it is one this watcher already covered. */
  private accept(message: Buffer): RedisChange<T> | undefined {
    const previous = message.readUInt32LE(0);
    const value = message.subarray(4);
    if (value.length === 0) {
      // A deletion: `previous` is the version the record had.
      if (this.generation === 0) return undefined;
      const missed = previous !== this.since ? { after: this.since, through: previous } : undefined;
      this.since = 0;
      this.generation = 0;
      return { version: previous, record: undefined, fields: [], deleted: true, missed };
    }
    return this.changeFrom(value, previous);
  }

  /** After a reconnection (or a `since` in the past): the record as it is now, and what was not seen. */
  private async reread(): Promise<RedisChange<T> | undefined> {
    const value = await this.table.fetch(this.key);
    if (value === null) {
      if (this.generation === 0) return undefined;
      // Deleted while this watcher was away: the commits after `since`, if any, are unknown.
      const missed = { after: this.since, through: undefined };
      const version = this.since;
      this.since = 0;
      this.generation = 0;
      return { version, record: undefined, fields: [], deleted: true, missed };
    }
    return this.changeFrom(value, undefined);
  }

  /** A change for a record value; `previous` is the version its commit started from, when known. */
  private changeFrom(value: Buffer, previous: number | undefined): RedisChange<T> | undefined {
    const copy = this.table.privateCopy();
    const { version, generation } = this.table.decode(this.key, value, copy.words);
    const recreated = generation !== this.generation;
    if (!recreated && !newer(version, this.since)) return undefined;
    const before = previous ?? (version - 2) >>> 0;
    const missed = recreated ? (this.generation === 0 && before === 0 ? undefined : { after: this.since, through: before }) : before !== this.since ? { after: this.since, through: before } : undefined;
    this.since = version;
    this.generation = generation;
    const dirty = new Int32Array(this.table.format.geometry.dirtyWords);
    const { dirtyBytes } = this.table.format;
    new Uint8Array(dirty.buffer).set(value.subarray(DIRTY_AT, DIRTY_AT + dirtyBytes));
    return { version, record: copy.view, fields: fieldNames(this.table.layout, dirty), deleted: false, missed };
  }
}


