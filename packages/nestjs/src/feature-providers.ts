// The providers StructSyncModule.forFeature registers: a pool per struct, a shared table when
// asked, and one closer that releases every pool record still in use when the app shuts down.
import type { OnApplicationShutdown, Provider } from '@nestjs/common';
import { createPool, createTable, type Pool, type StructClass, type Table } from '@structsync/core';
import { STRUCTSYNC_OPTIONS } from './module-definition';
import { DEFAULT_POOL_CAPACITY, type StructFeatureOptions, type StructSyncModuleOptions } from './options';
import { getPoolToken, getTableToken } from './tokens';

const ROOT_OPTIONS = { token: STRUCTSYNC_OPTIONS, optional: true };

/** Releases the records of a feature's pools at shutdown: views the app still holds then throw STALE_VIEW. */
export class FeatureCloser implements OnApplicationShutdown {
  closed = false;

  constructor(readonly pools: readonly Pool<object>[], readonly tables: readonly Table<object>[]) {}

  onApplicationShutdown(): void {
    if (this.closed) return;
    this.closed = true;
    // Runs after the HTTP server has closed, so no request still reads a record released here.
    // A table has nothing to release: its SharedArrayBuffer goes with the last reference to it.
    for (const pool of this.pools) for (const record of pool) pool.release(record);
  }
}

export function featureProviders(types: readonly StructClass[], options: StructFeatureOptions): Provider[] {
  const providers: Provider[] = [];
  const tokens: symbol[] = [];
  for (const type of types) {
    const poolToken = getPoolToken(type);
    providers.push({
      provide: poolToken,
      useFactory: (root: StructSyncModuleOptions | undefined) => {
        const defaults = root?.pool ?? {};
        const grow = options.grow ?? defaults.grow;
        return createPool(type, {
          capacity: options.capacity ?? defaults.capacity ?? DEFAULT_POOL_CAPACITY,
          shared: options.shared ?? defaults.shared ?? false,
          ...(grow === undefined ? {} : { grow }),
        });
      },
      inject: [ROOT_OPTIONS],
    });
    tokens.push(poolToken);
  }
  const tableTokens: symbol[] = [];
  if (options.table !== undefined && options.table !== false) {
    const table = options.table === true ? {} : options.table;
    for (const type of types) {
      const tableToken = getTableToken(type);
      providers.push({
        provide: tableToken,
        useFactory: (root: StructSyncModuleOptions | undefined) =>
          createTable(type, {
            capacity: table.capacity ?? options.capacity ?? root?.pool?.capacity ?? DEFAULT_POOL_CAPACITY,
            ...(table.timeout === undefined ? {} : { timeout: table.timeout }),
          }),
        inject: [ROOT_OPTIONS],
      });
      tableTokens.push(tableToken);
    }
  }
  providers.push({
    provide: Symbol('structsync:feature-closer'),
    useFactory: (...instances: unknown[]) =>
      new FeatureCloser(instances.slice(0, tokens.length) as Pool<object>[], instances.slice(tokens.length) as Table<object>[]),
    inject: [...tokens, ...tableTokens],
  });
  return providers;
}
