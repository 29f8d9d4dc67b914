// pnpm bench:api — the seed's API benchmark: examples/nest-api in a process of its own, driven by
// autocannon (16 connections, ~10 s per line) on each endpoint and both adapters in one run:
// POST /classic/orders (ValidationPipe + class-validator DTO, JSON) next to POST /orders with a
// JSON body and with a binary one. The bodies are 64 different orders (3.7–3.8 KB of JSON, 3,032
// bytes binary) sent in turn. Each line reports requests/s, p50/p99 latency, the server's peak RSS
// and its GC pauses during the line; the ratios compare lines of the same adapter and run.
import autocannon from 'autocannon';
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ProbeReading } from './api-probe.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const app = join(root, 'examples/dist/nest-api');
const probe = fileURLToPath(new URL('./api-probe.js', import.meta.url));
const seconds = Number(process.env.BENCH_API_SECONDS ?? 10);
const warmupSeconds = Math.max(1, Math.round(seconds / 4));
const connections = 16;
const BODIES = 64;
const ROUNDS = 5;

interface Endpoint {
  readonly name: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly bodies: readonly (string | Buffer)[];
}

interface Line {
  readonly adapter: string;
  readonly endpoint: string;
  readonly requestsPerSecond: number;
  readonly p50: number;
  readonly p99: number;
  readonly failed: number;
  readonly gcCount: number;
  readonly gcTotalMs: number;
  readonly gcMaxMs: number;
  readonly rssMaxBytes: number;
  /** Server CPU time per request (user + system), µs: what throughput would be on a core of its own. */
  readonly cpuMicrosPerRequest: number;
}

/** What one endpoint has gathered over its segments. */
class Tally {
  requests = 0;
  seconds = 0;
  failed = 0;
  readonly latencies: number[] = [];
  gcCount = 0;
  gcTotalMs = 0;
  gcMaxMs = 0;
  rssMaxBytes = 0;
  cpuMicros = 0;

  add(result: autocannon.Result, latencies: readonly number[], reading: ProbeReading): void {
    this.requests += result.requests.total;
    this.seconds += result.duration;
    this.failed += result.non2xx + result.errors;
    for (const latency of latencies) this.latencies.push(latency);
    this.gcCount += reading.gcCount;
    this.gcTotalMs += reading.gcTotalMs;
    this.gcMaxMs = Math.max(this.gcMaxMs, reading.gcMaxMs);
    this.rssMaxBytes = Math.max(this.rssMaxBytes, reading.rssMaxBytes);
    this.cpuMicros += reading.cpuMicros;
  }

  line(adapter: string, endpoint: string): Line {
    const sorted = this.latencies.sort((a, b) => a - b);
    const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
    return {
      adapter,
      endpoint,
      requestsPerSecond: this.requests / this.seconds,
      p50: at(0.5),
      p99: at(0.99),
      failed: this.failed,
      gcCount: this.gcCount,
      gcTotalMs: this.gcTotalMs,
      gcMaxMs: this.gcMaxMs,
      rssMaxBytes: this.rssMaxBytes,
      cpuMicrosPerRequest: this.cpuMicros / this.requests,
    };
  }
}

interface Server {
  readonly child: ChildProcess;
  readonly url: string;
  ask(message: 'reset' | 'read'): Promise<unknown>;
}

async function startServer(adapter: string): Promise<Server> {
  const child = fork(join(app, 'main.js'), [], {
    env: { ...process.env, PORT: '0', ADAPTER: adapter },
    execArgv: ['--import', probe],
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /^listening on (http:\/\/127\.0\.0\.1:\d+)$/m.exec(output);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`the ${adapter} app exited (${code}):\n${output}`)));
  });
  const ask = async (message: 'reset' | 'read'): Promise<unknown> => {
    const reply = once(child, 'message');
    child.send(message);
    return (await reply)[0];
  };
  return { child, url, ask };
}

/** Each endpoint must answer its bodies correctly before it is measured. */
async function check(url: string, endpoint: Endpoint, expected: (i: number) => string | Buffer): Promise<void> {
  for (const i of [0, BODIES - 1]) {
    const response = await fetch(url + endpoint.path, { method: 'POST', headers: endpoint.headers, body: endpoint.bodies[i]! });
    const body = Buffer.from(await response.arrayBuffer());
    const want = expected(i);
    const same = typeof want === 'string' ? JSON.stringify(JSON.parse(body.toString())) === want : body.equals(want);
    if (response.status !== 200 || !same) throw new Error(`${endpoint.name} did not echo order ${i}: ${response.status} ${body.toString().slice(0, 200)}`);
  }
}

/** One autocannon run; resolves with its result and every response time (ms) it saw. */
async function load(url: string, endpoint: Endpoint, duration: number): Promise<{ result: autocannon.Result; latencies: number[] }> {
  let next = 0;
  const latencies: number[] = [];
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: url + endpoint.path,
        connections,
        duration,
        requests: [
          {
            method: 'POST',
            headers: endpoint.headers,
            setupRequest: (request) => ({ ...request, body: endpoint.bodies[next++ % BODIES]! }),
          },
        ],
      },
      (error, done) => (error ? reject(error) : resolve(done)),
    );
    instance.on('response', (_client, _status, _bytes, responseTime) => latencies.push(responseTime));
  });
  return { result, latencies };
}

