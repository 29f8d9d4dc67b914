// Shared tables: fixed-capacity arrays of records in one SharedArrayBuffer that worker threads
// read as untorn snapshots and change through optimistic, field-level conflict-checked commits.
import { ConflictError, MemoryError, ValueError, describeValue } from '../errors.js';
import { fieldNames } from './field-words.js';
import { bufferByteLength, isSharedArrayBuffer } from '../intrinsics.js';
import { layoutOf, type StructLayout } from '../layout/layout.js';
import { DEFAULT_COMMIT_TIMEOUT, RecordStore, type RecoveryReport } from './record-store.js';
import { publicVersion } from './record-version.js';
import { MAX_TABLE_BYTES, readTableHeader, tableGeometry, writeTableHeader } from './table-header.js';
import { ChangeIterator, checkSignal, waitForChange, type WaitOptions } from './table-watch.js';
import { checkOptionsObject, conflictPolicy, invalidOption, type CommitOptions } from './table-options.js';
import { readOptions, unreadableOptions } from '../options.js';
import { Transaction } from './transaction.js';
import { commitObserved, publishRetry } from './table-events.js';
import { secondsSince } from '../event-channels.js';
import type { StructClass } from '../layout/types.js';
import { viewMemory } from '../view/view-state.js';
import { PrivateCopies } from './private-copies.js';
import { view } from '../view/view.js';

export interface AttachTableOptions {
  /**
   * Milliseconds a reader or writer waits on one commit in flight (an odd version) before failing
   * with COMMIT_TIMEOUT. Default 100: a commit takes well under a microsecond, so a version that
   * stays odd that long belongs to a writer that died mid-commit (see recover).
   */
  readonly timeout?: number;
  /** Use generated accessor classes for snapshot views (default true). */
  readonly codegen?: boolean;
}

export interface TableOptions extends AttachTableOptions {
  /** Number of records; fixed for the table's life. */
  readonly capacity: number;
}

export interface UpdateOptions extends CommitOptions {
  /** Commits retried after a ConflictError before it is rethrown (default 100). */
  readonly maxRetries?: number;
}

export interface WatchOptions {
  /** Version to report changes after (default: the version when watching starts). */
  readonly since?: number;
  /** Ends the iteration. */
  readonly signal?: AbortSignal;
}

/** One change seen by watch(): a snapshot at `version` and the fields its last commit wrote. */
export interface TableChange<T> {
  readonly version: number;
  readonly record: T;
  /** Fields written by the commit that published `version`; commits in between may be coalesced. */
  readonly fields: readonly string[];
}

/** A snapshot together with the version it was taken at. */
export interface Snapshot<T> {
  readonly version: number;
  readonly record: T;
}

export interface RecoverOptions<T> {
  /**
   * Called with a private copy of the record and the fields the dead commit was writing, which
   * may hold torn bytes. What it leaves in the copy is published. Without it the bytes stay as
   * the dead writer left them. If it throws, nothing is published: the record is left stuck as it
   * was found, ready for another recover(), and the error is rethrown (a StructSyncError as is,
   * anything else wrapped as INVALID_STATE with it as the cause).
   */
  readonly repair?: (record: T, suspectFields: readonly string[]) => void;
}

export type { RecoveryReport };

const DEFAULT_MAX_RETRIES = 100;
// The buffers of the tables made or attached in this thread: read(i, into) must not write there.
const tableBuffers = new WeakSet<ArrayBufferLike>();
const NO_OPTIONS: UpdateOptions = Object.freeze({});

export class Table<T extends object> {
  readonly type: StructClass<T>;
  readonly layout: StructLayout;
  /** Post this to workers and attach there with attachTable(type, buffer). */
  readonly buffer: SharedArrayBuffer;
  readonly capacity: number;
  readonly fingerprint: string;
  private readonly store: RecordStore;
  private readonly codegen: boolean;
  /** A payload copy for reads into foreign memory, made on first use: set-up allocates nothing record-sized. */
  private scratch: Int32Array | undefined;
  /** The record's bytes in `scratch`: exactly layout.size, what a copy into foreign memory writes. */
  private scratchRecord: Uint8Array | undefined;
  private readonly dirty: Int32Array;
  private readonly copies: PrivateCopies<T>;
  private updating: Transaction<T> | undefined;
  private updateBusy = false;

