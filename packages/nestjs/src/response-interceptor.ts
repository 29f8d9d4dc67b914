// Sends what a handler returns, when it is a view or an array of views, as JSON under the json
// tag names (64-bit integers as decimal strings) or, for Accept: application/octet-stream, as the
// records' bytes back to back. Anything else passes through untouched. useStructBodies does the
// same below NestJS (a Fastify hook, an Express middleware) without the cost of an interceptor.
import { Inject, Injectable, StreamableFile, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { map, type Observable } from 'rxjs';
import { prefersBytes } from './accept';
import { recordBytes, recordsIn } from './record-bytes';

@Injectable()
export class StructResponseInterceptor implements NestInterceptor {
  constructor(@Inject(HttpAdapterHost) private readonly adapterHost: HttpAdapterHost) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const http = context.switchToHttp();
    const request = http.getRequest<{ headers: Record<string, string | string[] | undefined> }>();
    const response = http.getResponse<unknown>();
    return next.handle().pipe(map((value: unknown) => this.#send(value, request.headers.accept, response)));
  }

  #send(value: unknown, accept: string | string[] | undefined, response: unknown): unknown {
    const records = recordsIn(value);
    if (records === undefined) return value;
    const adapter = this.adapterHost.httpAdapter;
    if (prefersBytes(accept)) {
      const bytes = recordBytes(records);
      adapter.setHeader(response, 'Content-Type', 'application/octet-stream');
      // Fastify sends a Buffer as it is; NestJS's Express adapter would JSON-encode one, so
      // Express gets it as a StreamableFile.
      return adapter.getType() === 'fastify' ? bytes : new StreamableFile(bytes, { type: 'application/octet-stream', length: bytes.byteLength });
    }
    adapter.setHeader(response, 'Content-Type', 'application/json; charset=utf-8');
    return JSON.stringify(value);
  }
}
