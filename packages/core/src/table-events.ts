// diagnostics_channel events of shared tables (DESIGN §8): `structsync:commit` and
// `structsync:conflict`. Published only when someone subscribes, so commits pay one property read.
import { channel } from 'node:diagnostics_channel';
import type { ConflictError } from './errors.js';
import { hasField } from './field-words.js';
import type { RecordStore } from './record-store.js';
import { publicVersion } from './record-version.js';

const commitChannel = channel('structsync:commit');
const conflictChannel = channel('structsync:conflict');

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

export function publishCommit(store: RecordStore, record: number, version: number, set: Int32Array, policy: string): void {
  if (!commitChannel.hasSubscribers) return;
  const fields = store.geometry.layout.fields.filter((_, f) => hasField(set, f)).map((field) => field.name);
  const event: CommitEvent = { struct: store.name, record, version: publicVersion(version), fields, policy };
  commitChannel.publish(event);
}

export function publishConflict(store: RecordStore, record: number, error: ConflictError): void {
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
