// StructSyncModule: forRoot / forRootAsync (ConfigurableModuleBuilder) hold the app's defaults;
// forFeature registers a pool (and a shared table when asked) per struct class, exported so that
// the importing module can @InjectPool / @InjectTable them.
import { type DynamicModule, Module } from '@nestjs/common';
import type { StructClass } from '@structsync/core';
import { featureProviders } from './feature-providers';
import { StructSyncModuleBase } from './module-definition';
import type { StructFeatureOptions } from './options';
import { getPoolToken, getTableToken } from './tokens';

@Module({})
export class StructSyncModule extends StructSyncModuleBase {
  static forFeature(types: readonly StructClass[], options: StructFeatureOptions = {}): DynamicModule {
    const withTable = options.table !== undefined && options.table !== false;
    const exported = types.flatMap((type) => (withTable ? [getPoolToken(type), getTableToken(type)] : [getPoolToken(type)]));
    return { module: StructSyncModule, providers: featureProviders(types, options), exports: exported };
  }
}
