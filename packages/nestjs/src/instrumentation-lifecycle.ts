// forRoot({ instrumentation }): enables StructSyncInstrumentation when the module starts and
// disables it when the application shuts down.
import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { STRUCTSYNC_OPTIONS } from './options-token';
import { loadObservability } from './observability';
import type { StructSyncModuleOptions } from './options';

@Injectable()
export class InstrumentationLifecycle implements OnModuleInit, OnApplicationShutdown {
  private instrumentation: { enable(): void; disable(): void } | undefined;

  constructor(@Inject(STRUCTSYNC_OPTIONS) private readonly options: StructSyncModuleOptions) {}

  onModuleInit(): void {
    const asked = this.options.instrumentation;
    if (asked === undefined || asked === false) return;
    const { StructSyncInstrumentation } = loadObservability('StructSyncModule.forRoot({ instrumentation })');
    // The constructor enables it (OpenTelemetry's convention), on the global providers unless the config names others.
    this.instrumentation = new StructSyncInstrumentation(asked === true ? {} : asked);
  }

  onApplicationShutdown(): void {
    this.instrumentation?.disable();
    this.instrumentation = undefined;
  }
}
