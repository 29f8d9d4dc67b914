// Two processes editing one record in Redis: this one and a child it forks. Both reserve stock
// with update() (conflicts retried), then race on the price with begin()/commit() (conflicts
// rejected, nothing written), while this process watches every version through the change feed.
// Run: REDIS_URL=redis://127.0.0.1:6379 node examples/dist/redis/main.js
import 'reflect-metadata';
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ConflictError, Field, Struct } from '@structsync/core';
import { bind, createRedisTable, type RedisChange } from '@structsync/redis';
import { createClient } from 'redis';

@Struct()
class Product {
  @Field({ type: 'i64', tag: 'json:"id"' }) id!: bigint;
  @Field({ type: 'i32', tag: 'json:"stock"' }) stock!: number;
  @Field({ type: 'i32', tag: 'json:"reserved"' }) reserved!: number;
  @Field({ type: 'f64', tag: 'json:"price"' }) price!: number;
}

const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const RESERVATIONS = 100;
const role = process.argv[2] === 'child' ? 'child' : 'parent';
const client = createClient({ url });
await client.connect();
const products = await createRedisTable(Product, { client, name: 'example-products' });

/** The other process's messages, one at a time. */
function messages(source: NodeJS.Process | ReturnType<typeof fork>): () => Promise<string> {
  const queue: string[] = [];
  let waiting: ((m: string) => void) | undefined;
  source.on('message', (m: string) => (waiting ? (waiting(m), (waiting = undefined)) : queue.push(m)));
  return () => (queue.length > 0 ? Promise.resolve(queue.shift()!) : new Promise((resolve) => (waiting = resolve)));
}

/** Both processes: reserve units, then try a re-pricing from a snapshot the other one will outrun. */
async function work(send: (m: string) => void, receive: () => Promise<string>): Promise<void> {
  for (let i = 0; i < RESERVATIONS; i++) {
    await products.update(1, (p) => {
      p.stock -= 1;
      p.reserved += 1;
    });
  }
  // The price race: both take a snapshot, meet, then both commit the same field.
  const tx = await products.begin(1);
  tx.view.price = role === 'parent' ? 12.5 : 13.5;
  send('snapshot taken');
  await receive();
  try {
    const version = await tx.commit();
    console.log(`${role}: price ${tx.view.price} committed at version ${version}`);
  } catch (error) {
    if (!(error instanceof ConflictError)) throw error;
    console.log(`${role}: conflict on ${error.fields.join(', ')} (snapshot v${error.expectedVersion}, record v${error.actualVersion}); nothing written`);
  }
}

if (role === 'child') {
  const receive = messages(process);
  await work((m) => process.send!(m), receive);
  await client.close();
  process.exit(0);
}

await products.delete(1).catch(() => {}); // a fresh record for every run
await products.create(1, { id: 1n, stock: 1000, reserved: 0, price: 10 });
const watch = products.watch(1);
const since = await watch.subscribed();
const changes: RedisChange<Product>[] = [];
const watching = (async () => {
  for await (const change of watch) changes.push(change);
})();

const child = fork(fileURLToPath(import.meta.url), ['child'], { env: { ...process.env, REDIS_URL: url } });
const receive = messages(child);
const childExit = new Promise((resolve) => child.on('exit', resolve));
// The price race needs both snapshots taken before either commit: each waits for the other's.
const parentSide = work((m) => child.send(m), receive);
await Promise.all([parentSide, childExit]);

const { version, record } = await products.snapshot(1);
console.log(`final: stock ${record.stock}, reserved ${record.reserved} (${2 * RESERVATIONS} made by two processes), price ${record.price}, version ${version}`);
// The feed: every version after the one watching started from, in order, none missed.
while ((changes.at(-1)?.version ?? since) < version) await new Promise((resolve) => setTimeout(resolve, 10));
await watch.return();
await watching;
const inOrder = changes.every((c, i) => c.version === since + 2 * (i + 1) && c.missed === undefined);
console.log(`watch: ${changes.length} versions after v${since}, in order and none missed: ${inOrder}`);
console.log(`watch: the last change wrote ${changes.at(-1)!.fields.join(', ')}`);

// bind: a plain object kept in sync with the record.
const view: Record<string, unknown> = {};
const binding = bind(view, products, 1, { onTransition: (t) => console.log(`bind: ${t.from} → ${t.to} ${t.fields.join(', ')}`) });
await binding.pull();
view.stock = (view.stock as number) + 50;
await binding.push();
console.log(`bind: object ${JSON.stringify(view, (_, v: unknown) => (typeof v === 'bigint' ? String(v) : v))}`);

await products.close();
await client.close();
