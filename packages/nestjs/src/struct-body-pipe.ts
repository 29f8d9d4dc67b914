// The pipe behind @StructBody: an octet-stream body becomes views over its bytes, a JSON body is
// converted with fromMap into pooled records that are released when the response closes.
import { HttpException, HttpStatus, Inject, Injectable, Optional, type ArgumentMetadata, type PipeTransform } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { fromMap, layoutOf, toMap, type FromMapOptions, type Pool, type StructClass } from '@structsync/core';
import { viewsOfBytes } from './binary-body';
import { bodyException, invalidBody } from './body-errors';
import { STRUCTSYNC_OPTIONS } from './module-definition';
import { DEFAULT_MAX_ITEMS, type StructBodyOptions, type StructSyncModuleOptions } from './options';
import { releaseAll, releaseOnClose, nodeResponse, type ClosableResponse } from './release-on-close';
import { getPoolToken } from './tokens';

/** What @StructBody records on the parameter. */
export interface StructBodySpec {
  readonly type: StructClass;
  readonly many: boolean;
  readonly options: StructBodyOptions;
}

/** What @StructBody's parameter factory hands the pipe: the request and the response. */
export interface StructBodyExchange {
  readonly request: { readonly body?: unknown };
  readonly response: unknown;
}

/** A spec's options merged with forRoot's, resolved once per parameter. */
interface ResolvedBody {
  readonly fromMap: FromMapOptions;
  readonly maxItems: number;
  readonly validate: boolean;
}

@Injectable()
export class StructBodyPipe implements PipeTransform<StructBodyExchange, object> {
  readonly #pools = new Map<StructClass, Pool<object>>();
  readonly #resolved = new WeakMap<StructBodySpec, ResolvedBody>();

  constructor(
    @Inject(ModuleRef) private readonly moduleRef: ModuleRef,
    @Optional() @Inject(STRUCTSYNC_OPTIONS) private readonly rootOptions: StructSyncModuleOptions | undefined,
  ) {}

  transform(exchange: StructBodyExchange, metadata: ArgumentMetadata): object {
    const spec = metadata.data as unknown as StructBodySpec;
    const options = this.#resolve(spec);
    const body = exchange.request.body;
    const response = nodeResponse(exchange.response);
    if (body instanceof Uint8Array) return this.#fromBytes(spec, options, body, response);
    if (typeof body === 'object' && body !== null) return this.#fromJson(spec, options, body, response);
    throw new HttpException(
      { statusCode: HttpStatus.UNSUPPORTED_MEDIA_TYPE, message: `${layoutOf(spec.type).name}: send the body as application/json or application/octet-stream` },
      HttpStatus.UNSUPPORTED_MEDIA_TYPE,
    );
  }

  #fromBytes(spec: StructBodySpec, options: ResolvedBody, body: Uint8Array, response: ClosableResponse): object {
    const views = viewsOfBytes(spec.type, body, spec.many, options.maxItems, options.fromMap.tag);
    if (options.validate) this.#validate(spec, options, views, response);
    return spec.many ? views : views[0]!;
  }

  /** class-validator's rules for binary bodies: each record's map through fromMap with validate, into a scratch slot. */
  #validate(spec: StructBodySpec, options: ResolvedBody, views: readonly object[], response: ClosableResponse): void {
    const pool = this.#pool(spec.type);
    const scratch = this.#acquire(pool, response);
    try {
      const tag = options.fromMap.tag === undefined ? {} : { tag: options.fromMap.tag };
      for (let i = 0; i < views.length; i++) {
        try {
          fromMap(scratch, toMap(views[i]!, tag), options.fromMap);
        } catch (error) {
          throw bodyException(error, spec.many ? i : undefined);
        }
      }
    } finally {
      releaseAll(pool, [scratch]);
    }
  }

  #fromJson(spec: StructBodySpec, options: ResolvedBody, body: object, response: ClosableResponse): object {
    const { type, many } = spec;
    const name = layoutOf(type).name;
    if (many && !Array.isArray(body)) throw invalidBody(name, `expected a JSON array of ${name} objects`);
    const maps: readonly unknown[] = many ? (body as unknown[]) : [body];
    if (maps.length > options.maxItems) throw invalidBody(name, `a body may hold at most ${options.maxItems} records, got ${maps.length}`);
    const pool = this.#pool(type);
    const records: object[] = [];
    try {
      for (let i = 0; i < maps.length; i++) {
        const record = this.#acquire(pool, response);
        records.push(record);
        try {
          fromMap(record, maps[i] as object, options.fromMap);
        } catch (error) {
          throw bodyException(error, many ? i : undefined);
        }
      }
    } catch (error) {
      releaseAll(pool, records);
      throw error;
    }
    releaseOnClose(response, pool, records);
    return many ? records : records[0]!;
  }

  #acquire(pool: Pool<object>, response: ClosableResponse): object {
    // A client that has gone would never close its response again: nothing must be taken for it.
    if (response.closed) throw new HttpException({ statusCode: 499, message: 'the client closed the connection' }, 499);
    try {
      return pool.acquire();
    } catch (error) {
      throw bodyException(error);
    }
  }

  /** The pool forFeature registered for `type`: in this module first, else anywhere in the app. */
  #pool(type: StructClass): Pool<object> {
    let pool = this.#pools.get(type);
    if (pool === undefined) {
      const token = getPoolToken(type);
      try {
        pool = this.#lookUp(token, true) ?? this.moduleRef.get<Pool<object>>(token, { strict: false });
      } catch (cause) {
        const name = layoutOf(type).name;
        throw new Error(`@StructBody(${name}) takes JSON bodies into pooled records: import StructSyncModule.forFeature([${name}])`, { cause });
      }
      this.#pools.set(type, pool);
    }
    return pool;
  }

  #lookUp(token: symbol, strict: boolean): Pool<object> | undefined {
    try {
      return this.moduleRef.get<Pool<object>>(token, { strict });
    } catch {
      return undefined;
    }
  }

  #resolve(spec: StructBodySpec): ResolvedBody {
    let resolved = this.#resolved.get(spec);
    if (resolved === undefined) {
      const merged: StructBodyOptions = { tag: 'json', ...this.rootOptions?.body, ...spec.options };
      const { maxItems = DEFAULT_MAX_ITEMS, ...rest } = merged;
      const fromMapOptions: FromMapOptions = Object.freeze({ ...rest });
      resolved = { fromMap: fromMapOptions, maxItems, validate: merged.validate === true };
      this.#resolved.set(spec, resolved);
    }
    return resolved;
  }
}
