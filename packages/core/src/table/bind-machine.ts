// The binding state machine, shared by core's bind() and @structsync/redis's: the legal
// transitions, the guard against re-entering pull/push, and an onTransition listener that can
// neither leave a transition half made nor hide the operation's own error.
import { StructSyncError } from '../errors.js';
import { publicVersion } from './record-version.js';
import { bindSubscribed, publishBind } from './table-events.js';

/**
 * - IDLE: nothing in flight; the object may hold local edits not yet pushed.
 * - PENDING_WRITE: push() found changed properties and is committing them.
 * - ACK: the record accepted the commit (its new version is published).
 * - COMMITTED: the binding's snapshot and version now match what was published; rest state
 *   after a push, left for IDLE by the next pull() or by a push() that has changes to commit
 *   (a push without changes is a no-op and keeps it).
 * - CONFLICT: the push lost a race on a field it changed; pull() (take theirs) or
 *   resolve('mine') leaves it.
 */
export type BindState = 'IDLE' | 'PENDING_WRITE' | 'ACK' | 'COMMITTED' | 'CONFLICT';

export interface BindTransition {
  readonly from: BindState;
  readonly to: BindState;
  /** The record version the transition concerns (the published one for ACK/COMMITTED). */
  readonly version: number;
  /** Fields being written (PENDING_WRITE, ACK) or in conflict (CONFLICT). */
  readonly fields: readonly string[];
}

/** Legal transitions; anything else is a bug in a binding, caught by the tests. */
const NEXT: Readonly<Record<BindState, readonly BindState[]>> = {
  IDLE: ['PENDING_WRITE'],
  PENDING_WRITE: ['ACK', 'CONFLICT', 'IDLE'],
  ACK: ['COMMITTED'],
  COMMITTED: ['IDLE'],
  CONFLICT: ['IDLE'],
};

export class BindMachine {
  private current: BindState = 'IDLE';
  private busy = false;
  private listenerFailed = false;
  private listenerError: unknown;
  private readonly struct: string;
  private readonly record: number | string;
  private readonly onTransition: ((transition: BindTransition) => void) | undefined;
  /** Publish structsync:bind events (records of shared tables, whose events name an index). */
  private readonly events: boolean;

  constructor(struct: string, record: number | string, onTransition: ((transition: BindTransition) => void) | undefined, events: boolean) {
    this.struct = struct;
    this.record = record;
    this.onTransition = onTransition;
    this.events = events;
  }

  get state(): BindState {
    return this.current;
  }

  /** Starts an operation: a pull/push from inside onTransition, or while another runs, is INVALID_STATE. */
  enter(): void {
    if (this.busy) {
      throw new StructSyncError('INVALID_STATE', `${this.struct} record ${this.record}: pull/push called from inside onTransition or while another one runs`, {
        struct: this.struct,
      });
    }
    this.busy = true;
  }

  /** Ends an operation; an onTransition error that lost to the operation's own error is dropped. */
  leave(): void {
    this.busy = false;
    this.listenerFailed = false;
    this.listenerError = undefined;
  }

  /** Returns the operation's result, or throws what onTransition threw while it ran. */
  settle<R>(result: R): R {
    if (this.listenerFailed) throw this.listenerError;
    return result;
  }

  move(to: BindState, version: number, fields: readonly string[]): void {
    const from = this.current;
    if (!NEXT[from].includes(to)) {
      throw new StructSyncError('INVALID_STATE', `${this.struct} record ${this.record}: no transition from ${from} to ${to}`, { struct: this.struct });
    }
    this.current = to;
    const { onTransition } = this;
    if (onTransition !== undefined) {
      try {
        onTransition({ from, to, version: publicVersion(version), fields });
      } catch (error) {
        // The listener must not leave the machine halfway (a throw at PENDING_WRITE used to leave
        // it there for good): the operation goes on, and settle() rethrows the first such error.
        if (!this.listenerFailed) {
          this.listenerFailed = true;
          this.listenerError = error;
        }
      }
    }
    if (this.events && bindSubscribed()) publishBind({ struct: this.struct, record: this.record as number, from, to, version: publicVersion(version), fields });
  }
}
