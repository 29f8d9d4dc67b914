// Public API of @structsync/core. Every export is named here; nothing else is public.
export { Field, Struct } from './layout/decorators.js';
export type { FieldDecorator, FieldTarget, StructDecorator, StructOptions } from './layout/decorators.js';
export { alignof, DEFAULT_TAG_PRIORITY, layoutOf, mapKeys, offsetof, sizeof } from './layout/layout.js';
export type { FieldKind, FieldLayout, KeyedField, StructLayout } from './layout/layout.js';
export { bestFieldOrder, formatLayout } from './layout/format.js';
export type { FormatLayoutOptions } from './layout/format.js';
export { fingerprint } from './layout/fingerprint.js';
export { parseTags } from './layout/tags.js';
export { fromMap, toMap } from './map/map.js';
export type { FromMapOptions, ToMapOptions } from './map/map.js';
export type { Int64Mode } from './map/map-read.js';
export { asMap } from './map/map-proxy.js';
export type { AsMapOptions } from './map/map-proxy.js';
export { createPool } from './view/pool.js';
export type { Pool, PoolOptions } from './view/pool.js';
export { records } from './view/records.js';
export type { Records, RecordsOptions } from './view/records.js';
export { repoint, view } from './view/view.js';
export type { BufferSource, ViewOptions } from './view/view.js';
export { isView, viewMemory } from './view/view-state.js';
export type { ViewMemory } from './view/view-state.js';
export { attachTable, createTable, Table } from './table/table.js';
export type {
  AttachTableOptions,
  RecoverOptions,
  RecoveryReport,
  Snapshot,
  TableChange,
  TableOptions,
  UpdateOptions,
  WatchOptions,
} from './table/table.js';
export { Transaction } from './table/transaction.js';
export type { TransactionState } from './table/transaction.js';
export type { CommitOptions, ConflictPolicy } from './table/table-options.js';
export type { WaitOptions } from './table/table-watch.js';
export type { BindEvent, CommitEvent, ConflictEvent, RecoverEvent } from './table/table-events.js';
export { channels } from './events.js';
export type { ConversionContext, LayoutEvent, PoolEvent, RejectEvent, RetryEvent, WaitEvent } from './events.js';
export { bind, Binding } from './table/bind.js';
export type { BindOptions, BindState, BindTransition } from './table/bind.js';
export { generatedSource } from './view/codegen.js';
export { attach, checkFingerprint, FINGERPRINT_HEADER_BYTES, fingerprintedSize, writeFingerprint } from './view/fingerprint-header.js';
export type { ParsedTags, TagInfo } from './layout/tags.js';
export {
  ConflictError,
  DefinitionError,
  LayoutMismatchError,
  MemoryError,
  StructSyncError,
  ValueError,
} from './errors.js';
export type { StructSyncErrorCode, StructSyncErrorDetails, ValueProblem } from './errors.js';
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
} from './layout/types.js';