  /** @internal Use createTable or attachTable. */
  constructor(type: StructClass<T>, buffer: SharedArrayBuffer, store: RecordStore, codegen: boolean) {
    this.type = type;
    this.layout = store.geometry.layout;
    this.buffer = buffer;
    this.capacity = store.geometry.capacity;
    this.fingerprint = store.geometry.fingerprint;
    this.store = store;
    this.codegen = codegen;
    this.dirty = new Int32Array(store.geometry.dirtyWords);
    this.copies = new PrivateCopies(type, this.layout, store.geometry.payloadWords, codegen);
    tableBuffers.add(buffer);
  }

  /**
   * A consistent snapshot of record `index` (never torn, even for 64-bit, float and string
   * fields): a view over a private copy. With `into` (a view returned by an earlier read, or any
   * view of this struct), the copy goes there and `into` is returned; a read into an earlier
   * read's view allocates nothing.
   */
  read(index: number, into?: T): T {
    if (into === undefined) {
      const { copies } = this;
      const record = copies.allocate();
      this.store.read(index, copies.words, copies.at);
      return record;
    }
    this.readInto(index, into);
    return into;
  }

  /** Like read(), with the version the snapshot was taken at. */
  snapshot(index: number, into?: T): Snapshot<T> {
    if (into === undefined) {
      const { copies } = this;
      const record = copies.allocate();
      return { version: publicVersion(this.store.read(index, copies.words, copies.at)), record };
    }
    return { version: this.readInto(index, into), record: into };
  }

  /** Record `index`'s version word right now (u32; odd while a commit is writing). */
  version(index: number): number {
    return publicVersion(this.store.version(index));
  }

  /** How many times record `index` went through recover(). */
  generation(index: number): number {
    return this.store.generation(index);
  }

  /** The version of the last commit on record `index` and the fields it wrote. */
  lastCommit(index: number): { readonly version: number; readonly fields: readonly string[] } {
    const version = this.store.readDirty(index, this.dirty);
    return { version: publicVersion(version), fields: this.fieldNames(this.dirty) };
  }

  /** Starts an optimistic transaction on record `index` from a fresh snapshot. */
  begin(index: number): Transaction<T> {
    const transaction = this.newTransaction(index);
    transaction.reset(index);
    return transaction;
  }

  /**
   * Runs `change` on a snapshot of record `index` and commits it, taking a new snapshot and
   * running `change` again after each ConflictError (up to maxRetries). Returns the new version.
   * `change` must be synchronous and may run several times; the view it gets is reused by the
   * next update, so do not keep it. A change that returns a promise (an async function) commits
   * nothing and throws INVALID_INPUT.
   */
  update(index: number, change: (record: T) => void, options: UpdateOptions = NO_OPTIONS): number {
    const name = this.layout.name;
    if (typeof change !== 'function') {
      throw new ValueError('INVALID_INPUT', `${name} table: update's change must be a function, got ${describeValue(change)}`, { struct: name });
    }
    // Checked before `change` runs: conflictPolicy also refuses a null or non-object `options`.
    const policy = conflictPolicy(name, options);
    let maxRetries: number;
    try {
      maxRetries = options.maxRetries ?? DEFAULT_MAX_RETRIES;
    } catch (error) {
      throw unreadableOptions('update', error, name);
    }
    if (!(Number.isInteger(maxRetries) || maxRetries === Infinity) || maxRetries < 0) {
      throw invalidOption(name, 'maxRetries', 'a non-negative integer (or Infinity)', maxRetries);
    }
    // One transaction is reused across updates; a nested update (from inside `change`) gets its own.
    const reuse = !this.updateBusy;
    const transaction = reuse ? (this.updating ??= this.newTransaction(index)) : this.newTransaction(index);
    if (reuse) this.updateBusy = true;
    const observed = commitObserved();
    let attemptStart = observed ? performance.now() : 0;
    transaction.observedSince = observed ? attemptStart : undefined;
    try {
      for (let attempt = 0; ; attempt++) {
        transaction.reset(index);
        transaction.reruns = attempt;
        const result: unknown = change(transaction.view);
        if (result !== undefined && isThenable(result)) throw this.asyncChange(result);
        try {
          return transaction.commitWith(policy);
        } catch (error) {
          if (!(error instanceof ConflictError) || attempt >= maxRetries) throw error;
          if (observed) {
            publishRetry(this.store, index, attempt + 1, 'conflict', error.fields, secondsSince(attemptStart), policy);
            attemptStart = performance.now();
          }
        }
      }
    } finally {
      transaction.observedSince = undefined;
      transaction.reruns = 0;
      if (reuse) this.updateBusy = false;
    }
  }

