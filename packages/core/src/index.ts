// Public API of @structsync/core. Every export is named here; nothing else is public.
export { Field, Struct } from './decorators.js';
export type { FieldDecorator, FieldTarget, StructDecorator, StructOptions } from './decorators.js';
export { alignof, DEFAULT_TAG_PRIORITY, layoutOf, mapKeys, offsetof, sizeof } from './layout.js';
export type { FieldKind, FieldLayout, KeyedField, StructLayout } from './layout.js';
export { bestFieldOrder, formatLayout } from './format.js';
export type { FormatLayoutOptions } from './format.js';
export { fingerprint } from './fingerprint.js';
export { parseTags } from './tags.js';
export { fromMap, toMap } from './map.js';
export type { FromMapOptions, ToMapOptions } from './map.js';
export { asMap } from './map-proxy.js';
export type { AsMapOptions } from './map-proxy.js';
export { createPool } from './pool.js';
export type { Pool, PoolOptions } from './pool.js';
export { records } from './records.js';
export type { Records, RecordsOptions } from './records.js';
export { repoint, view } from './view.js';
export type { BufferSource, ViewOptions } from './view.js';
export { isView, viewMemory } from './view-state.js';
export type { ViewMemory } from './view-state.js';
export { attachTable, createTable, Table } from './table.js';
export type {
  AttachTableOptions,
  RecoverOptions,
  RecoveryReport,
  Snapshot,
  TableChange,
  TableOptions,
  UpdateOptions,
  WatchOptions,
} from './table.js';
export { Transaction } from './transaction.js';
export type { CommitOptions, ConflictPolicy, TransactionState } from './transaction.js';
export type { WaitOptions } from './table-watch.js';
export type { BindEvent, CommitEvent, ConflictEvent, RecoverEvent } from './table-events.js';
export { bind, Binding } from './bind.js';
export type { BindOptions, BindState, BindTransition } from './bind.js';
export { generatedSource } from './codegen.js';
export { attach, checkFingerprint, FINGERPRINT_HEADER_BYTES, fingerprintedSize, writeFingerprint } from './fingerprint-header.js';
export type { ParsedTags, TagInfo } from './tags.js';
export {
  ConflictError,
  DefinitionError,
  LayoutMismatchError,
  MemoryError,
  StructSyncError,
  ValueError,
} from './errors.js';
export type { StructSyncErrorCode, StructSyncErrorDetails } from './errors.js';
export type {
  ExactSpec,
  FieldSpec,
  FieldTypeName,
  ScalarFieldSpec,
  ScalarType,
  SizedFieldSpec,
  StructClass,
  StructFieldSpec,
  TagInput,
  ValueOfSpec,
} from './types.js';
