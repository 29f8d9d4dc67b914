// The shared-memory engine under a table, without views: seqlock snapshots copied word by word,
// the version-word write lock (even → odd → even), bounded waits on a stuck writer, and recovery.
import { threadId } from 'node:worker_threads';
import { MemoryError, StructSyncError, describeError, describeValue } from '../errors.js';
import { changedFields, fieldNames, FieldSet, fieldWordsOf, type FieldWords } from './field-words.js';
import { secondsSince } from '../event-channels.js';
import { publishRecover, publishRetry, publishWait, waitObserved } from './table-events.js';
import { ANCIENT_STAMP, isWriting, nextVersion, publicVersion, STAMP_HORIZON } from './record-version.js';
import {
  RECORD_DIRTY,
  RECORD_GENERATION,
  RECORD_OWNER,
  RECORD_VERSION,
  RECORD_WAITERS,
  type TableGeometry,
} from './table-header.js';

/** Default bound, in milliseconds, on waiting for one commit in flight to finish. */
export const DEFAULT_COMMIT_TIMEOUT = 100;
// A commit holds the odd version for well under a microsecond: spin that long before sleeping.
const SPINS = 200;
const OWNER_ID = threadId + 1;

/** What recover() found and did. */
export interface RecoveryReport {
  /** The stuck (odd) version word that was taken over. */
  readonly stuckVersion: number;
  /** The even version the record was republished at. */
  readonly version: number;
  readonly generation: number;
  /** The writer thread (worker threadId; 0 = main thread) that held the record, if recorded. */
  readonly writerThread: number | undefined;
  /** Fields the dead commit meant to write: their bytes may be torn unless `repair` fixed them. */
  readonly suspectFields: readonly string[];
}

export class RecordStore {
  readonly words: Int32Array;
  readonly geometry: TableGeometry;
  readonly fieldWords: FieldWords;
  readonly name: string;
  /** Milliseconds a reader or writer waits on one odd version before giving up. */
  readonly timeout: number;
  /** A field set holding every field (overwrite commits and recovery). */
  readonly allFields: FieldSet;
  private readonly strideWords: number;
  private readonly recordsWord: number;
  private readonly payloadWord: number;
  /** Retries the last lock() made (waits for another commit, lost CAS); read by the commit event. */
  lockRetries = 0;
  /** A repair callback is running (recover() must not be re-entered from it). */
  private repairing = false;

  constructor(buffer: SharedArrayBuffer, geometry: TableGeometry, timeout: number) {
    this.words = new Int32Array(buffer, 0, geometry.byteLength >> 2);
    this.geometry = geometry;
    this.fieldWords = fieldWordsOf(geometry.layout);
    this.name = geometry.layout.name;
    this.timeout = timeout;
    this.allFields = new FieldSet(geometry.fieldCount);
    for (let f = 0; f < geometry.fieldCount; f++) this.allFields.add(f);
    this.strideWords = geometry.stride >> 2;
    this.recordsWord = geometry.recordsOffset >> 2;
    this.payloadWord = geometry.payloadOffset >> 2;
  }

  /** Word index of record `index`'s header; throws OUT_OF_BOUNDS for a bad index. */
  base(index: number): number {
    if (!(Number.isInteger(index) && index >= 0 && index < this.geometry.capacity)) {
      throw new MemoryError(
        'OUT_OF_BOUNDS',
        `${this.name} table: record ${describeValue(index)} is out of bounds (capacity ${this.geometry.capacity})`,
        { struct: this.name },
      );
    }
    return this.recordsWord + index * this.strideWords;
  }

  /** Word index of a record's payload, given its base. */
  payload(base: number): number {
    return base + this.payloadWord;
  }

  stampIndex(base: number, field: number): number {
    return base + this.geometry.stampWord + field;
  }

  /**
   * Copies record `index`'s payload into `target` (from word `at`) and returns the version it was
   * copied at: the seqlock read.
   *
   * Why a plain copy validated by a read-modify-write. ECMA-262's memory model (§29) orders
   * nothing between plain reads and a later Atomics.load, so the classic seqlock (load version,
   * copy, load version again) is not race-free by the spec. Copying every word with Atomics.load
   * would be, but costs about 10 ns per word on Node 20 (V8 does not inline it), more than toMap
   * for a whole small record. Instead the copy ends with Atomics.compareExchange(version, v, v),
   * a read-modify-write. A writer takes the lock with its own CAS on the same word, and RMWs on
   * one location are totally ordered: either the writer's CAS comes first, and ours reads an odd or
   * newer version and we retry; or ours comes first, then the writer's CAS reads from ours, which
   * makes our copy happen-before every store of that commit (agent-order, then synchronizes-with),
   * so the copy cannot have seen any of them (coherent reads). The first Atomics.load of the
   * version synchronizes with the publish of the commit we copy, so every store of that commit is
   * visible. Hence a validated copy is exactly one published state — i64, f64 and strings
   * included — and payload stores can be plain stores too, since only commits holding the lock
   * write them. The cost: readers write the version word's cache line.
   */
  read(index: number, target: Int32Array, at = 0): number {
    return this.copyStable(index, this.payloadWord, this.geometry.payloadWords, target, at);
  }

