// StructSyncDebugModule.register({ token }): mounts @structsync/observability's debug handler
// (CPU, heap and contention profiles, the sync trace log, runtime stats) under
// /debug/structsync on the app's HTTP adapter, Express or Fastify. Opt-in; guarded by the
// handler itself: a bearer token, loopback callers only unless allowRemote.
import { type DynamicModule, Inject, Injectable, Module, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { loadObservability } from './observability';

export interface StructSyncDebugOptions {
  /** At least 16 characters; callers send `Authorization: Bearer <token>`. */
  readonly token: string;
  /** Serve non-loopback callers too (default false). */
  readonly allowRemote?: boolean;
  /** The longest profile a caller may ask for, in seconds (default 60). */
  readonly maxSeconds?: number;
  /** Where it answers (default '/debug/structsync'). */
  readonly path?: string;
  /** The sync trace log to serve at `trace` (a StructSyncInstrumentation's `traceLog`). */
  readonly traceLog?: object;
}

const DEBUG_OPTIONS = Symbol('structsync:debug-options');

type Handler = ((req: IncomingMessage, res: ServerResponse) => void) & { close(): void };

@Injectable()
class DebugMount implements OnModuleInit, OnApplicationShutdown {
  private handler: Handler | undefined;

  constructor(
    @Inject(DEBUG_OPTIONS) private readonly options: StructSyncDebugOptions,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  // OnModuleInit runs after NestJS registered its routes and before its 404 handler: a request
  // under the path that no route took reaches this middleware.
  onModuleInit(): void {
    const { createDebugHandler } = loadObservability('StructSyncDebugModule');
    const prefix = this.options.path ?? '/debug/structsync';
    const handler = createDebugHandler({ ...this.options, prefix }) as Handler;
    this.handler = handler;
    const adapter = this.adapterHost.httpAdapter;
    if (adapter === undefined) return;
    const mine = (url: string | undefined): boolean => url !== undefined && (url === prefix || url.startsWith(`${prefix}/`) || url.startsWith(`${prefix}?`));
    const instance = adapter.getInstance() as {
      addHook?: (name: string, hook: (req: { raw: IncomingMessage }, reply: { hijack(): void; raw: ServerResponse }, done: () => void) => void) => void;
      use?: (middleware: (req: IncomingMessage, res: ServerResponse, next: () => void) => void) => void;
    };
    if (adapter.getType() === 'fastify' && instance.addHook !== undefined) {
      instance.addHook('onRequest', (req, reply, done) => {
        if (!mine(req.raw.url)) return done();
        reply.hijack();
        handler(req.raw, reply.raw);
      });
    } else {
      instance.use?.((req, res, next) => (mine(req.url) ? handler(req, res) : next()));
    }
  }

  onApplicationShutdown(): void {
    this.handler?.close();
  }
}

@Module({})
export class StructSyncDebugModule {
  static register(options: StructSyncDebugOptions): DynamicModule {
    return { module: StructSyncDebugModule, providers: [{ provide: DEBUG_OPTIONS, useValue: options }, DebugMount] };
  }
}
