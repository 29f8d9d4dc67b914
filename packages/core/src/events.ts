// The names and messages of the diagnostics channels core publishes on (DESIGN §8), public so that
// instrumentation never spells a name. The channel objects are in event-channels.ts: this module's
// declarations must not need Node's types (apps compiled without @types/node import them).

/** The names of core's channels (`diagnostics_channel.subscribe(channels.commit, …)`). */
export const channels = Object.freeze({
  commit: 'structsync:commit',
  conflict: 'structsync:conflict',
  recover: 'structsync:recover',
  bind: 'structsync:bind',
  retry: 'structsync:retry',
  wait: 'structsync:wait',
  layout: 'structsync:layout',
  reject: 'structsync:reject',
  poolCreate: 'structsync:pool:create',
  poolAcquire: 'structsync:pool:acquire',
  poolRelease: 'structsync:pool:release',
  poolGrow: 'structsync:pool:grow',
  poolExhausted: 'structsync:pool:exhausted',
  /** A tracingChannel: subscribe with `diagnostics_channel.tracingChannel(channels.toMap)`. */
  toMap: 'structsync:toMap',
  /** A tracingChannel: subscribe with `diagnostics_channel.tracingChannel(channels.fromMap)`. */
  fromMap: 'structsync:fromMap',
});

/** The context object of the `structsync:toMap` / `structsync:fromMap` tracing channels. */
export interface ConversionContext {
  readonly struct: string;
  readonly tag: string | undefined;
  /** Set by the tracing channel when the conversion threw. */
  error?: unknown;
  /** Set by the tracing channel: what the conversion returned. */
  result?: unknown;
}

/** The message of `structsync:retry`: a commit or update tried again. */
export interface RetryEvent {
  readonly struct: string;
  readonly record: number;
  /** 1 for the first retry of this commit or update. */
  readonly attempt: number;
  /**
   * `locked`: another commit held the record and this one waited for it; `cas`: the record's
   * version moved between reading and locking it; `conflict`: update() ran its change again after
   * a ConflictError.
   */
  readonly reason: 'locked' | 'cas' | 'conflict';
  /** The fields the waiting commit writes (for `conflict`, the conflicting fields). */
  readonly fields: readonly string[];
  /** Seconds lost to this retry: the wait for the lock, or the failed attempt. */
  readonly wait: number;
  /** The conflict policy of the commit that retried (undefined for a lock taken outside a commit). */
  readonly policy: string | undefined;
}

/** The message of `structsync:wait`: one wake-up of a waiter on a shared record. */
export interface WaitEvent {
  readonly struct: string;
  readonly record: number;
  /** `change`: waitForChange / watch; `lock`: a reader or writer waited for a commit in flight. */
  readonly kind: 'change' | 'lock';
  /** The version waited on (u32). */
  readonly since: number;
  /** The version seen on waking (u32). */
  readonly version: number;
  readonly outcome: 'changed' | 'timeout' | 'aborted';
  /** Seconds waited. */
  readonly wait: number;
}

/** The message of `structsync:layout`: a struct's layout was computed (once per class). */
export interface LayoutEvent {
  readonly struct: string;
  readonly size: number;
  readonly align: number;
  readonly fields: number;
  readonly fingerprint: string;
}

/** The message of `structsync:reject`: a value refused by fromMap, one per problem. */
export interface RejectEvent {
  readonly struct: string;
  readonly operation: 'fromMap';
  /** The dotted field path (`items.4.qty`), '' for the record itself. */
  readonly path: string;
  readonly code: string;
  readonly message: string;
}

/** The messages of the `structsync:pool:*` channels. `pool` is the Pool itself (hold it weakly). */
export interface PoolEvent {
  readonly pool: object;
  readonly struct: string;
  readonly capacity: number;
  /** Records in use after the event. */
  readonly inUse: number;
  /** The capacity before growing (grow). */
  readonly from?: number;
}
