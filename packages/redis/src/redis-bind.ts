// Two-way binding between a plain object and one Redis record, with core's state machine
// (IDLE → PENDING_WRITE → ACK → COMMITTED, and CONFLICT), made async: pull() and push() each take
// one GET and at most one commit.
import { ConflictError, fromMap, StructSyncError, toMap, ValueError, type BindState, type BindTransition, type ConflictPolicy } from '@structsync/core';
import { BindMachine, conflictPolicy, describeValue, invalidOption } from '@structsync/core/internal';
import type { RecordId } from './record-key.js';
import { RedisTable } from './redis-table.js';
import { RedisTransaction } from './redis-transaction.js';

export interface RedisBindOptions {
  /** Tag whose names the object's properties use (default: the struct's tag priority). */
  readonly tag?: string;
  /** Policy of push() (default 'reject'). */
  readonly onConflict?: ConflictPolicy;
  /** Called after every transition, synchronously; what it throws is rethrown once the operation completed. */
  readonly onTransition?: (transition: BindTransition) => void;
}

export class RedisBinding<T extends object, P extends object> {
  readonly object: P;
  readonly table: RedisTable<T>;
  readonly id: RecordId;
  private readonly options: RedisBindOptions;
  /** The record as the object last mirrored it: push() commits what differs from it. */
  private readonly baseline: { words: Int32Array; view: T };
  private readonly incoming: { words: Int32Array; view: T };
  private readonly transaction: RedisTransaction<T>;
  private baseVersion = 0;
  private baseGeneration = 0;
  private hasBaseline = false;
  private inSync = false;
  private readonly machine: BindMachine;
  private lastConflict: ConflictError | undefined;

  /** @internal Use bind(). */
  constructor(object: P, table: RedisTable<T>, id: RecordId, options: RedisBindOptions) {
    this.object = object;
    this.table = table;
    this.id = id;
    this.options = options;
    this.baseline = table.privateCopy();
    this.incoming = table.privateCopy();
    this.transaction = new RedisTransaction(table, id, table.keyOf(id));
    this.machine = new BindMachine(table.layout.name, id, options.onTransition, false);
  }

  get state(): BindState {
    return this.machine.state;
  }

  /** The record version the object was last synced with (0 before the first pull or push). */
  get version(): number {
    return this.baseVersion;
  }

  get conflict(): ConflictError | undefined {
    return this.lastConflict;
  }

  /** Refreshes the object from the record when its version moved (or on the first pull); from CONFLICT, takes theirs. */
  async pull(): Promise<boolean> {
    this.machine.enter();
    try {
      if (this.machine.state === 'COMMITTED' || this.machine.state === 'CONFLICT') this.machine.move('IDLE', this.baseVersion, []);
      this.lastConflict = undefined;
      return this.machine.settle(await this.refresh(this.inSync));
    } finally {
      this.machine.leave();
    }
  }

  /** Commits the properties that differ from the last synced snapshot; false when nothing changed. */
  async push(): Promise<boolean> {
    this.machine.enter();
    try {
      if (this.machine.state === 'CONFLICT') {
        throw new StructSyncError('INVALID_STATE', `${this.name} record ${this.id}: the binding is in CONFLICT; pull() to take the record's values or resolve('mine')`, {
          struct: this.name,
        });
      }
      return this.machine.settle(await this.commit(this.options.onConflict ?? 'reject'));
    } finally {
      this.machine.leave();
    }
  }

  /** Leaves CONFLICT: 'theirs' is pull(); 'mine' commits the object's changed properties with merge. */
  async resolve(strategy: 'theirs' | 'mine'): Promise<boolean> {
    if (strategy === 'theirs') return this.pull();
    if (strategy !== 'mine') throw new ValueError('INVALID_INPUT', `${this.name} record ${this.id}: resolve() takes 'theirs' or 'mine', got ${describeValue(strategy)}`, { struct: this.name });
    this.machine.enter();
    try {
      if (this.machine.state !== 'CONFLICT') {
        throw new StructSyncError('INVALID_STATE', `${this.name} record ${this.id}: resolve() needs the CONFLICT state, not ${this.machine.state}`, { struct: this.name });
      }
      this.machine.move('IDLE', this.baseVersion, []);
      this.lastConflict = undefined;
      return this.machine.settle(await this.commit('merge'));
    } finally {
      this.machine.leave();
    }
  }

