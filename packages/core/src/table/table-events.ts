// diagnostics_channel events of shared tables (DESIGN §8): `structsync:commit`,
// `structsync:conflict`, `structsync:recover`, `structsync:bind` (binding state transitions),
// `structsync:retry` and `structsync:wait`. Published only when someone subscribes, so commits pay
// one property read.
import type { ConflictError } from '../errors.js';
import { bindChannel, commitChannel, conflictChannel, recoverChannel, retryChannel, waitChannel } from '../event-channels.js';
import type { RetryEvent, WaitEvent } from '../events.js';
import { fieldNames, FieldSet } from './field-words.js';
import type { TableGeometry } from './table-header.js';
import { publicVersion } from './record-version.js';

/** What an event needs of the record store that publishes it. */
interface EventSource {
  readonly name: string;
  readonly geometry: TableGeometry;
}

/** The message of `structsync:commit`. */
export interface CommitEvent {
  readonly struct: string;
  readonly record: number;
  /** The version this commit published (u32). */
  readonly version: number;
  /** The version the commit locked and wrote over (u32): its snapshot's, or a later one under merge/overwrite. */
  readonly previousVersion: number;
  readonly fields: readonly string[];
  readonly policy: string;
  /** Retries inside this commit (waits for the lock, lost CAS) plus update()'s re-runs after a conflict. */
  readonly retries: number;
  /** Seconds from the start of the commit (of the update, for update()) to its publication; 0 when nobody listened at the start. */
  readonly duration: number;
}

/** The message of `structsync:conflict`. */
export interface ConflictEvent {
  readonly struct: string;
  readonly record: number;
  readonly fields: readonly string[];
  readonly expectedVersion: number;
  readonly actualVersion: number;
}

export function commitObserved(): boolean {
  return commitChannel.hasSubscribers || retryChannel.hasSubscribers;
}

export function publishCommit(
  store: EventSource,
  record: number,
  version: number,
  previous: number,
  set: FieldSet,
  policy: string,
  retries: number,
  duration: number,
): void {
  if (!commitChannel.hasSubscribers) return;
  const fields = fieldNames(store.geometry.layout, set.bits);
  const event: CommitEvent = {
    struct: store.name,
    record,
    version: publicVersion(version),
    previousVersion: publicVersion(previous),
    fields,
    policy,
    retries,
    duration,
  };
  commitChannel.publish(event);
}

/** Publishes one retry; `fields` is a field set (a waiting commit's) or names (a conflict's). */
export function publishRetry(
  store: EventSource,
  record: number,
  attempt: number,
  reason: RetryEvent['reason'],
  fields: FieldSet | readonly string[],
  wait: number,
  policy: string | undefined,
): void {
  if (!retryChannel.hasSubscribers) return;
  const names = fields instanceof FieldSet ? fieldNames(store.geometry.layout, fields.bits) : (fields as readonly string[]);
  const event: RetryEvent = { struct: store.name, record, attempt, reason, fields: names, wait, policy };
  retryChannel.publish(event);
}

export function waitObserved(): boolean {
  return waitChannel.hasSubscribers;
}

/** Publishes one wake-up; versions are int32 words, made u32 here. */
export function publishWait(store: EventSource, record: number, kind: WaitEvent['kind'], since: number, version: number, outcome: WaitEvent['outcome'], wait: number): void {
  if (!waitChannel.hasSubscribers) return;
  const event: WaitEvent = { struct: store.name, record, kind, since: publicVersion(since), version: publicVersion(version), outcome, wait };
  waitChannel.publish(event);
}

export function publishConflict(store: EventSource, record: number, error: ConflictError): void {
  if (!conflictChannel.hasSubscribers) return;
  const event: ConflictEvent = {
    struct: store.name,
    record,
    fields: error.fields,
    expectedVersion: error.expectedVersion,
    actualVersion: error.actualVersion,
  };
  conflictChannel.publish(event);
}

/** The message of `structsync:recover`. */
export interface RecoverEvent {
  readonly struct: string;
  readonly record: number;
  readonly stuckVersion: number;
  readonly version: number;
  readonly generation: number;
  readonly writerThread: number | undefined;
  readonly suspectFields: readonly string[];
}

/** The message of `structsync:bind`: one state transition of a binding. */
export interface BindEvent {
  readonly struct: string;
  readonly record: number;
  readonly from: string;
  readonly to: string;
  readonly version: number;
  readonly fields: readonly string[];
}

export function publishRecover(event: RecoverEvent): void {
  if (recoverChannel.hasSubscribers) recoverChannel.publish(event);
}

export function bindSubscribed(): boolean {
  return bindChannel.hasSubscribers;
}

export function publishBind(event: BindEvent): void {
  bindChannel.publish(event);
}