  /**
   * Resolves with the record's new version once it differs from `sinceVersion` (Atomics.waitAsync,
   * no polling). A wait with a finite `timeout` keeps the process alive until it settles; one
   * without a timeout does not, like an unref'd timer.
   */
  waitForChange(index: number, sinceVersion: number, options?: WaitOptions): Promise<number> {
    return waitForChange(this.store, index, sinceVersion, options);
  }

  /**
   * Yields a snapshot each time record `index` changes. Changes that land while the consumer is
   * busy are coalesced into the next snapshot. Ends when `signal` aborts or when the iterator's
   * return() is called (a `break` out of for await), which also ends a next() still waiting.
   */
  watch(index: number, options: WatchOptions = {}): AsyncGenerator<TableChange<T>, void, undefined> {
    const name = this.layout.name;
    checkOptionsObject(name, options);
    const { signal, since: from } = readOptions(options, ['signal', 'since'], 'watch', name);
    checkSignal(name, signal);
    if (from !== undefined && !isVersion(from)) throw invalidOption(name, 'since', 'a u32 version', from);
    // Kept as the u32 users see: waitForChange takes a public version, and the int32 word is
    // negative past 2^31. An odd version (a commit in progress) reports that commit once published.
    this.store.base(index); // the index is checked now, even with `since`, not at the first next()
    const since = from ?? publicVersion(this.store.version(index));
    return new ChangeIterator(this.store, index, since, signal, (at) => this.change(at));
  }

  /**
   * Recovers record `index` after its writer died mid-commit (its version stays odd and others
   * fail with COMMIT_TIMEOUT): takes the record over, lets `repair` fix the fields the dead commit
   * was writing, and publishes the next even version with the generation bumped. Transactions
   * that began earlier and write a suspect field, or one the repair changed, conflict. Returns
   * undefined when no commit is in progress. Call it only once the writer is known gone (e.g. its
   * worker's 'exit' event), and once: a recovery taken over by another recover() while repairing
   * throws INVALID_STATE instead of publishing over it, as does recover() called from a repair.
   */
  recover(index: number, options: RecoverOptions<T> = {}): RecoveryReport | undefined {
    checkOptionsObject(this.layout.name, options);
    const { repair } = readOptions(options, ['repair'], 'recover', this.layout.name);
    if (repair !== undefined && typeof repair !== 'function') throw invalidOption(this.layout.name, 'repair', 'a function', repair);
    if (repair === undefined) return this.store.recover(index);
    return this.store.recover(index, (payload, suspectFields) => {
      repair(view(this.type, payload.buffer, 0, { codegen: this.codegen }), suspectFields);
    });
  }

  /** @internal The engine under this table (bind uses it). */
  get records(): RecordStore {
    return this.store;
  }

  /** @internal A fresh private payload copy and a view over it. */
  privateCopy(): { words: Int32Array; view: T } {
    const { copies } = this;
    const record = copies.allocate();
    return { words: copies.words.subarray(copies.at, copies.at + this.store.geometry.payloadWords), view: record };
  }

  /** @internal A transaction with its own private copy, not yet started. */
  newTransaction(index: number): Transaction<T> {
    const copy = this.privateCopy();
    return new Transaction(this.store, index, copy.view, copy.words);
  }

  private readInto(index: number, into: T): number {
    const memory = viewMemory(into);
    if (memory.layout !== this.layout) {
      throw new ValueError('INVALID_INPUT', `${this.layout.name} table: read into a ${memory.layout.name} view`, { struct: this.layout.name });
    }
    const { copies } = this;
    if (copies.find(memory)) return publicVersion(this.store.read(index, copies.words, copies.at));
    if (tableBuffers.has(memory.bytes.buffer)) {
      // Plain stores into a table's records would bypass the version lock: readers could take
      // torn snapshots and no commit or conflict check would ever see the change.
      throw new ValueError('INVALID_INPUT', `${this.layout.name} table: read into a view over a table's shared buffer; use update() or begin() to write a record`, {
        struct: this.layout.name,
      });
    }
    // Any other memory (a caller's buffer, a view nested in another struct's copy) gets exactly
    // the record's bytes: the padding of its last word may be someone else's.
    this.scratch ??= new Int32Array(this.store.geometry.payloadWords);
    this.scratchRecord ??= new Uint8Array(this.scratch.buffer, 0, this.layout.size);
    const version = this.store.read(index, this.scratch);
    memory.bytes.set(this.scratchRecord, memory.offset);
    return publicVersion(version);
  }