  private get name(): string {
    return this.table.layout.name;
  }

  private async commit(policy: ConflictPolicy): Promise<boolean> {
    // The baseline core's bind takes when binding: here, the first time it is needed.
    if (!this.hasBaseline) await this.readBaseline();
    const { transaction } = this;
    transaction.resetFrom(this.baseline.words, this.baseVersion, this.baseGeneration);
    fromMap(transaction.view, this.object, { tag: this.options.tag, partial: true, unknown: 'strip' });
    const fields = transaction.changedFields();
    if (fields.length === 0) return false;
    if (this.machine.state === 'COMMITTED') this.machine.move('IDLE', this.baseVersion, []);
    this.machine.move('PENDING_WRITE', this.baseVersion, fields);
    let published: number;
    try {
      published = await transaction.commitWith(policy);
    } catch (error) {
      if (error instanceof ConflictError) {
        this.lastConflict = error;
        this.machine.move('CONFLICT', error.actualVersion, error.fields);
      } else {
        this.machine.move('IDLE', this.baseVersion, []);
      }
      throw error;
    }
    this.machine.move('ACK', published, fields);
    if (transaction.publishedOverSnapshot) {
      this.baseline.words.set(transaction.workWords);
      this.baseVersion = published;
      this.inSync = true;
    } else {
      // Other commits landed in between: take them in, so the object mirrors the record.
      await this.refresh(false);
    }
    this.machine.move('COMMITTED', this.baseVersion, fields);
    return true;
  }

  private async readBaseline(): Promise<void> {
    const value = await this.table.fetch(this.transaction.key);
    if (value === null) throw this.table.notFound(this.transaction.key, 'does not exist');
    const header = this.table.decode(this.transaction.key, value, this.baseline.words);
    this.baseVersion = header.version;
    this.baseGeneration = header.generation;
    this.hasBaseline = true;
  }

  /** Copies the record into the object unless `skipUnchanged` and its version did not move; the baseline moves only once the object took it all. */
  private async refresh(skipUnchanged: boolean): Promise<boolean> {
    const { key } = this.transaction;
    const value = await this.table.fetch(key);
    if (value === null) throw this.table.notFound(key, 'does not exist');
    const header = this.table.decode(key, value, this.incoming.words);
    if (skipUnchanged && header.version === this.baseVersion && header.generation === this.baseGeneration) return false;
    toMap(this.incoming.view, { tag: this.options.tag, into: this.object as Record<string, unknown> });
    this.baseline.words.set(this.incoming.words);
    this.baseVersion = header.version;
    this.baseGeneration = header.generation;
    this.hasBaseline = true;
    this.inSync = true;
    return true;
  }
}

/**
 * Binds a plain object to record `id` of a Redis table: the same state machine as core's bind().
 * Nothing is read until the first pull() or push().
 */
export function bind<T extends object, P extends object>(object: P, table: RedisTable<T>, id: RecordId, options: RedisBindOptions = {}): RedisBinding<T, P> {
  if (!(table instanceof RedisTable)) throw new ValueError('INVALID_INPUT', `bind: expected a table made by createRedisTable, got ${describeValue(table)}`);
  const name = table.layout.name;
  if (typeof object !== 'object' || object === null || Array.isArray(object) || ArrayBuffer.isView(object)) {
    throw new ValueError('INVALID_INPUT', `${name} table: bind needs a plain object (not an array) to keep in sync, got ${describeValue(object)}`, { struct: name });
  }
  conflictPolicy(name, options);
  const { tag, onTransition } = options;
  if (tag !== undefined && typeof tag !== 'string') throw invalidOption(name, 'tag', 'a string', tag);
  if (onTransition !== undefined && typeof onTransition !== 'function') throw invalidOption(name, 'onTransition', 'a function', onTransition);
  return new RedisBinding(object, table, id, options);
}
