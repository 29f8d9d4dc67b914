// Bad bodies become 400s carrying the library's error code and the dotted field path; anything
// else a body can run into (an exhausted pool) is the server's problem, not the client's.
import { BadRequestException, HttpException, HttpStatus } from '@nestjs/common';
import { StructSyncError, ValueError } from '@structsync/core';

/** The JSON body of a refused request body. */
export interface StructBodyErrorResponse {
  readonly statusCode: number;
  /** The library's error code (UNKNOWN_KEY, OUT_OF_RANGE, INVALID_INPUT, …). */
  readonly code: string;
  /** The dotted path of the field at fault ('' for the body as a whole; `3.qty` is element 3 of an array body). */
  readonly path: string;
  readonly message: string;
}

/** The HTTP exception for an error raised while reading a body; `prefix` is the element index of an array body. */
export function bodyException(error: unknown, prefix?: number): HttpException {
  if (!(error instanceof StructSyncError)) throw error;
  const path = joinPath(prefix, error.field);
  const status = error.code === 'POOL_EXHAUSTED' ? HttpStatus.SERVICE_UNAVAILABLE : HttpStatus.BAD_REQUEST;
  const body: StructBodyErrorResponse = { statusCode: status, code: error.code, path, message: error.message };
  return status === HttpStatus.BAD_REQUEST ? new BadRequestException(body, { cause: error }) : new HttpException(body, status, { cause: error });
}

/** A 400 for a body that is wrong as a whole (its length, its shape), with code INVALID_INPUT. */
export function invalidBody(struct: string, message: string): HttpException {
  return bodyException(new ValueError('INVALID_INPUT', `${struct}: ${message}`, { struct }));
}

function joinPath(prefix: number | undefined, field: string | undefined): string {
  if (prefix === undefined) return field ?? '';
  return field === undefined || field === '' ? String(prefix) : `${prefix}.${field}`;
}