  /**
   * The error for a change that returned a promise (an async function): what it does after its
   * first await would land after the commit, in a view the next update reuses, so nothing is
   * committed. The promise is marked handled: the misuse is reported here, not as a rejection.
   */
  private asyncChange(result: PromiseLike<unknown>): ValueError {
    try {
      result.then(undefined, ignoreRejection);
    } catch {
      // A thenable whose then() throws: nothing to mark.
    }
    const name = this.layout.name;
    return new ValueError(
      'INVALID_INPUT',
      `${name} table: update's change returned a promise; it must be synchronous (it may run several times), and nothing was committed`,
      { struct: name },
    );
  }

  /** A snapshot of record `index` together with the fields of the commit that published it. */
  private change(index: number): TableChange<T> {
    const { copies } = this;
    const record = copies.allocate();
    let version: number;
    do {
      version = this.store.readDirty(index, this.dirty);
    } while (this.store.read(index, copies.words, copies.at) !== version);
    return { version: publicVersion(version), record, fields: this.fieldNames(this.dirty) };
  }

  private fieldNames(bits: Int32Array): string[] {
    return fieldNames(this.layout, bits);
  }
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (typeof value === 'object' || typeof value === 'function') && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

function ignoreRejection(): void {}

function isVersion(value: unknown): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 0xffffffff;
}

/** Checks the options createTable and attachTable share; returns the commit timeout and codegen flag. */
function checkAttachOptions(name: string, options: AttachTableOptions, operation: string): { timeout: number; codegen: boolean } {
  const { timeout = DEFAULT_COMMIT_TIMEOUT, codegen = true } = readOptions(options, ['timeout', 'codegen'], operation, name);
  if (typeof timeout !== 'number' || !(timeout >= 0) || !Number.isFinite(timeout)) {
    throw invalidOption(name, 'timeout', 'a non-negative number of milliseconds', timeout);
  }
  if (typeof codegen !== 'boolean') throw invalidOption(name, 'codegen', 'true or false', codegen);
  return { timeout, codegen };
}

/** Creates a table of `capacity` zeroed records (version 0) in a new SharedArrayBuffer. */
export function createTable<T extends object>(type: StructClass<T>, options: TableOptions): Table<T> {
  const layout = layoutOf(type);
  if (typeof options !== 'object' || options === null) throw invalidOption(layout.name, 'options', 'an object like { capacity: 1024 }', options);
  const capacity: unknown = readOptions(options, ['capacity'], 'createTable', layout.name).capacity;
  if (typeof capacity !== 'number' || !Number.isSafeInteger(capacity) || capacity < 1) {
    throw invalidOption(layout.name, 'capacity', 'a positive integer', capacity);
  }
  const { timeout, codegen } = checkAttachOptions(layout.name, options, 'createTable');
  const geometry = tableGeometry(layout, capacity);
  if (geometry.byteLength > MAX_TABLE_BYTES) {
    throw new MemoryError('OUT_OF_BOUNDS', `${layout.name} table: ${capacity} records need ${geometry.byteLength} bytes, more than ${MAX_TABLE_BYTES} (2 GiB - 1)`, {
      struct: layout.name,
    });
  }
  const buffer = new SharedArrayBuffer(geometry.byteLength);
  writeTableHeader(new Int32Array(buffer, 0, 16), geometry);
  const store = new RecordStore(buffer, geometry, timeout);
  store.initializeStamps();
  return new Table(type, buffer, store, codegen);
}

/**
 * Opens a table created elsewhere (typically `table.buffer` posted to a worker). Checks the magic
 * number, the layout fingerprint (LayoutMismatchError) and the geometry recorded in the header.
 */
export function attachTable<T extends object>(type: StructClass<T>, buffer: SharedArrayBuffer, options: AttachTableOptions = {}): Table<T> {
  const layout = layoutOf(type);
  if (!isSharedArrayBuffer(buffer)) {
    const got = bufferByteLength(buffer) >= 0 ? 'an ArrayBuffer (a copy: workers do not share it)' : describeValue(buffer);
    throw new MemoryError('NOT_SHARED', `${layout.name} table: attachTable needs the table's SharedArrayBuffer, got ${got}`, {
      struct: layout.name,
    });
  }
  checkOptionsObject(layout.name, options);
  const { timeout, codegen } = checkAttachOptions(layout.name, options, 'attachTable');
  const geometry = readTableHeader(buffer, layout);
  return new Table(type, buffer, new RecordStore(buffer, geometry, timeout), codegen);
}
