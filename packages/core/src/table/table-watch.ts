// Change notification on shared records: waiting for a record's version to move (waitForChange)
// and the iterator behind watch(), built on Atomics.waitAsync (nothing polls).
import { describeValue, MemoryError, StructSyncError, ValueError } from '../errors.js';
import type { RecordStore } from './record-store.js';
import { isWriting, publicVersion } from './record-version.js';
import { RECORD_WAITERS } from './table-header.js';
import { checkOptionsObject, invalidOption } from './table-options.js';
import { readOptions } from '../options.js';
import { secondsSince } from '../event-channels.js';
import { publishWait, waitObserved } from './table-events.js';

type WaitAsyncResult = { async: false; value: 'not-equal' | 'timed-out' } | { async: true; value: Promise<'ok' | 'timed-out'> };
type WaitAsync = (array: Int32Array, index: number, value: number, timeout?: number) => WaitAsyncResult;

// ES2024; Node 20 has it but this project's TypeScript lib (es2023) does not declare it.
const waitAsync = (Atomics as unknown as { waitAsync?: WaitAsync }).waitAsync;
// Milliseconds the keep-alive timer of a bounded wait outlasts the wait's own timeout.
const KEEP_ALIVE_MARGIN = 5;
// Node's longest timer: a longer delay warns (TimeoutOverflowWarning) and fires after 1 ms. A
// timer cut to this fires early, and its notify only makes the wait loop go round once more.
const MAX_TIMER_DELAY = 2 ** 31 - 1;

export interface WaitOptions {
  /** Milliseconds to wait before rejecting with TIMEOUT (default: no limit). */
  readonly timeout?: number;
  /** Stops waiting: the promise rejects with the signal's reason. */
  readonly signal?: AbortSignal;
}

/** A signal option must be an AbortSignal: anything else would fail later with a TypeError. */
export function checkSignal(struct: string, signal: unknown): void {
  if (signal !== undefined && !(signal instanceof AbortSignal)) throw invalidOption(struct, 'signal', 'an AbortSignal', signal);
}

/**
 * Resolves with record `index`'s version (u32) as soon as it is even and differs from
 * `sinceVersion`. A version that stays odd for longer than the table's commit timeout (a writer
 * that died mid-commit) rejects with COMMIT_TIMEOUT. A bounded wait (a finite `timeout`, or a
 * record stuck odd) keeps the process alive until it settles; an unbounded one does not.
 */
export function waitForChange(store: RecordStore, index: number, sinceVersion: number, options: WaitOptions = {}): Promise<number> {
  const waiting = awaitChange(store, index, sinceVersion, options);
  return waitObserved() ? observed(store, index, sinceVersion, waiting) : waiting;
}

/** Publishes the wait's wake-up on `structsync:wait` (a refused call is not a wait, and is not published). */
function observed(store: RecordStore, index: number, since: number, waiting: Promise<number>): Promise<number> {
  const started = performance.now();
  return waiting.then(
    (version) => {
      publishWait(store, index, 'change', since, version, 'changed', secondsSince(started));
      return version;
    },
    (error: unknown) => {
      const code = error instanceof StructSyncError ? error.code : undefined;
      const outcome = code === 'TIMEOUT' || code === 'COMMIT_TIMEOUT' ? 'timeout' : isAbort(error) ? 'aborted' : undefined;
      if (outcome !== undefined) publishWait(store, index, 'change', since, store.version(index), outcome, secondsSince(started));
      throw error;
    },
  );
}

function isAbort(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'AbortError';
}

