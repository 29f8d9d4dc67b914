// A JSON API on node:http, the round trip a service makes: each request body goes through fromMap
// into a pooled record (every check runs before a byte is written), the response is the record as
// JSON, which fromMap takes back as it is, and bad input is a 400 listing every problem with its
// path and code. The client is fetch.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createPool, Field, fromMap, Struct, ValueError } from '@structsync/core';

@Struct()
class User {
  @Field({ type: 'i64', tag: 'json:"id"' }) id!: bigint;
  @Field({ type: 'str', size: 16, tag: 'json:"name"' }) name!: string;
  @Field({ type: 'i32', tag: 'json:"age,omitempty"' }) age!: number;
}

const users = createPool(User, { capacity: 1024 });

async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' }).end(typeof body === 'string' ? body : JSON.stringify(body));
}

async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
  const user = users.acquire();
  try {
    fromMap(user, await readJson(request), { tag: 'json', allErrors: true });
    send(response, 200, JSON.stringify(user)); // json tag names; 64-bit integers as decimal text
  } catch (error) {
    if (error instanceof ValueError) send(response, 400, { errors: error.errors }); // [{ path, code, message }]
    else if (error instanceof SyntaxError) send(response, 400, { errors: [{ path: '', code: 'INVALID_JSON', message: error.message }] });
    else throw error;
  } finally {
    users.release(user); // the response body is already a string: the slot can go back
  }
}

const server = createServer((request, response) => {
  handle(request, response).catch(() => send(response, 500, { errors: [{ path: '', code: 'INTERNAL', message: 'internal error' }] }));
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const { port } = server.address() as AddressInfo;

async function post(body: string): Promise<string> {
  const response = await fetch(`http://127.0.0.1:${port}/users`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  const text = await response.text();
  if (response.ok) {
    console.log(`POST ${body}\n  → ${response.status} ${text}`);
  } else {
    const { errors } = JSON.parse(text) as { errors: Array<{ path: string; code: string; message: string }> };
    console.log(`POST ${body}\n  → ${response.status} ${errors.length} problems: ${errors.map((e) => `${e.path} ${e.code}`).join(', ')}`);
  }
  return text;
}

const alice = await post('{"id":1,"name":"alice","age":31}');
await post(alice); // the answer posted back as it came: the same record
await post('{"id":"1152921504606846976","name":"big","age":60}'); // 2^60, past 2^53: sent as text
await post('{"id":2,"name":"bob"}'); // age left out: omitempty, so zero
await post('{"id":"01","name":"a name of 24 UTF-8 bytes","age":"27","admin":true}');
console.log(`records in use after the requests: ${users.inUse}`);
server.close();
