// Two-way binding between a plain object and one shared record, driven by an explicit state
// machine: IDLE → PENDING_WRITE → ACK → COMMITTED on a push, CONFLICT when a push loses a race.
import { ConflictError, describeValue, StructSyncError, ValueError } from '../errors.js';
import { fromMap, toMap } from '../map/map.js';
import { publicVersion } from './record-version.js';
import { BindMachine, type BindState, type BindTransition } from './bind-machine.js';
import { Table } from './table.js';
import { conflictPolicy, invalidOption, type ConflictPolicy } from './table-options.js';
import { readOptions } from '../options.js';
import type { Transaction } from './transaction.js';

export type { BindState, BindTransition } from './bind-machine.js';

export interface BindOptions {
  /** Tag whose names the object's properties use (default: the struct's tag priority). */
  readonly tag?: string;
  /** Policy of push() (default 'reject'). */
  readonly onConflict?: ConflictPolicy;
  /**
   * Called after every transition, synchronously; it must not call pull/push itself. If it
   * throws, the operation still completes (the transitions and any commit stand), then
   * rethrows that error, unless the operation fails on its own.
   */
  readonly onTransition?: (transition: BindTransition) => void;
}

export class Binding<T extends object, P extends object> {
  readonly object: P;
  readonly table: Table<T>;
  readonly index: number;
  private readonly options: BindOptions;
  /** The record as the object last mirrored it: push() commits what differs from it. */
  private readonly baseline: { words: Int32Array; view: T };
  /** Where a refresh reads the record, so the baseline moves only once the object took it all. */
  private readonly incoming: { words: Int32Array; view: T };
  private readonly transaction: Transaction<T>;
  private baseVersion: number;
  private inSync = false;
  private readonly machine: BindMachine;
  private lastConflict: ConflictError | undefined;

  /** @internal Use bind(). */
  constructor(object: P, table: Table<T>, index: number, options: BindOptions) {
    this.object = object;
    this.table = table;
    this.index = index;
    this.options = options;
    this.baseline = table.privateCopy();
    this.incoming = table.privateCopy();
    this.transaction = table.newTransaction(index);
    this.baseVersion = table.records.read(index, this.baseline.words);
    this.machine = new BindMachine(table.layout.name, index, options.onTransition, true);
  }

  get state(): BindState {
    return this.machine.state;
  }

  /** The record version the object was last synced with (u32). */
  get version(): number {
    return publicVersion(this.baseVersion);
  }

  /** The ConflictError that put the binding in CONFLICT, until it is resolved. */
  get conflict(): ConflictError | undefined {
    return this.lastConflict;
  }

  /**
   * Refreshes the object from the record when the record's version moved (or on the first pull),
   * overwriting local edits not yet pushed. From CONFLICT this takes the record's values ("theirs").
   * Returns whether the object was refreshed.
   */
  pull(): boolean {
    this.machine.enter();
    try {
      if (this.machine.state === 'COMMITTED' || this.machine.state === 'CONFLICT') this.machine.move('IDLE', this.baseVersion, []);
      this.lastConflict = undefined;
      if (this.inSync && publicVersion(this.table.records.version(this.index)) === publicVersion(this.baseVersion)) return this.machine.settle(false);
      this.refresh();
      return this.machine.settle(true);
    } finally {
      this.machine.leave();
    }
  }

  /**
   * Commits the properties that differ from the last synced snapshot, with conflict detection:
   * IDLE → PENDING_WRITE → ACK → COMMITTED, or → CONFLICT (and the ConflictError is thrown).
   * Returns false, with no transition, when nothing changed. A bad value throws a ValueError
   * before anything is written and the state stays as it was (IDLE or COMMITTED).
   */
  push(): boolean {
    this.machine.enter();
    try {
      if (this.machine.state === 'CONFLICT') {
        throw new StructSyncError(
          'INVALID_STATE',
          `${this.table.layout.name} record ${this.index}: the binding is in CONFLICT; pull() to take the record's values or resolve('mine')`,
          { struct: this.table.layout.name },
        );
      }
      return this.machine.settle(this.commit(this.options.onConflict ?? 'reject'));
    } finally {
      this.machine.leave();
    }
  }

