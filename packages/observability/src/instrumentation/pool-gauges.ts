// Pool usage as observable gauges: pools announce themselves on the structsync:pool:* channels and
// are held weakly, so a pool the program drops is collected and leaves the gauges.
import type { Meter, ObservableResult } from '@opentelemetry/api';
import type { PoolEvent } from '@structsync/core';
import { ATTR_STRUCT, METRIC_POOL_CAPACITY, METRIC_POOL_IN_USE } from './attributes.js';

interface PoolLike {
  readonly capacity: number;
  readonly inUse: number;
}

export class PoolGauges {
  readonly #pools = new Map<object, { readonly ref: WeakRef<PoolLike>; readonly struct: string }>();
  readonly #tokens = new WeakMap<object, object>();
  readonly #registry = new FinalizationRegistry<object>((key) => this.#pools.delete(key));

  track(event: PoolEvent): void {
    const pool = event.pool as PoolLike;
    if (this.#tokens.has(pool)) return;
    // The map's key must not keep the pool alive: a token stands for it.
    const token = {};
    this.#pools.set(token, { ref: new WeakRef(pool), struct: event.struct });
    this.#tokens.set(pool, token);
    this.#registry.register(pool, token);
  }

  observe(meter: Meter): void {
    const inUse = meter.createObservableGauge(METRIC_POOL_IN_USE, { description: 'Pool records in use.', unit: '{record}' });
    const capacity = meter.createObservableGauge(METRIC_POOL_CAPACITY, { description: 'Pool capacity.', unit: '{record}' });
    inUse.addCallback((result) => this.#report(result, (pool) => pool.inUse));
    capacity.addCallback((result) => this.#report(result, (pool) => pool.capacity));
  }

  #report(result: ObservableResult, read: (pool: PoolLike) => number): void {
    // Pools of one struct are summed: the attribute set is the struct.
    const totals = new Map<string, number>();
    for (const { ref, struct } of this.#pools.values()) {
      const pool = ref.deref();
      if (pool !== undefined) totals.set(struct, (totals.get(struct) ?? 0) + read(pool));
    }
    for (const [struct, value] of totals) result.observe(value, { [ATTR_STRUCT]: struct });
  }
}