  /** Like read(), into two private copies at once (a transaction's snapshot and its working copy). */
  readTwice(index: number, first: Int32Array, second: Int32Array): number {
    const { words } = this;
    const base = this.base(index);
    const from = base + this.payloadWord;
    const count = this.geometry.payloadWords;
    for (;;) {
      const before = Atomics.load(words, base);
      if (isWriting(before)) {
        this.awaitForReader(base, index, before);
        continue;
      }
      for (let w = 0; w < count; w++) first[w] = second[w] = words[from + w]!;
      if (Atomics.compareExchange(words, base, before, before) === before) return before;
    }
  }

  /** The seqlock loop: copies `count` words from `fromWord` of a record once its version held still. */
  private copyStable(index: number, fromWord: number, count: number, target: Int32Array, at: number): number {
    const { words } = this;
    const base = this.base(index);
    const from = base + fromWord;
    for (;;) {
      const before = Atomics.load(words, base);
      if (isWriting(before)) {
        this.awaitForReader(base, index, before);
        continue;
      }
      for (let w = 0; w < count; w++) target[at + w] = words[from + w]!;
      // The validating read-modify-write (see read()): it writes back the value it read.
      if (Atomics.compareExchange(words, base, before, before) === before) return before;
    }
  }

  /** The current version word (int32; may be odd while a commit writes). */
  version(index: number): number {
    return Atomics.load(this.words, this.base(index));
  }

  generation(index: number): number {
    return Atomics.load(this.words, this.base(index) + RECORD_GENERATION) >>> 0;
  }

  /** Copies the dirty bits of the last published commit into `out`; returns that commit's version. */
  readDirty(index: number, out: Int32Array): number {
    return this.copyStable(index, RECORD_DIRTY, out.length, out, 0);
  }

  /**
   * Takes the record's write lock: CAS of its even version to the next odd one, waiting (bounded)
   * while another commit holds it. Returns the even version it locked from. `expected` is a guess
   * of the current version; an odd guess never matches.
   */
  lock(index: number, expected = 0, writing?: FieldSet, policy?: string): number {
    const { words } = this;
    const base = this.base(index);
    // First try the version the caller expects (its snapshot's): one CAS instead of a load and a CAS.
    let current = expected;
    this.lockRetries = 0;
    if (isWriting(expected) || Atomics.compareExchange(words, base, expected, nextVersion(expected, 1)) !== expected) {
      current = this.lockContended(base, index, writing, policy);
    }
    // Plain read and write-if-different: under the lock, the owner word was last written by an
    // earlier lock holder, whose writes happen before ours through the version CAS chain.
    if (words[base + RECORD_OWNER] !== OWNER_ID) Atomics.store(words, base + RECORD_OWNER, OWNER_ID);
    // Waiters asleep on the even version learn that a commit began, and start its timeout: should
    // this writer die now, they fail with COMMIT_TIMEOUT instead of sleeping forever (found in review).
    this.wake(base);
    return current;
  }

  /**
   * lock()'s loop once its first guess missed: load, wait out a commit in flight, CAS. Counts the
   * retries (into lockRetries) and, for the contention profile, publishes each with its wait.
   */
  private lockContended(base: number, index: number, writing: FieldSet | undefined, policy: string | undefined): number {
    const { words } = this;
    let retries = 0;
    for (;;) {
      const current = Atomics.load(words, base);
      if (isWriting(current)) {
        const started = performance.now();
        this.awaitStable(base, index, current);
        publishRetry(this, index, ++retries, 'locked', writing ?? this.allFields, secondsSince(started), policy);
        continue;
      }
      if (Atomics.compareExchange(words, base, current, nextVersion(current, 1)) === current) {
        this.lockRetries = retries;
        return current;
      }
      publishRetry(this, index, ++retries, 'cas', writing ?? this.allFields, 0, policy);
    }
  }

  /** Writes the dirty bits of the commit in progress (before its payload, for recovery). */
  storeDirty(base: number, bits: Int32Array): void {
    const { words } = this;
    for (let w = 0; w < bits.length; w++) {
      // Repeated commits usually write the same fields: skip the (fencing) store when unchanged.
      if (words[base + RECORD_DIRTY + w] !== bits[w]) Atomics.store(words, base + RECORD_DIRTY + w, bits[w]!);
    }
  }

