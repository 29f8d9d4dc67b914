// @StructBody(Order) / @StructBody([Order]): the request body as a view (or views) of the struct.
import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { StructClass } from '@structsync/core';
import type { StructBodyOptions } from './options';
import { StructBodyPipe, type StructBodyExchange, type StructBodySpec } from './struct-body-pipe';

const structBodyParameter = createParamDecorator((_spec: StructBodySpec, context: ExecutionContext): StructBodyExchange => {
  const http = context.switchToHttp();
  return { request: http.getRequest(), response: http.getResponse() };
});

/**
 * The request body as a view of `type` (`[type]`: an array of views). An application/octet-stream
 * body is read in place (its length must be the struct's size, or a multiple of it for an array);
 * a JSON body goes through fromMap into pooled records (StructSyncModule.forFeature([type]) must
 * be imported) that are released when the response closes. Bad input is a 400 `{ code, path, message }`.
 */
export function StructBody<T extends object>(type: StructClass<T> | readonly [StructClass<T>], options: StructBodyOptions = {}): ParameterDecorator {
  const many = Array.isArray(type);
  const struct = (many ? type[0] : type) as StructClass | undefined;
  if (typeof struct !== 'function' || (many && type.length !== 1)) {
    throw new TypeError('@StructBody takes a struct class, or an array holding exactly one: @StructBody(Order) or @StructBody([Order])');
  }
  const spec: StructBodySpec = Object.freeze({ type: struct, many, options: Object.freeze({ ...options }) });
  return structBodyParameter(spec, StructBodyPipe);
}
