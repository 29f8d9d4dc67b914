// An optimistic transaction on one shared record: a private copy to edit through a view, and a
// commit that locks the version word, checks per-field write stamps against the snapshot's
// version, writes only the changed fields' bytes, and publishes the next even version.
import { ConflictError, StructSyncError } from '../errors.js';
import { changedFields, fieldNames, FieldSet, storeFields } from './field-words.js';
import type { RecordStore } from './record-store.js';
import { nextVersion, publicVersion, writtenSince } from './record-version.js';
import { secondsSince } from '../event-channels.js';
import { commitObserved, publishCommit, publishConflict } from './table-events.js';
import { conflictPolicy, type CommitOptions, type ConflictPolicy } from './table-options.js';

export type TransactionState = 'open' | 'committed' | 'conflicted';

export class Transaction<T extends object> {
  /** The record being edited: a view over this transaction's private copy. */
  readonly view: T;
  readonly index: number;
  private readonly store: RecordStore;
  private readonly snapshot: Int32Array;
  private readonly work: Int32Array;
  private readonly changed: FieldSet;
  private readonly all: FieldSet;
  private start = 0;
  private lockedFrom = 0;
  private published = 0;
  private current: TransactionState = 'open';
  /** @internal Set by update(): when it started (if observed) and how often it re-ran after a conflict. */
  observedSince: number | undefined = undefined;
  /** @internal See observedSince. */
  reruns = 0;

  /** @internal Use table.begin(index). */
  constructor(store: RecordStore, index: number, view: T, work: Int32Array) {
    this.store = store;
    this.index = index;
    this.view = view;
    this.work = work;
    this.snapshot = new Int32Array(work.length);
    this.changed = new FieldSet(store.geometry.fieldCount);
    this.all = store.allFields;
  }

  /** @internal Takes a fresh snapshot of record `index` (reused transactions are re-pointed). */
  reset(index: number): void {
    (this as { index: number }).index = index;
    this.start = this.store.readTwice(index, this.snapshot, this.work);
    this.current = 'open';
  }

  /** @internal Starts from a snapshot the caller already holds (bind). */
  resetFrom(index: number, snapshot: Int32Array, version: number): void {
    (this as { index: number }).index = index;
    this.snapshot.set(snapshot);
    this.work.set(snapshot);
    this.start = version | 0;
    this.current = 'open';
  }

  /** The version of the snapshot this transaction started from (u32). */
  get startVersion(): number {
    return publicVersion(this.start);
  }

  /** The version this transaction's commit published, or undefined before a commit. */
  get committedVersion(): number | undefined {
    return this.current === 'committed' ? publicVersion(this.published) : undefined;
  }

  /**
   * True when the commit was published directly over the snapshot's version, so the record now
   * equals this transaction's view; false when other commits came in between (their disjoint
   * fields are in the record but not in the view).
   */
  get publishedOverSnapshot(): boolean {
    return this.current === 'committed' && this.lockedFrom === this.start;
  }

  /** @internal The private payload copy behind `view`. */
  get workWords(): Int32Array {
    return this.work;
  }

  get state(): TransactionState {
    return this.current;
  }

  /** Names of the fields the view now differs in from the snapshot. */
  changedFields(): string[] {
    changedFields(this.store.fieldWords, this.work, this.snapshot, this.changed);
    return this.fieldNames(this.changed);
  }

  /** Publishes the changes; returns the new version (u32). A transaction commits at most once. */
  commit(options?: CommitOptions): number {
    return this.commitWith(conflictPolicy(this.store.name, options));
  }

  /** @internal commit() with the policy already checked (update checks it once, before its retries). */
  commitWith(policy: ConflictPolicy): number {
    if (this.current !== 'open') {
      throw new StructSyncError('INVALID_STATE', `${this.store.name} record ${this.index}: this transaction is already ${this.current}; begin a new one`, {
        struct: this.store.name,
      });
    }
    const { store } = this;
    const count = changedFields(store.fieldWords, this.work, this.snapshot, this.changed);
    if (count === 0 && policy !== 'overwrite') {
      // Nothing to write: the snapshot stays the truth this transaction saw.
      this.lockedFrom = this.start;
      this.published = this.start;
      this.current = 'committed';
      return publicVersion(this.start);
    }
    const base = store.base(this.index);
    // Timed only when someone listens (update() passes its own start, to count its re-runs in).
    const started = this.observedSince ?? (commitObserved() ? performance.now() : undefined);
    const set = policy === 'overwrite' ? this.all : this.changed;
    const lockedFrom = store.lock(this.index, this.start, set, policy);
    if (policy === 'reject' && lockedFrom !== this.start && this.conflicts(base, lockedFrom)) {
      store.unlock(base, lockedFrom);
      this.current = 'conflicted';
      throw this.conflictError(base, lockedFrom);
    }
    const published = nextVersion(lockedFrom, 2);
    // Dirty bits and stamps go first: if this thread dies while storing the payload, recover()
    // knows which fields may be torn.
    store.storeDirty(base, set.bits);
    store.stampFields(base, set, published);
    store.ageStamps(base, lockedFrom, published);
    const at = store.payload(base);
    if (policy === 'overwrite') {
      for (let w = 0; w < this.work.length; w++) store.words[at + w] = this.work[w]!;
    } else {
      storeFields(store.fieldWords, set, this.work, store.words, at);
    }
    store.publish(this.index, base, lockedFrom);
    this.lockedFrom = lockedFrom;
    this.published = published;
    this.current = 'committed';
    if (started !== undefined) {
      publishCommit(store, this.index, published, lockedFrom, set, policy, store.lockRetries + this.reruns, secondsSince(started));
    }
    return publicVersion(published);
  }

  private conflicts(base: number, lockedFrom: number): boolean {
    const { store } = this;
    const { changed } = this;
    for (let i = 0; i < changed.size; i++) {
      if (writtenSince(store.words[store.stampIndex(base, changed.list[i]!)]!, this.start, lockedFrom)) return true;
    }
    return false;
  }

  private conflictError(base: number, lockedFrom: number): ConflictError {
    const { store } = this;
    const fields: string[] = [];
    const described: string[] = [];
    store.geometry.layout.fields.forEach((field, f) => {
      const stamp = Atomics.load(store.words, store.stampIndex(base, f));
      if (this.changed.has(f) && writtenSince(stamp, this.start, lockedFrom)) {
        fields.push(field.name);
        described.push(`${field.name} (written at version ${publicVersion(stamp)})`);
      }
    });
    const error = new ConflictError(
      `${store.name} record ${this.index}: another commit wrote ${described.join(', ')} after this transaction's snapshot ` +
        `at version ${publicVersion(this.start)}; the record is at version ${publicVersion(lockedFrom)} and nothing was written`,
      { struct: store.name, fields, expectedVersion: publicVersion(this.start), actualVersion: publicVersion(lockedFrom) },
    );
    publishConflict(store, this.index, error);
    return error;
  }

  private fieldNames(set: FieldSet): string[] {
    return fieldNames(this.store.geometry.layout, set.bits);
  }
}