  /** Stamps the fields in `set` with the version the commit will publish. */
  stampFields(base: number, set: FieldSet, version: number): void {
    // Plain stores: stamps are only read by later lock holders, which the version CAS orders after us.
    const first = base + this.geometry.stampWord;
    for (let i = 0; i < set.size; i++) this.words[first + set.list[i]!] = version;
  }

  /**
   * Keeps stamps comparable across the 2^32 wrap: each time the version enters a new quarter of
   * the u32 range, stamps more than 2^30 versions old become ANCIENT_STAMP. Stamps are then never
   * more than 2^31 behind, so modular comparison (writtenSince) cannot mistake an old stamp for
   * a new one. Runs under the write lock, once per 2^29 commits.
   */
  ageStamps(base: number, from: number, to: number): void {
    if (from >>> 30 === to >>> 30) return;
    const first = base + this.geometry.stampWord;
    for (let f = 0; f < this.fieldWords.count; f++) {
      const stamp = Atomics.load(this.words, first + f);
      if ((stamp & 1) === 0 && (to - stamp) >>> 0 > STAMP_HORIZON) Atomics.store(this.words, first + f, ANCIENT_STAMP);
    }
  }

  /** Marks every field of every record as never written (a new table). */
  initializeStamps(): void {
    for (let index = 0; index < this.geometry.capacity; index++) {
      const first = this.base(index) + this.geometry.stampWord;
      this.words.fill(ANCIENT_STAMP, first, first + this.fieldWords.count);
    }
  }

  /**
   * Ends a commit: lockedFrom + 1 (odd) → lockedFrom + 2, then wakes waiters if any. A CAS rather
   * than a store, so that a writer whose record was recovered under it learns so instead of
   * publishing over the repair.
   */
  publish(index: number, base: number, lockedFrom: number): number {
    const { words } = this;
    const published = nextVersion(lockedFrom, 2);
    // The owner word is left as is: it only means something while the version is odd.
    if (Atomics.compareExchange(words, base, nextVersion(lockedFrom, 1), published) !== nextVersion(lockedFrom, 1)) {
      throw new StructSyncError(
        'INVALID_STATE',
        `${this.name} record ${index}: the record was recovered while this commit was writing; its write may be partial`,
        { struct: this.name },
      );
    }
    this.wake(base);
    return published;
  }

  /** Gives the lock back without a change (a rejected commit): the version returns to lockedFrom. */
  unlock(base: number, lockedFrom: number): void {
    Atomics.compareExchange(this.words, base, nextVersion(lockedFrom, 1), lockedFrom);
    this.wake(base);
  }

  private wake(base: number): void {
    // Waiters announce themselves before checking the version, so a zero here means nobody can
    // be asleep on the old value (all accesses are sequentially consistent).
    if (Atomics.load(this.words, base + RECORD_WAITERS) !== 0) Atomics.notify(this.words, base + RECORD_VERSION);
  }

  /** awaitStable for a reader, published on `structsync:wait` (kind `lock`) when someone listens. */
  private awaitForReader(base: number, index: number, seen: number): void {
    if (!waitObserved()) return this.awaitStable(base, index, seen);
    const started = performance.now();
    try {
      this.awaitStable(base, index, seen);
    } catch (error) {
      publishWait(this, index, 'lock', seen, Atomics.load(this.words, base), 'timeout', secondsSince(started));
      throw error;
    }
    publishWait(this, index, 'lock', seen, Atomics.load(this.words, base), 'changed', secondsSince(started));
  }

  /**
   * Waits until the version word leaves the odd value `seen`. Gives up with COMMIT_TIMEOUT when one
   * odd value stays for longer than the timeout: its writer has most likely died mid-commit.
   */
  awaitStable(base: number, index: number, seen: number): void {
    const { words } = this;
    for (let spin = 0; spin < SPINS; spin++) if (Atomics.load(words, base) !== seen) return;
    const deadline = performance.now() + this.timeout;
    for (;;) {
      if (Atomics.load(words, base) !== seen) return;
      const remaining = deadline - performance.now();
      if (remaining <= 0) throw this.stuck(index, base, seen);
      Atomics.add(words, base + RECORD_WAITERS, 1);
      try {
        Atomics.wait(words, base, seen, remaining);
      } finally {
        Atomics.sub(words, base + RECORD_WAITERS, 1);
      }
    }
  }

  private stuck(index: number, base: number, version: number): MemoryError {
    const owner = Atomics.load(this.words, base + RECORD_OWNER);
    const writer = owner === 0 ? 'an unknown writer' : owner === 1 ? 'the main thread' : `worker thread ${owner - 1}`;
    return new MemoryError(
      'COMMIT_TIMEOUT',
      `${this.name} record ${index}: a commit by ${writer} has held version ${publicVersion(version)} for more than ` +
        `${this.timeout} ms; if that writer died mid-commit, call table.recover(${index})`,
      { struct: this.name },
    );
  }

