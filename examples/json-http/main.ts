// A JSON API on node:http, the round trip a service makes: each request body goes through fromMap
// into a pooled record (every check runs before a byte is written), the response is the record as
// JSON, and bad input is a 400 naming the code and the field. The client is fetch.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createPool, Field, fromMap, Struct, StructSyncError } from '@structsync/core';

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
    fromMap(user, await readJson(request), { tag: 'json' });
    send(response, 200, JSON.stringify(user)); // json tag names; the i64 as a decimal string
  } catch (error) {
    if (error instanceof StructSyncError) send(response, 400, { code: error.code, field: error.field, message: error.message });
    else if (error instanceof SyntaxError) send(response, 400, { code: 'INVALID_JSON', message: error.message });
    else send(response, 500, { code: 'INTERNAL' });
  } finally {
    users.release(user); // the response body is already a string: the slot can go back
  }
}

const server = createServer((request, response) => void handle(request, response));
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const { port } = server.address() as AddressInfo;

async function post(body: string): Promise<string> {
  const response = await fetch(`http://127.0.0.1:${port}/users`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  const text = await response.text();
  console.log(`POST ${body}\n  → ${response.status} ${text}`);
  return text;
}

await post('{"id":1,"name":"alice","age":31}');
await post('{"id":2,"name":"bob"}');
await post('{"id":3,"name":"carol","age":"27"}');
await post('{"id":4,"name":"a name of 24 UTF-8 bytes","age":40}');
await post('{"id":5,"name":"dave","age":40,"admin":true}');
console.log(`records in use after the requests: ${users.inUse}`);
server.close();
