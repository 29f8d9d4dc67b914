// examples/nest-api over real HTTP on a loopback port, on both adapters: the example is started as
// a user starts it (`node examples/dist/nest-api/main.js`), every route is exercised, bad input
// must be a 4xx naming its code and path, and no request — good, bad or abandoned mid-body —
// may leave a pooled record behind (GET /debug/pool back to inUse 0).
import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { connect } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = join(root, 'examples/dist/nest-api');

type OrderMap = {
  id: number;
  customer: { id: number; name: string; email: string; tier: number };
  items: { sku: string; title: string; qty: number; price: number; discount: number }[];
  note: string;
};
let sampleOrder: (n: number) => OrderMap;

beforeAll(async () => {
  ({ sampleOrder } = (await import(join(dist, 'structs.js'))) as { sampleOrder: typeof sampleOrder });
});

/** Starts the example; resolves with its base URL once it prints the line it listens on. */
function start(adapter: string): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const child = spawn(process.execPath, [join(dist, 'main.js')], { env: { ...process.env, PORT: '0', ADAPTER: adapter }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /^listening on (http:\/\/127\.0\.0\.1:\d+)$/m.exec(output);
      if (match) resolve({ child, url: match[1]!, output: () => output });
    });
    child.on('exit', (code) => reject(new Error(`the example exited (${code}) before listening:\n${output}`)));
  });
}

/** The echo an Order gets under the json tags: the i64 id as a decimal string (ProtoJSON), the rest as sent. */
function echoed(order: OrderMap): unknown {
  return { ...order, id: String(order.id) };
}

/** An HTTP request with a body sent halfway, then the connection dropped. */
function abandonMidBody(url: string, contentType: string, body: Buffer): Promise<void> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname, () => {
      socket.write(`POST /orders HTTP/1.1\r\nHost: ${hostname}\r\nContent-Type: ${contentType}\r\nContent-Length: ${body.length}\r\n\r\n`);
      socket.write(body.subarray(0, body.length >> 1), () => setTimeout(() => socket.destroy(), 20));
    });
    socket.on('close', () => resolve());
    socket.on('error', () => resolve());
  });
}

/** A whole request sent, and the connection dropped before the response is read. */
function abandonAfterBody(url: string, body: Buffer): Promise<void> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname, () => {
      socket.end(Buffer.concat([Buffer.from(`POST /orders HTTP/1.1\r\nHost: ${hostname}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`), body]));
      socket.destroy();
    });
    socket.on('close', () => resolve());
    socket.on('error', () => resolve());
  });
}