/**
 * Each endpoint gets `rounds` segments, taken in turn (the order rotating each round), so that a
 * burst of load from elsewhere on the machine falls on every endpoint alike rather than on one line.
 */
async function measure(adapter: string, endpoints: readonly Endpoint[], expected: Map<string, (i: number) => string | Buffer>): Promise<Line[]> {
  const server = await startServer(adapter);
  try {
    for (const endpoint of endpoints) await check(server.url, endpoint, expected.get(endpoint.name)!);
    for (const endpoint of endpoints) await load(server.url, endpoint, warmupSeconds);
    const tallies = endpoints.map(() => new Tally());
    for (let round = 0; round < ROUNDS; round++) {
      for (let k = 0; k < endpoints.length; k++) {
        const index = (round + k) % endpoints.length;
        await server.ask('reset');
        const { result, latencies } = await load(server.url, endpoints[index]!, seconds / ROUNDS);
        const { reading } = (await server.ask('read')) as { reading: ProbeReading };
        tallies[index]!.add(result, latencies, reading);
      }
    }
    const lines = endpoints.map((endpoint, i) => tallies[i]!.line(adapter, endpoint.name));
    for (const line of lines) process.stderr.write(`${adapter} ${line.endpoint}: ${Math.round(line.requestsPerSecond)} req/s, ${Math.round(line.cpuMicrosPerRequest)} µs CPU/request\n`);
    return lines;
  } finally {
    server.child.kill();
  }
}

async function main(): Promise<void> {
  const { sampleOrder } = (await import(join(app, 'structs.js'))) as { sampleOrder: (n: number) => object };
  const orders = Array.from({ length: BODIES }, (_, i) => sampleOrder(i));
  const json = orders.map((order) => JSON.stringify(order));
  // The binary bodies are what the API itself encodes, fetched from a server started for that.
  const encoder = await startServer('fastify');
  const binary = await Promise.all(
    json.map(async (body) => {
      const response = await fetch(`${encoder.url}/orders`, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/octet-stream' }, body });
      return Buffer.from(await response.arrayBuffer());
    }),
  );
  encoder.child.kill();
  const jsonHeaders = { 'content-type': 'application/json' };
  const endpoints: Endpoint[] = [
    { name: 'POST /classic/orders (JSON)', path: '/classic/orders', headers: jsonHeaders, bodies: json },
    { name: 'POST /orders (JSON)', path: '/orders', headers: jsonHeaders, bodies: json },
    { name: 'POST /orders (binary)', path: '/orders', headers: { 'content-type': 'application/octet-stream', accept: 'application/octet-stream' }, bodies: binary },
  ];
  const echo = (i: number): string => JSON.stringify({ ...orders[i], id: String((orders[i] as { id: number }).id) });
  const expected = new Map<string, (i: number) => string | Buffer>([
    [endpoints[0]!.name, (i) => json[i]!],
    [endpoints[1]!.name, echo],
    [endpoints[2]!.name, (i) => binary[i]!],
  ]);
  const lines: Line[] = [];
  for (const adapter of ['fastify', 'express']) lines.push(...(await measure(adapter, endpoints, expected)));
  console.log(report(lines));
}

function report(lines: readonly Line[]): string {
  const out = [
    `API benchmark: autocannon, ${connections} connections, ${seconds} s per line in ${ROUNDS} interleaved segments (after ${warmupSeconds} s of warm-up per endpoint), Node ${process.version}`,
    '',
    '| adapter | endpoint | req/s | vs classic | p50 ms | p99 ms | server CPU µs/req | vs classic | server RSS peak | GC pauses (count, total, max) | failed |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---|---:|',
  ];
  const floors: string[] = [];
  for (const line of lines) {
    const classic = lines.find((l) => l.adapter === line.adapter && l.endpoint.startsWith('POST /classic'))!;
    const ratio = line.requestsPerSecond / classic.requestsPerSecond;
    const cpuRatio = classic.cpuMicrosPerRequest / line.cpuMicrosPerRequest;
    const times = (x: number): string => (line === classic ? '1×' : `${x.toFixed(2)}×`);
    out.push(
      `| ${line.adapter} | ${line.endpoint} | ${Math.round(line.requestsPerSecond)} | ${times(ratio)} | ${line.p50.toFixed(1)} | ${line.p99.toFixed(1)} | ` +
        `${Math.round(line.cpuMicrosPerRequest)} | ${times(cpuRatio)} | ${(line.rssMaxBytes / 2 ** 20).toFixed(0)} MB | ` +
        `${line.gcCount}, ${line.gcTotalMs.toFixed(0)} ms, ${line.gcMaxMs.toFixed(1)} ms | ${line.failed} |`,
    );
    if (line !== classic) {
      const floor = line.endpoint.includes('binary') ? 5 : 2;
      const met = ratio >= floor && line.p99 < classic.p99;
      floors.push(
        `${line.adapter} ${line.endpoint}: ${ratio.toFixed(2)}× the req/s of classic (floor ${floor}×; ${cpuRatio.toFixed(2)}× less server CPU per request), ` +
          `p99 ${line.p99.toFixed(1)} vs ${classic.p99.toFixed(1)} ms: ${met ? 'met' : 'NOT met'}`,
      );
    }
  }
  return [...out, '', ...floors].join('\n');
}

await main();
