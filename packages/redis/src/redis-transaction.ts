// An optimistic transaction on one Redis record: a snapshot and a private copy to edit through a
// view; commit() sends the changed fields' bytes to record.lua, which checks their stamps against
// the snapshot's version, writes them, bumps the version and publishes the change in one call.
import { ConflictError, StructSyncError, type ConflictPolicy, type CommitOptions } from '@structsync/core';
import { changedFields, conflictPolicy, fieldNames, FieldSet, type FieldWords } from '@structsync/core/internal';
import { RedisTableError } from './errors.js';
import type { RecordId } from './record-key.js';
import type { RedisTable } from './redis-table.js';

/** `unknown`: the commit was sent and its reply lost (UNKNOWN_OUTCOME); it may have been applied. */
export type RedisTransactionState = 'open' | 'committing' | 'committed' | 'conflicted' | 'failed' | 'unknown';

export class RedisTransaction<T extends object> {
  /** The record being edited: a view over this transaction's private copy. */
  readonly view: T;
  readonly id: RecordId;
  readonly key: string;
  private readonly table: RedisTable<T>;
  private readonly fieldWords: FieldWords;
  private readonly snapshot: Int32Array;
  private readonly work: Int32Array;
  private readonly changed: FieldSet;
  private start = 0;
  private generation = 0;
  /** The snapshot's record did not exist: the commit creates it (upsert). */
  private creates = false;
  private lockedFrom = 0;
  private published = 0;
  private current: RedisTransactionState = 'open';
  /** @internal The record's value a conflict reply carried: update() retries from it without a GET. */
  latest: Buffer | undefined;

  /** @internal Use table.begin(id). */
  constructor(table: RedisTable<T>, id: RecordId, key: string) {
    this.table = table;
    this.id = id;
    this.key = key;
    this.fieldWords = table.fieldWords;
    const copy = table.privateCopy();
    this.view = copy.view;
    this.work = copy.words;
    this.snapshot = new Int32Array(this.work.length);
    this.changed = new FieldSet(table.format.geometry.fieldCount);
  }

  /** @internal Starts over from a record's value (null: a missing record, zeroed, for an upsert). */
  reset(value: Buffer | null): void {
    if (value === null) {
      this.snapshot.fill(0);
      this.restart(0, 0, true);
    } else {
      const header = this.table.decode(this.key, value, this.snapshot);
      this.restart(header.version, header.generation, false);
    }
  }

  /** @internal Starts from a snapshot the caller already holds (bind). */
  resetFrom(snapshot: Int32Array, version: number, generation: number): void {
    this.snapshot.set(snapshot);
    this.restart(version, generation, version === 0);
  }

  private restart(version: number, generation: number, creates: boolean): void {
    this.start = version;
    this.generation = generation;
    this.creates = creates;
    this.work.set(this.snapshot);
    this.latest = undefined;
    this.current = 'open';
  }

  /** @internal The generation (incarnation) of the snapshot's record. */
  get startGeneration(): number {
    return this.generation;
  }

  /** The version of the snapshot this transaction started from (0: the record did not exist). */
  get startVersion(): number {
    return this.start;
  }

  /** The version this transaction's commit published, or undefined before a commit. */
  get committedVersion(): number | undefined {
    return this.current === 'committed' ? this.published : undefined;
  }

  /** True when the commit was published directly over the snapshot, so the record equals the view. */
  get publishedOverSnapshot(): boolean {
    return this.current === 'committed' && this.lockedFrom === this.start;
  }

  get state(): RedisTransactionState {
    return this.current;
  }

  /** @internal The private payload copy behind `view`. */
  get workWords(): Int32Array {
    return this.work;
  }

  /** Names of the fields the view now differs in from the snapshot. */
  changedFields(): string[] {
    changedFields(this.fieldWords, this.work, this.snapshot, this.changed);
    return fieldNames(this.table.layout, this.changed.bits);
  }

  /** Publishes the changes in one script call; resolves with the new version. Commits at most once. */
  commit(options?: CommitOptions): Promise<number> {
    return this.commitWith(conflictPolicy(this.table.layout.name, options));
  }

  /** @internal commit() with the policy already checked. */
  async commitWith(policy: ConflictPolicy): Promise<number> {
    const name = this.table.layout.name;
    if (this.current !== 'open') {
      throw new StructSyncError('INVALID_STATE', `${name} record ${this.id}: this transaction is ${this.current}; begin a new one`, { struct: name });
    }
    const count = changedFields(this.fieldWords, this.work, this.snapshot, this.changed);
    if (count === 0 && policy !== 'overwrite') {
      // Nothing to write: the snapshot stays the truth this transaction saw (a missing record stays missing).
      this.lockedFrom = this.published = this.start;
      this.current = 'committed';
      return this.start;
    }
    const set = policy === 'overwrite' ? this.table.allFields : this.changed;
    this.current = 'committing';
    let reply;
    try {
      reply = await this.table.runCommit(this.key, policy, this.start, this.generation, this.creates, set, this.work);
    } catch (error) {
      this.current = error instanceof RedisTableError && error.code === 'UNKNOWN_OUTCOME' ? 'unknown' : 'failed';
      throw error;
    }
    switch (reply.status) {
      case 'ok':
        this.lockedFrom = reply.previous;
        this.published = reply.version;
        this.current = 'committed';
        return reply.version;
      case 'conflict':
        this.current = 'conflicted';
        this.latest = reply.value;
        throw this.conflictError(reply.version, reply.stamps);
      default:
        this.current = 'failed';
        throw this.table.notFound(this.key, 'was deleted since this transaction began; nothing was written');
    }
  }

  private conflictError(version: number, stamps: Buffer): ConflictError {
    const { layout } = this.table;
    const fields: string[] = [];
    const described: string[] = [];
    for (let at = 0; at < stamps.length; at += 8) {
      const field = layout.fields[stamps.readUInt32LE(at)]!;
      fields.push(field.name);
      described.push(`${field.name} (written at version ${stamps.readUInt32LE(at + 4)})`);
    }
    return new ConflictError(
      `${layout.name} record ${this.id}: another commit wrote ${described.join(', ')} after this transaction's snapshot at version ${this.start}; ` +
        `the record is at version ${version} and nothing was written`,
      { struct: layout.name, fields, expectedVersion: this.start, actualVersion: version },
    );
  }
}