  /**
   * Leaves CONFLICT: 'theirs' is pull(); 'mine' commits the object's changed properties with the
   * merge policy (they win on the fields in conflict; others' writes to other fields survive).
   */
  resolve(strategy: 'theirs' | 'mine'): boolean {
    if (strategy === 'theirs') return this.pull();
    if (strategy !== 'mine') {
      const name = this.table.layout.name;
      throw new ValueError('INVALID_INPUT', `${name} record ${this.index}: resolve() takes 'theirs' or 'mine', got ${describeValue(strategy)}`, { struct: name });
    }
    this.machine.enter();
    try {
      if (this.machine.state !== 'CONFLICT') {
        throw new StructSyncError('INVALID_STATE', `${this.table.layout.name} record ${this.index}: resolve() needs the CONFLICT state, not ${this.machine.state}`, {
          struct: this.table.layout.name,
        });
      }
      this.machine.move('IDLE', this.baseVersion, []);
      this.lastConflict = undefined;
      return this.machine.settle(this.commit('merge'));
    } finally {
      this.machine.leave();
    }
  }

  private commit(policy: ConflictPolicy): boolean {
    const { transaction } = this;
    transaction.resetFrom(this.index, this.baseline.words, this.baseVersion);
    // Properties are keyed like toMap's output; others on the object are not the record's.
    fromMap(transaction.view, this.object, { tag: this.options.tag, partial: true, unknown: 'strip' });
    const fields = transaction.changedFields();
    // Nothing to commit (or a bad value, thrown above): no transition, COMMITTED stays COMMITTED.
    if (fields.length === 0) return false;
    if (this.machine.state === 'COMMITTED') this.machine.move('IDLE', this.baseVersion, []);
    this.machine.move('PENDING_WRITE', this.baseVersion, fields);
    let published: number;
    try {
      published = transaction.commit({ onConflict: policy });
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
      // The record equals the transaction's view: it is the new baseline.
      this.baseline.words.set(transaction.workWords);
      this.baseVersion = published | 0;
      this.inSync = true;
    } else {
      // Other commits landed in between: take them in, so the object mirrors the record.
      try {
        this.refresh();
      } catch (error) {
        // The commit stands but the object could not take the others' values: the baseline
        // becomes what this push wrote over its snapshot, so the object's pushed values are not
        // pushed again, the version stays the snapshot's so the next pull() refreshes, and the
        // others' fields the object did not take are not written back.
        this.baseline.words.set(transaction.workWords);
        this.machine.move('COMMITTED', this.baseVersion, fields);
        throw error;
      }
    }
    this.machine.move('COMMITTED', this.baseVersion, fields);
    return true;
  }

  /**
   * Copies the record into the object, all or nothing as far as the binding goes: the baseline
   * and version move only once every property was written. When the object refuses one midway
   * (a throwing setter, a read-only property), the object may hold some of the new values, but
   * the baseline still holds the old ones, so the next push() cannot write old values back over
   * another writer's commit (at worst the new values it did take conflict with it).
   */
  private refresh(): void {
    const { incoming } = this;
    const version = this.table.records.read(this.index, incoming.words);
    // An object that refuses a value fails toMap with INVALID_OPTION, the object's error as cause.
    toMap(incoming.view, { tag: this.options.tag, into: this.object as Record<string, unknown> });
    this.baseline.words.set(incoming.words);
    this.baseVersion = version;
    this.inSync = true;
  }
}

/**
 * Binds a plain object to record `index` of `table`. The binding starts IDLE with a snapshot of
 * the record; the object is not touched until pull() (which then refreshes it even if the
 * version did not move) or push() (which commits the object's properties that differ from it).
 */
export function bind<T extends object, P extends object>(object: P, table: Table<T>, index: number, options: BindOptions = {}): Binding<T, P> {
  if (!(table instanceof Table)) {
    throw new ValueError('INVALID_INPUT', `bind: expected a table made by createTable or attachTable, got ${describeValue(table)}`);
  }
  const name = table.layout.name;
  if (typeof object !== 'object' || object === null || Array.isArray(object) || ArrayBuffer.isView(object)) {
    throw new ValueError('INVALID_INPUT', `${name} table: bind needs a plain object (not an array) to keep in sync, got ${describeValue(object)}`, { struct: name });
  }
  // Every option is checked here: a bad one found at the first push would leave a transition half made.
  conflictPolicy(name, options);
  // Read once, here: options read again at a later push could have changed, or been revoked.
  const read = readOptions(options, ['tag', 'onTransition', 'onConflict'], 'bind', name);
  const { tag, onTransition } = read;
  if (tag !== undefined && typeof tag !== 'string') throw invalidOption(name, 'tag', 'a string', tag);
  if (onTransition !== undefined && typeof onTransition !== 'function') throw invalidOption(name, 'onTransition', 'a function', onTransition);
  return new Binding(object, table, index, Object.freeze(read));
}
