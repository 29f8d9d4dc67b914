// forRoot / forRootAsync come from NestJS's ConfigurableModuleBuilder, as in NestJS's own modules;
// The options are exported, and `isGlobal: true` makes them (the defaults of every feature and
// @StructBody) visible app-wide.
import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { StructSyncModuleOptions } from './options';

/** The token of the options given to forRoot / forRootAsync. */
export const STRUCTSYNC_OPTIONS: unique symbol = Symbol('structsync:options');

export const { ConfigurableModuleClass: StructSyncModuleBase } = new ConfigurableModuleBuilder<StructSyncModuleOptions>({
  moduleName: 'StructSync',
  optionsInjectionToken: STRUCTSYNC_OPTIONS,
})
  .setClassMethodName('forRoot')
  .setExtras({ isGlobal: false }, (definition, extras) => ({
    ...definition,
    global: extras.isGlobal,
    exports: [...(definition.exports ?? []), STRUCTSYNC_OPTIONS],
  }))
  .build();
