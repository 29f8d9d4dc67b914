// Wires structsync into the app's HTTP adapter, below NestJS: application/octet-stream request
// bodies arrive as one Buffer, and views a handler returns go out as bytes when the client's
// Accept prefers application/octet-stream (as JSON, by their toJSON, otherwise). This is what
// StructResponseInterceptor does, without NestJS's interceptor machinery, which costs more per
// request on Node 20 (an AsyncResource and an rxjs pipeline each) than the binary path itself.
import type { INestApplication } from '@nestjs/common';
import { prefersBytes } from './accept';
import { recordBytes, recordsIn } from './record-bytes';

export interface StructBodiesOptions {
  /** Largest binary body accepted, in bytes; a larger one is a 413. Default 1 MiB. */
  readonly limit?: number;
}

type Done = (error: Error | null, value?: unknown) => void;

interface FastifyLike {
  addContentTypeParser(type: string, options: object, parser: (request: unknown, body: Buffer, done: Done) => void): void;
  addHook(name: 'preSerialization', hook: (request: { headers: Record<string, string | string[] | undefined> }, reply: FastifyReplyLike, payload: unknown, done: Done) => void): void;
}

interface FastifyReplyLike {
  header(name: string, value: string): unknown;
  serializer(serialize: (payload: unknown) => unknown): unknown;
}

interface ExpressResponseLike {
  readonly req: { readonly headers: Record<string, string | string[] | undefined> };
  json(value: unknown): unknown;
  setHeader(name: string, value: string): unknown;
  end(body: Buffer): unknown;
}

/** The app's own response prototype (`app.response`), from which Express makes every response. */
interface ExpressAppLike {
  readonly response: ExpressResponseLike;
}

/**
 * Call it before `app.listen()` / `app.init()`. Express: `express.raw` for the bodies, and the
 * app's `res.json` taking views first for the responses; Fastify: a `parseAs: 'buffer'`
 * content-type parser (on Fastify itself, so NestJS still registers its own JSON parser) and a
 * preSerialization hook.
 */
export function useStructBodies(app: INestApplication, options: StructBodiesOptions = {}): void {
  const limit = options.limit ?? 1024 * 1024;
  const adapter = app.getHttpAdapter();
  const type = adapter.getType();
  if (type === 'fastify') {
    const fastify = adapter.getInstance() as FastifyLike;
    fastify.addContentTypeParser('application/octet-stream', { parseAs: 'buffer', bodyLimit: limit }, (_request, body, done) => done(null, body));
    fastify.addHook('preSerialization', (request, reply, payload, done) => {
      const records = prefersBytes(request.headers.accept) ? recordsIn(payload) : undefined;
      if (records === undefined) return done(null, payload);
      reply.header('content-type', 'application/octet-stream');
      // The serializer turns the payload into what is sent; a Buffer goes out as it is.
      reply.serializer(identity);
      done(null, recordBytes(records));
    });
  } else if (type === 'express') {
    (app as unknown as { useBodyParser(type: string, options: object): unknown }).useBodyParser('raw', { type: 'application/octet-stream', limit });
    // NestJS's Express adapter sends every object with res.json: this app's json takes views first.
    // Set once on the app's response prototype, not per request by a middleware (a router layer
    // and a closure per request, ~5% of a binary request's CPU).
    const prototype = (adapter.getInstance() as ExpressAppLike).response;
    prototype.json = jsonOrBytes(prototype.json);
  } else {
    throw new Error(`useStructBodies: the ${type} adapter is not supported (express and fastify are)`);
  }
}

function identity(payload: unknown): unknown {
  return payload;
}

function jsonOrBytes(json: (value: unknown) => unknown): (this: ExpressResponseLike, value: unknown) => unknown {
  return function structResponse(this: ExpressResponseLike, value: unknown): unknown {
    const records = prefersBytes(this.req.headers.accept) ? recordsIn(value) : undefined;
    if (records === undefined) return json.call(this, value);
    // Written as is: res.send would hash the body for an ETag (SHA-1 of ~3 KB, a few µs) and
    // look the type up, neither of which a record's bytes need.
    const body = recordBytes(records);
    this.setHeader('content-type', 'application/octet-stream');
    this.setHeader('content-length', String(body.length));
    this.end(body);
    return this;
  };
}