  private recoveredUnder(index: number): StructSyncError {
    return new StructSyncError(
      'INVALID_STATE',
      `${this.name} record ${index}: another recover() took the record over while this one was repairing it; call recover() only once per dead writer`,
      { struct: this.name },
    );
  }

  private repairFailed(index: number, stuck: number, error: unknown): StructSyncError {
    if (error instanceof StructSyncError) return error;
    return new StructSyncError(
      'INVALID_STATE',
      `${this.name} record ${index}: recover's repair threw (${describeError(error)}); the record is left stuck at version ` +
        `${publicVersion(stuck)} as it was found: call recover(${index}) again`,
      { struct: this.name, cause: error },
    );
  }

  /**
   * Takes over a record whose version is stuck odd (its writer died mid-commit) and republishes it
   * at the next even version with a bumped generation. Returns undefined when the record is not
   * being written. Only call it when the writer is known to be gone: a live writer that is merely
   * slow would find its publish refused, but the bytes it already stored stay. When `repair`
   * throws, the record is left exactly as found and the error rethrown (wrapped as INVALID_STATE
   * unless it is a StructSyncError).
   */
  recover(index: number, repair?: (payload: Int32Array, suspectFields: readonly string[]) => void): RecoveryReport | undefined {
    const { words, geometry } = this;
    const base = this.base(index);
    if (this.repairing) {
      // The outer recovery holds a record odd: this call would take it over and publish, then the
      // outer one would publish a lower version over it.
      throw new StructSyncError('INVALID_STATE', `${this.name} record ${index}: recover() called from inside a repair`, { struct: this.name });
    }
    for (;;) {
      const stuck = Atomics.load(words, base);
      if (!isWriting(stuck)) return undefined;
      // Odd to the next odd: the dead writer's publish CAS (stuck → stuck + 1) can no longer succeed.
      const taken = nextVersion(stuck, 2);
      if (Atomics.compareExchange(words, base, stuck, taken) !== stuck) continue;
      const owner = Atomics.load(words, base + RECORD_OWNER);
      Atomics.store(words, base + RECORD_OWNER, OWNER_ID);
      const dirty = new Int32Array(geometry.dirtyWords);
      for (let w = 0; w < dirty.length; w++) dirty[w] = Atomics.load(words, base + RECORD_DIRTY + w);
      // The fields the recovery counts as written: the suspect ones, plus any the repair changed.
      const written = new FieldSet(geometry.fieldCount);
      written.setBits(dirty, geometry.fieldCount);
      const suspectFields = fieldNames(geometry.layout, dirty);
      const republished = nextVersion(taken, 1);
      if (repair !== undefined) {
        const payload = new Int32Array(geometry.payloadWords);
        const from = base + this.payloadWord;
        for (let w = 0; w < payload.length; w++) payload[w] = Atomics.load(words, from + w);
        const found = payload.slice();
        this.repairing = true;
        try {
          repair(payload, suspectFields);
        } catch (error) {
          // Nothing was written yet but the version and owner words: put them back, so the record
          // is exactly as found (still stuck) and another recover() can take it over.
          Atomics.store(words, base + RECORD_OWNER, owner);
          Atomics.compareExchange(words, base, taken, stuck);
          this.wake(base);
          throw this.repairFailed(index, stuck, error);
        } finally {
          this.repairing = false;
        }
        if (Atomics.load(words, base) !== taken) throw this.recoveredUnder(index);
        for (let w = 0; w < payload.length; w++) Atomics.store(words, from + w, payload[w]!);
        const repaired = new FieldSet(geometry.fieldCount);
        changedFields(this.fieldWords, payload, found, repaired);
        for (let i = 0; i < repaired.size; i++) written.add(repaired.list[i]!);
      }
      // Every suspect or repaired field counts as written by the recovery: transactions that began
      // before it and write one of them conflict instead of silently building on torn bytes or
      // overwriting the repair; lastCommit() and watch() report them as the recovery's fields.
      this.storeDirty(base, written.bits);
      this.stampFields(base, written, republished);
      this.ageStamps(base, stuck, republished);
      const generation = (Atomics.add(words, base + RECORD_GENERATION, 1) + 1) >>> 0;
      // A CAS, not a store: a recovery by another thread meanwhile must not see its version go back.
      if (Atomics.compareExchange(words, base, taken, republished) !== taken) throw this.recoveredUnder(index);
      this.wake(base);
      const report: RecoveryReport = Object.freeze({
        stuckVersion: publicVersion(stuck),
        version: publicVersion(republished),
        generation,
        writerThread: owner === 0 ? undefined : owner - 1,
        suspectFields: Object.freeze(suspectFields),
      });
      publishRecover({ struct: this.name, record: index, ...report });
      return report;
    }
  }
}
