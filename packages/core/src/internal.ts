// Internals shared with structsync's own packages (@structsync/redis keeps the shared-table record
// header and commit rules rather than rewriting them). Not part of the public API: no semver promise.
export { describeError, describeValue } from './errors.js';
export { changedFields, fieldNames, FieldSet, fieldWordsOf } from './table/field-words.js';
export type { FieldWords } from './table/field-words.js';
export { fingerprintOf } from './layout/fingerprint.js';
export { ANCIENT_STAMP, nextVersion, publicVersion, STAMP_HORIZON, writtenSince } from './table/record-version.js';
export { RECORD_DIRTY, RECORD_GENERATION, RECORD_OWNER, RECORD_VERSION, RECORD_WAITERS, tableGeometry } from './table/table-header.js';
export type { TableGeometry } from './table/table-header.js';
export { checkOptionsObject, conflictPolicy, invalidOption } from './table/table-options.js';
export { checkSignal } from './table/table-watch.js';
export { BindMachine } from './table/bind-machine.js';
