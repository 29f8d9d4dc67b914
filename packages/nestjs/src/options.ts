// The options the module, its features and @StructBody take, with their defaults in one place.
import type { FromMapOptions } from '@structsync/core';

/** How a pool registered by forFeature is made (see createPool). */
export interface StructPoolOptions {
  /** Records the pool starts with. Default 1024. */
  readonly capacity?: number;
  /** Grow by doubling when exhausted, up to maxCapacity records. Default: no growth. */
  readonly grow?: { readonly maxCapacity: number };
  /** Back the pool with a SharedArrayBuffer. Default false. */
  readonly shared?: boolean;
}

/** A shared table registered beside the pool (see createTable). */
export interface StructTableOptions {
  /** Records in the table. Default: the pool's capacity. */
  readonly capacity?: number;
  /** Milliseconds to wait on a commit in flight before COMMIT_TIMEOUT (createTable's default 100). */
  readonly timeout?: number;
}

/** The second argument of StructSyncModule.forFeature. */
export interface StructFeatureOptions extends StructPoolOptions {
  /** Also register a shared table per struct, injected with @InjectTable. Default false. */
  readonly table?: boolean | StructTableOptions;
}

/** How @StructBody reads a body; JSON bodies go through fromMap with these options. */
export interface StructBodyOptions extends Pick<FromMapOptions, 'tag' | 'unknown' | 'truncate' | 'validate'> {
  /** Most records a @StructBody([Type]) body may hold (JSON array elements or binary records). Default 1024. */
  readonly maxItems?: number;
}

/** StructSyncModule.forRoot's options: defaults for every feature and every @StructBody. */
export interface StructSyncModuleOptions {
  /** Defaults for the pools forFeature registers (each forFeature call may override them). */
  readonly pool?: StructPoolOptions;
  /** Defaults for @StructBody (each decorator may override them). Default tag: 'json'. */
  readonly body?: StructBodyOptions;
  /**
   * Enable @structsync/observability's StructSyncInstrumentation while the app runs (true, or its
   * config: `{ conversions: { sampleRatio } }`, providers…). Needs that package installed.
   */
  readonly instrumentation?: boolean | Readonly<Record<string, unknown>>;
}

export const DEFAULT_POOL_CAPACITY = 1024;
export const DEFAULT_MAX_ITEMS = 1024;
