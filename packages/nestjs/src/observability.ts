// @structsync/observability is an optional peer: loaded only when the app asks for it, so apps
// without it run unchanged, and one that asks without installing it is told what to install.
import { StructSyncError } from '@structsync/core';

/** What this package uses of @structsync/observability (typed here: that package is ES modules, this one CommonJS). */
export interface ObservabilityPackage {
  StructSyncInstrumentation: new (config?: object) => { enable(): void; disable(): void };
  createDebugHandler(options: object): ((req: unknown, res: unknown) => void) & { close(): void };
}

export function loadObservability(asked: string): ObservabilityPackage {
  try {
    // require() of an ES module: Node >= 20.19 loads it (this package's engines say so).
    return require('@structsync/observability') as ObservabilityPackage;
  } catch (error) {
    const missing = (error as { code?: string }).code === 'MODULE_NOT_FOUND' && String((error as Error).message).includes('@structsync/observability');
    if (!missing) throw error;
    throw new StructSyncError('INVALID_OPTION', `${asked} needs @structsync/observability: npm i @structsync/observability @opentelemetry/api @opentelemetry/api-logs`, { cause: error });
  }
}