async function awaitChange(store: RecordStore, index: number, sinceVersion: number, options: WaitOptions): Promise<number> {
  if (waitAsync === undefined) {
    throw new StructSyncError('INVALID_STATE', 'waitForChange needs Atomics.waitAsync (Node.js 16+)', { struct: store.name });
  }
  const { words } = store;
  const base = store.base(index);
  if (!Number.isInteger(sinceVersion) || sinceVersion < 0 || sinceVersion > 0xffffffff) {
    throw new ValueError('INVALID_INPUT', `${store.name} record ${index}: sinceVersion must be a u32 version, got ${describeValue(sinceVersion)}`, {
      struct: store.name,
    });
  }
  const since = sinceVersion | 0;
  checkOptionsObject(store.name, options);
  const { timeout = Infinity, signal } = readOptions(options, ['timeout', 'signal'], 'waitForChange', store.name);
  if (typeof timeout !== 'number' || !(timeout >= 0)) {
    throw invalidOption(store.name, 'timeout', 'a non-negative number of milliseconds (or Infinity)', timeout);
  }
  checkSignal(store.name, signal);
  const deadline = performance.now() + timeout;
  signal?.throwIfAborted();
  // An abort wakes every waiter on the word; the others find no change and sleep again.
  const wake = (): void => void Atomics.notify(words, base);
  signal?.addEventListener('abort', wake, { once: true });
  let stuckValue = 0;
  let stuckSince = Infinity;
  try {
    for (;;) {
      const version = Atomics.load(words, base);
      if (!isWriting(version) && version !== since) return publicVersion(version);
      signal?.throwIfAborted();
      const now = performance.now();
      if (!isWriting(version) || version !== stuckValue) stuckSince = isWriting(version) ? now : Infinity;
      stuckValue = version;
      const stuckDeadline = stuckSince + store.timeout;
      if (now >= stuckDeadline) {
        throw new MemoryError(
          'COMMIT_TIMEOUT',
          `${store.name} record ${index}: version ${publicVersion(version)} (a commit in progress) has not moved for ${store.timeout} ms; ` +
            `if its writer died, call table.recover(${index})`,
          { struct: store.name },
        );
      }
      if (now >= deadline) {
        throw new StructSyncError('TIMEOUT', `${store.name} record ${index}: no commit after version ${publicVersion(since)} within ${timeout} ms`, {
          struct: store.name,
        });
      }
      const remaining = Math.min(deadline, stuckDeadline) - now;
      const finite = Number.isFinite(remaining);
      Atomics.add(words, base + RECORD_WAITERS, 1);
      // A pending Atomics.waitAsync does not keep Node's event loop alive: with nothing else
      // running, the process would exit before a finite wait times out. A ref'd timer holds the
      // loop for as long as the wait is bounded; should it fire first, its notify ends the wait.
      const keepAlive = finite ? setTimeout(wake, Math.min(remaining + KEEP_ALIVE_MARGIN, MAX_TIMER_DELAY)) : undefined;
      try {
        const result = waitAsync(words, base, version, finite ? remaining : undefined);
        if (result.async) await result.value;
      } finally {
        clearTimeout(keepAlive);
        Atomics.sub(words, base + RECORD_WAITERS, 1);
      }
    }
  } finally {
    signal?.removeEventListener('abort', wake);
  }
}

/** What watch() yields; the iterator only needs its version. */
interface VersionedChange {
  readonly version: number;
}

const DONE: IteratorReturnResult<void> = Object.freeze({ value: undefined, done: true });
const ignore = (): void => {};

/**
 * The iterator behind table.watch(). Not an async generator: a generator's return() is queued
 * behind a pending next() until the generator resumes, so a consumer could not stop a watch on a
 * record that does not change. Here return() aborts the pending wait, that next() resolves with
 * done, and return() resolves once the wait has released the record's waiter count.
 */
export class ChangeIterator<C extends VersionedChange> implements AsyncGenerator<C, void, undefined> {
  private readonly store: RecordStore;
  private readonly index: number;
  private readonly signal: AbortSignal | undefined;
  /** Takes the snapshot of a change once the version moved. */
  private readonly take: (index: number) => C;
  /** Aborts the wait in progress: on return(), throw(), or the caller's signal. */
  private readonly stop = new AbortController();
  private readonly onAbort = (): void => this.finish();
  private since: number;
  private done = false;
  private listening = false;
  private pending: Promise<IteratorResult<C, void>> | undefined;

  /** @internal Use table.watch(). `since` is a u32 version. */
  constructor(store: RecordStore, index: number, since: number, signal: AbortSignal | undefined, take: (index: number) => C) {
    this.store = store;
    this.index = index;
    this.since = since;
    this.signal = signal;
    this.take = take;
  }

  next(): Promise<IteratorResult<C, void>> {
    // Served one at a time, in call order, as a generator serves them.
    const previous = this.pending;
    const step = previous === undefined ? this.step() : previous.then(() => this.step(), () => this.step());
    this.pending = step;
    return step;
  }

  async return(): Promise<IteratorResult<C, void>> {
    this.finish();
    await this.pending?.catch(ignore);
    return DONE;
  }

  async throw(error: unknown): Promise<IteratorResult<C, void>> {
    await this.return();
    throw error;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  private async step(): Promise<IteratorResult<C, void>> {
    if (!this.done && this.signal !== undefined && !this.listening) {
      // Listened to from the first next() on, so an iterator never used holds no listener.
      if (this.signal.aborted) this.finish();
      else this.signal.addEventListener('abort', this.onAbort, { once: true });
      this.listening = true;
    }
    if (this.done) return DONE;
    try {
      await waitForChange(this.store, this.index, this.since, { signal: this.stop.signal });
      if (this.done) return DONE;
      const change = this.take(this.index);
      this.since = change.version;
      return { value: change, done: false };
    } catch (error) {
      // A wait aborted by return() or the caller's signal ends the iteration; any other error
      // ends it too, and is thrown, as from a generator.
      const stopped = this.done;
      this.finish();
      if (stopped) return DONE;
      throw error;
    }
  }

  private finish(): void {
    if (this.done) return;
    this.done = true;
    this.signal?.removeEventListener('abort', this.onAbort);
    this.stop.abort();
  }
}
