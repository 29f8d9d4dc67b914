// forRoot / forRootAsync come from NestJS's ConfigurableModuleBuilder, as in NestJS's own modules;
// The options are exported, and `isGlobal: true` makes them (the defaults of every feature and
// @StructBody) visible app-wide.
import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { StructSyncModuleOptions } from './options';
import { STRUCTSYNC_OPTIONS } from './options-token';
import { InstrumentationLifecycle } from './instrumentation-lifecycle';

export { STRUCTSYNC_OPTIONS };

export const { ConfigurableModuleClass: StructSyncModuleBase } = new ConfigurableModuleBuilder<StructSyncModuleOptions>({
  moduleName: 'StructSync',
  optionsInjectionToken: STRUCTSYNC_OPTIONS,
})
  .setClassMethodName('forRoot')
  .setExtras({ isGlobal: false }, (definition, extras) => ({
    ...definition,
    global: extras.isGlobal,
    providers: [...(definition.providers ?? []), InstrumentationLifecycle],
    exports: [...(definition.exports ?? []), STRUCTSYNC_OPTIONS],
  }))
  .build();