describe.each(['fastify', 'express'])('examples/nest-api on %s', (adapter) => {
  let app: Awaited<ReturnType<typeof start>>;
  let url = '';

  beforeAll(async () => {
    app = await start(adapter);
    url = app.url;
  }, 30_000);

  afterAll(() => {
    app?.child.kill();
  });

  const post = (path: string, body: string | Uint8Array, headers: Record<string, string>): Promise<Response> =>
    fetch(url + path, { method: 'POST', body, headers });
  /**
   * POSTs a body the server refuses: Fastify answers 413 on the declared length and closes while the
   * client still writes, so a write error (EPIPE, ECONNRESET) after the answer is expected — fetch
   * failed on it. Should the error beat the answer's parsing, the request is made once more.
   */
  const statusOfOversized = (path: string, body: Buffer, type: string, again = true): Promise<number> =>
    new Promise((resolve, reject) => {
      let status: number | undefined;
      const req = request(url + path, { method: 'POST', headers: { 'content-type': type, 'content-length': body.length } }, (res) => {
        status = res.statusCode;
        res.resume();
        res.on('end', () => resolve(status!));
        res.on('error', () => resolve(status!));
      });
      req.on('error', (error: NodeJS.ErrnoException) => {
        if (status !== undefined) resolve(status);
        else if (again && (error.code === 'EPIPE' || error.code === 'ECONNRESET')) statusOfOversized(path, body, type, false).then(resolve, reject);
        else reject(error);
      });
      req.end(body);
    });
  const postJson = (body: unknown, headers: Record<string, string> = {}): Promise<Response> =>
    post('/orders', JSON.stringify(body), { 'content-type': 'application/json', ...headers });
  const pool = async (): Promise<{ struct: string; inUse: number; capacity: number }> => (await fetch(`${url}/debug/pool`)).json() as Promise<{ struct: string; inUse: number; capacity: number }>;
  /** inUse once the last responses' 'close' events have run (they follow the bytes the client read). */
  const settledInUse = async (): Promise<number> => {
    for (let i = 0; i < 50; i++) {
      const { inUse } = await pool();
      if (inUse === 0) return 0;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return (await pool()).inUse;
  };
  /** The bytes of sampleOrder(n) as the API encodes them. */
  const bytesOf = async (n: number): Promise<Buffer> => {
    const response = await postJson(sampleOrder(n), { accept: 'application/octet-stream' });
    expect(response.status).toBe(200);
    return Buffer.from(await response.arrayBuffer());
  };

  it('GET /debug/pool names the struct and its pool', async () => {
    expect(await pool()).toEqual({ struct: 'Order', inUse: 0, capacity: 64 });
  });

  it('POST /orders takes a 3.5–4.5 KB JSON order and echoes it as JSON under the json tags', async () => {
    const order = sampleOrder(17);
    const text = JSON.stringify(order);
    expect(text.length).toBeGreaterThanOrEqual(3500);
    expect(text.length).toBeLessThanOrEqual(4500);
    const response = await postJson(order);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.json()).toEqual(echoed(order));
  });

  it('POST /orders with Accept: application/octet-stream answers the record bytes, which post back as a binary body', async () => {
    const bytes = await bytesOf(5);
    expect(bytes.length).toBe(3032);
    // The i64 id is the first field: little-endian at byte 0.
    expect(bytes.readBigInt64LE(0)).toBe(BigInt(sampleOrder(5).id));
    const json = await post('/orders', bytes, { 'content-type': 'application/octet-stream' });
    expect(json.status).toBe(200);
    expect(await json.json()).toEqual(echoed(sampleOrder(5)));
    const binary = await post('/orders', bytes, { 'content-type': 'application/octet-stream', accept: 'application/octet-stream' });
    expect(binary.headers.get('content-type')).toBe('application/octet-stream');
    expect(Buffer.from(await binary.arrayBuffer()).equals(bytes)).toBe(true);
  });

  it('negotiates by Accept: JSON unless octet-stream is preferred', async () => {
    const cases: [string, string][] = [
      ['*/*', 'application/json'],
      ['application/json, application/octet-stream;q=0.5', 'application/json'],
      ['application/json;q=0.4, application/octet-stream', 'application/octet-stream'],
      ['application/octet-stream, */*;q=0.1', 'application/octet-stream'],
      ['application/octet-stream;q=0', 'application/json'],
    ];
    for (const [accept, type] of cases) {
      const response = await postJson(sampleOrder(2), { accept });
      expect(response.status, accept).toBe(200);
      expect(response.headers.get('content-type'), accept).toMatch(new RegExp(`^${type}`));
      await response.arrayBuffer();
    }
  });

  it('POST /classic/orders validates the DTO and echoes it', async () => {
    const order = sampleOrder(9);
    const good = await post('/classic/orders', JSON.stringify(order), { 'content-type': 'application/json' });
    expect(good.status).toBe(200);
    expect(await good.json()).toEqual(order);
    order.items[4]!.qty = 70_000;
    const bad = await post('/classic/orders', JSON.stringify({ ...order, extra: 1 }), { 'content-type': 'application/json' });
    expect(bad.status).toBe(400);
    const { message } = (await bad.json()) as { message: string[] };
    expect(message).toEqual(expect.arrayContaining(['property extra should not exist', 'items.4.qty must not be greater than 65535']));
  });

  const refusals: [string, (order: OrderMap) => unknown, string, string][] = [
    ['an unknown key', (o) => ({ ...o, coupon: 'FREE' }), 'UNKNOWN_KEY', 'coupon'],
    ['a missing key', ({ note: _note, ...o }) => o, 'MISSING_KEY', 'note'],
    ['a number out of range, deep in the item array', (o) => ({ ...o, items: o.items.map((item, i) => (i === 4 ? { ...item, qty: 70_000 } : item)) }), 'OUT_OF_RANGE', 'items.4.qty'],
    ['a fraction for an integer', (o) => ({ ...o, customer: { ...o.customer, tier: 1.5 } }), 'NOT_INTEGER', 'customer.tier'],
    ['a string for a number', (o) => ({ ...o, customer: { ...o.customer, id: '7' } }), 'TYPE_MISMATCH', 'customer.id'],
    ['an overlong string', (o) => ({ ...o, customer: { ...o.customer, name: 'x'.repeat(33) } }), 'STRING_TOO_LONG', 'customer.name'],
    ['too few items', (o) => ({ ...o, items: o.items.slice(1) }), 'INVALID_INPUT', 'items'],
    ['an array for the order', (o) => [o], 'INVALID_INPUT', ''],
  ];
  it.each(refusals)('refuses %s: 400 with code and path, nothing kept', async (_what, change, code, path) => {
    const response = await postJson(change(sampleOrder(3)));
    expect(response.status).toBe(400);
    const body = (await response.json()) as { code: string; path: string; message: string };
    expect(body).toMatchObject({ statusCode: 400, code, path });
    expect(body.message).toContain(`Order${path === '' ? '' : `.${path}`}`);
    expect(await settledInUse()).toBe(0);
  });

  it('refuses a truncated binary body and one of the wrong length: 400 INVALID_INPUT', async () => {
    const bytes = await bytesOf(4);
    for (const body of [bytes.subarray(0, 100), Buffer.concat([bytes, Buffer.alloc(8)])]) {
      const response = await post('/orders', body, { 'content-type': 'application/octet-stream' });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ code: 'INVALID_INPUT', path: '', message: `Order: a binary body must be 3032 bytes (one record), got ${body.length}` });
    }
    expect(await settledInUse()).toBe(0);
  });

  it('refuses 1 MB bodies, JSON or binary, with 413', async () => {
    const big = Buffer.alloc(1 << 20, 0x20);
    for (const type of ['application/json', 'application/octet-stream']) {
      expect(await statusOfOversized('/orders', big, type), type).toBe(413);
    }
    expect(await settledInUse()).toBe(0);
  });

  it('refuses invalid JSON with 400, and a body of another type with 415', async () => {
    const invalid = await post('/orders', '{"id": 1,', { 'content-type': 'application/json' });
    expect(invalid.status).toBe(400);
    expect(invalid.headers.get('content-type')).toMatch(/^application\/json/);
    const text = await post('/orders', 'id=1', { 'content-type': 'text/plain' });
    expect(text.status).toBe(415);
    await text.arrayBuffer();
    expect(await settledInUse()).toBe(0);
  });

  it('survives clients that disconnect mid-body or before reading the response, keeping no record', async () => {
    const json = Buffer.from(JSON.stringify(sampleOrder(8)));
    const bytes = await bytesOf(8);
    await Promise.all([
      ...Array.from({ length: 8 }, () => abandonMidBody(url, 'application/json', json)),
      ...Array.from({ length: 8 }, () => abandonMidBody(url, 'application/octet-stream', bytes)),
      ...Array.from({ length: 8 }, () => abandonAfterBody(url, json)),
    ]);
    expect(await settledInUse()).toBe(0);
    const after = await postJson(sampleOrder(8));
    expect(after.status).toBe(200);
    expect(await after.json()).toEqual(echoed(sampleOrder(8)));
  });

  it('is back to inUse 0 after a burst of 240 good and bad requests, JSON and binary', async () => {
    const bytes = await bytesOf(1);
    const requests: Promise<number>[] = [];
    for (let i = 0; i < 240; i++) {
      const kind = i % 4;
      const request =
        kind === 0
          ? postJson(sampleOrder(i))
          : kind === 1
            ? postJson({ ...sampleOrder(i), extra: true })
            : kind === 2
              ? post('/orders', bytes, { 'content-type': 'application/octet-stream', accept: 'application/octet-stream' })
              : postJson(sampleOrder(i), { accept: 'application/octet-stream' });
      requests.push(request.then(async (response) => (await response.arrayBuffer(), response.status)));
    }
    const statuses = await Promise.all(requests);
    expect(statuses.filter((s) => s === 200)).toHaveLength(180);
    expect(statuses.filter((s) => s === 400)).toHaveLength(60);
    expect(await settledInUse()).toBe(0);
    expect(app.output()).not.toMatch(/ERROR.*(StructSync|STALE_VIEW|DOUBLE_RELEASE)/);
  });
});
