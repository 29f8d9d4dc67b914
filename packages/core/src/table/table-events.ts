// diagnostics_channel events of shared tables (DESIGN §8): `structsync:commit`,
// `structsync:conflict`, `structsync:recover` and `structsync:bind` (binding state transitions).
// Published only when someone subscribes, so commits pay one property read.
import { channel } from 'node:diagnostics_channel';
import type { ConflictError } from '../errors.js';
import { fieldNames, type FieldSet } from './field-words.js';
import type { TableGeometry } from './table-header.js';
import { publicVersion } from './record-version.js';

const commitChannel = channel('structsync:commit');
const conflictChannel = channel('structsync:conflict');
const recoverChannel = channel('structsync:recover');
const bindChannel = channel('structsync:bind');

/** What an event needs of the record store that publishes it. */
interface EventSource {
  readonly name: string;
  readonly geometry: TableGeometry;
}

/** The message of `structsync:commit`. */
export interface CommitEvent {
  readonly struct: string;
  readonly record: number;
  readonly version: number;
  readonly fields: readonly string[];
  readonly policy: string;
}

/** The message of `structsync:conflict`. */
export interface ConflictEvent {
  readonly struct: string;
  readonly record: number;
  readonly fields: readonly string[];
  readonly expectedVersion: number;
  readonly actualVersion: number;
}

export function publishCommit(store: EventSource, record: number, version: number, set: FieldSet, policy: string): void {
  if (!commitChannel.hasSubscribers) return;
  const fields = fieldNames(store.geometry.layout, set.bits);
  const event: CommitEvent = { struct: store.name, record, version: publicVersion(version), fields, policy };
  commitChannel.publish(event);
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
