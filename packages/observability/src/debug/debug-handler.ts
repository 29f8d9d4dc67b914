// The `net/http/pprof` of structsync: a Node (req, res) handler the user mounts, serving
// /debug/structsync/{profile,heap,contention,trace,stats}. Guarded: a bearer token, loopback
// callers only unless allowRemote, one CPU profile at a time, bounded durations; every refusal is
// a 4xx with a JSON body { code, message }.
import { timingSafeEqual, createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { StructSyncError } from '@structsync/core';
import { captureCpuProfile, cpuProfileRunning, cpuProfileToPprof } from '../profiling/cpu-profile.js';
import { captureHeapProfile } from '../profiling/heap-profile.js';
import { ContentionProfiler } from '../profiling/contention-profile.js';
import { RuntimeStatsCollector } from '../profiling/runtime-stats.js';
import type { TraceLog } from '../trace-log/trace-log.js';

export interface DebugHandlerOptions {
  /** Required, at least 16 characters: callers send `Authorization: Bearer <token>`. */
  readonly token: string;
  /** Serve callers that are not on the loopback interface (default false). */
  readonly allowRemote?: boolean;
  /** The longest `seconds` a profile may ask for (default 60). */
  readonly maxSeconds?: number;
  /** The path the handler answers under (default '/debug/structsync'). */
  readonly prefix?: string;
  /** The sync trace log to serve at `trace` (StructSyncInstrumentation's `traceLog`). */
  readonly traceLog?: TraceLog;
  /** The contention profiler to serve (default: one started now, counting this thread's commits). */
  readonly contention?: ContentionProfiler;
}

export type DebugHandler = ((req: IncomingMessage, res: ServerResponse) => void) & {
  /** Stops the contention profiler and the runtime statistics this handler started. */
  close(): void;
};

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

export function createDebugHandler(options: DebugHandlerOptions): DebugHandler {
  const { token, allowRemote = false, maxSeconds = 60, prefix = '/debug/structsync', traceLog } = checkOptions(options);
  const expected = digest(`Bearer ${token}`);
  const ownContention = options.contention === undefined;
  const contention = options.contention ?? new ContentionProfiler();
  contention.start();
  const runtime = new RuntimeStatsCollector();
  runtime.start();

  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (!url.pathname.startsWith(`${prefix}/`) && url.pathname !== prefix) return refuse(res, 404, 'NOT_FOUND', `nothing at ${url.pathname}`);
    if (!allowRemote && !LOOPBACK.has(req.socket.remoteAddress ?? '')) {
      return refuse(res, 403, 'FORBIDDEN', 'the debug handler serves loopback callers only (createDebugHandler({ allowRemote: true }) to change that)');
    }
    const given = req.headers.authorization;
    if (given === undefined || !timingSafeEqual(digest(given), expected)) {
      res.setHeader('WWW-Authenticate', 'Bearer');
      return refuse(res, 401, 'UNAUTHORIZED', 'send Authorization: Bearer <token>');
    }
    if (req.method !== 'GET') {
      res.setHeader('Allow', 'GET');
      return refuse(res, 405, 'METHOD_NOT_ALLOWED', `${req.method ?? ''} is not served; use GET`);
    }
    const name = url.pathname.slice(prefix.length).replace(/^\/+/, '');
    const route = routes[name];
    if (route === undefined) return refuse(res, 404, 'NOT_FOUND', `no ${JSON.stringify(name)} here; try ${Object.keys(routes).join(', ')}`);
    route(url.searchParams, res).catch((error: unknown) => {
      if (!res.headersSent) refuse(res, 500, 'INTERNAL', error instanceof Error ? error.message : String(error));
      else res.destroy();
    });
  };

  const seconds = (params: URLSearchParams, fallback: number, res: ServerResponse): number | undefined => {
    const raw = params.get('seconds');
    const value = raw === null ? fallback : Number(raw);
    if (!(Number.isFinite(value) && value > 0 && value <= maxSeconds)) {
      refuse(res, 400, 'INVALID_SECONDS', `seconds must be a number above 0 and at most ${maxSeconds}, got ${JSON.stringify(raw)}`);
      return undefined;
    }
    return value;
  };

  const routes: Record<string, (params: URLSearchParams, res: ServerResponse) => Promise<void>> = {
    async profile(params, res) {
      const format = params.get('format') ?? 'pprof';
      if (format !== 'pprof' && format !== 'cpuprofile') return refuse(res, 400, 'INVALID_FORMAT', `format must be pprof or cpuprofile, got ${JSON.stringify(format)}`);
      const span = seconds(params, Math.min(30, maxSeconds), res);
      if (span === undefined) return;
      if (cpuProfileRunning()) return refuse(res, 409, 'PROFILE_RUNNING', 'a CPU profile is already being taken; try again when it ends');
      const profile = await captureCpuProfile(span);
      if (format === 'cpuprofile') return send(res, 'application/json', JSON.stringify(profile), 'structsync.cpuprofile');
      send(res, 'application/octet-stream', cpuProfileToPprof(profile), 'cpu.pb.gz');
    },
    async heap(params, res) {
      const span = seconds(params, Math.min(10, maxSeconds), res);
      if (span === undefined) return;
      send(res, 'application/octet-stream', await captureHeapProfile(span), 'heap.pb.gz');
    },
    async contention(_params, res) {
      send(res, 'application/octet-stream', contention.profile(), 'contention.pb.gz');
    },
    async trace(_params, res) {
      if (traceLog === undefined) return refuse(res, 404, 'NO_TRACE_LOG', 'no trace log: pass createDebugHandler({ traceLog: instrumentation.traceLog })');
      send(res, 'application/x-ndjson', traceLog.toJSONLines());
    },
    async stats(_params, res) {
      send(res, 'application/json', JSON.stringify(runtime.stats()));
    },
  };

  return Object.assign(handler, {
    close(): void {
      if (ownContention) contention.stop();
      runtime.stop();
    },
  });
}

/** Hashes first so that timingSafeEqual compares equal lengths whatever the caller sent. */
function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

function send(res: ServerResponse, type: string, body: string | Buffer, filename?: string): void {
  res.statusCode = 200;
  res.setHeader('Content-Type', type);
  res.setHeader('Cache-Control', 'no-store');
  if (filename !== undefined) res.setHeader('Content-Disposition', `attachment; filename="${filename}"`);
  res.end(body);
}

function refuse(res: ServerResponse, status: number, code: string, message: string): void {
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json');
  res.setHeader('Cache-Control', 'no-store');
  res.end(JSON.stringify({ code, message }));
}

function checkOptions(options: DebugHandlerOptions): DebugHandlerOptions {
  const bad = (message: string): never => {
    throw new StructSyncError('INVALID_OPTION', `createDebugHandler: ${message}`);
  };
  if (typeof options !== 'object' || options === null) bad('options must be an object like { token }');
  if (typeof options.token !== 'string' || options.token.length < 16) bad('token must be a string of at least 16 characters');
  if (options.allowRemote !== undefined && typeof options.allowRemote !== 'boolean') bad('allowRemote must be true or false');
  const max = options.maxSeconds;
  if (max !== undefined && !(typeof max === 'number' && Number.isFinite(max) && max > 0)) bad('maxSeconds must be a positive number');
  if (options.prefix !== undefined && !(typeof options.prefix === 'string' && options.prefix.startsWith('/'))) bad("prefix must be a path starting with '/'");
  return options;
}
