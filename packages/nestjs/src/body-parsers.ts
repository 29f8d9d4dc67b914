// Lets application/octet-stream bodies reach @StructBody as Buffers, on either HTTP adapter.
import type { INestApplication } from '@nestjs/common';

export interface StructBodyParserOptions {
  /** Largest binary body accepted, in bytes; a larger one is a 413. Default 1 MiB. */
  readonly limit?: number;
}

/**
 * Registers a parser that reads application/octet-stream bodies into one Buffer. Call it before
 * `app.listen()`/`app.init()`. Express: `express.raw`; Fastify: a `parseAs: 'buffer'` content-type
 * parser (registered on Fastify itself, so NestJS still registers its own JSON parser).
 */
export function useStructBodies(app: INestApplication, options: StructBodyParserOptions = {}): void {
  const limit = options.limit ?? 1024 * 1024;
  const adapter = app.getHttpAdapter();
  const type = adapter.getType();
  if (type === 'express') {
    (app as unknown as { useBodyParser(type: string, options: object): unknown }).useBodyParser('raw', { type: 'application/octet-stream', limit });
  } else if (type === 'fastify') {
    type Done = (error: Error | null, body?: Buffer) => void;
    const fastify = adapter.getInstance() as { addContentTypeParser(type: string, options: object, parser: (request: unknown, body: Buffer, done: Done) => void): void };
    fastify.addContentTypeParser('application/octet-stream', { parseAs: 'buffer', bodyLimit: limit }, (_request, body, done) => done(null, body));
  } else {
    throw new Error(`useStructBodies: the ${type} adapter is not supported (express and fastify are)`);
  }
}
