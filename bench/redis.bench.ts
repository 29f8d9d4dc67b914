// pnpm bench:redis — structsync Redis tables against what users write today, on one redis-server
// started for the run: commits/s and p99 of a sale (stock - 1, sold + 1, updatedAt) by 1, 4 and 16
// concurrent writers in one service process, on one hot record and on 10,000 records, next to a
// JSON string with WATCH/MULTI/EXEC and a retry loop, and a hash with HINCRBY; then bytes per record.
// Each contender connects the way it has to be used: WATCH state belongs to a connection, so
// WATCH/MULTI/EXEC needs a connection per writer in flight (node-redis: an isolated client or a
// createClientPool); a structsync commit and a MULTI of HINCRBYs are single atomic requests, so
// their writers share the service's one client, which node-redis pipelines. structsync is also
// run with a connection per writer, for comparison. Every line runs all contenders in the same
// process, interleaved over rounds (medians).
import { createClient } from 'redis';
import { createRedisTable, type RedisTable } from '@structsync/redis';
import { startBenchRedis } from './redis-server.js';
import { sell, sellHash, sellJson, stockJson, stockValues, StockItem, type Client } from './redis-stock.js';

const RECORDS = 10_000;
const DURATION_MS = Number(process.env.BENCH_REDIS_MS ?? 1500);
const ROUNDS = Number(process.env.BENCH_REDIS_ROUNDS ?? 3);
const CLIENTS = [1, 4, 16];

interface Sample {
  readonly perSecond: number;
  readonly p99: number;
}
type Op = (connection: number, id: number) => Promise<void>;

const server = await startBenchRedis();
// One database per contender, so that every record has the same key and only the values differ.
const connect = async (database: number): Promise<Client> => {
  const client = createClient({ url: server.url, database });
  client.on('error', (error) => console.error(error));
  await client.connect();
  return client;
};
const ours = await Promise.all(Array.from({ length: 16 }, () => connect(0)));
const jsons = await Promise.all(Array.from({ length: 16 }, () => connect(1)));
const hash = await connect(2);
const tables: RedisTable<StockItem>[] = await Promise.all(ours.map((client) => createRedisTable(StockItem, { client, name: 'stock' })));
const shared = tables[0]!;
const keyOf = (id: number): string => shared.keyOf(id);

for (let start = 0; start < RECORDS; start += 500) {
  const ids = Array.from({ length: Math.min(500, RECORDS - start) }, (_, i) => start + i);
  await Promise.all(ids.map((id) => shared.create(id, stockValues(id))));
  await Promise.all(ids.map((id) => jsons[0]!.set(keyOf(id), JSON.stringify(stockJson(id)))));
  await Promise.all(ids.map((id) => hash.hSet(keyOf(id), Object.fromEntries(Object.entries(stockJson(id)).map(([k, v]) => [k, String(v)])))));
}

let sells = 0;
let commits = 0;
let watchAborts = 0;
const counted = (item: StockItem): void => {
  sells++;
  sell(item);
};
const contenders: Record<string, Op> = {
  structsync: async (_, id) => {
    await shared.update(id, counted, { maxRetries: Infinity });
    commits++;
  },
  'structsync, a connection per writer': async (c, id) => {
    await tables[c]!.update(id, counted, { maxRetries: Infinity });
    commits++;
  },
  'WATCH/MULTI/EXEC JSON': async (c, id) => {
    watchAborts += await sellJson(jsons[c]!, keyOf(id));
  },
  'HINCRBY hash': (_, id) => sellHash(hash, keyOf(id)),
};

async function measure(op: Op, clients: number, hot: boolean): Promise<Sample> {
  const latencies: number[] = [];
  const begin = performance.now();
  const deadline = begin + DURATION_MS;
  await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      while (performance.now() < deadline) {
        const id = hot ? 0 : Math.floor(Math.random() * RECORDS);
        const t0 = performance.now();
        await op(c, id);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const elapsed = (performance.now() - begin) / 1000;
  latencies.sort((a, b) => a - b);
  return { perSecond: latencies.length / elapsed, p99: latencies[Math.floor(latencies.length * 0.99)]! };
}

const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
const names = Object.keys(contenders);
const rows: string[] = [];
const ratios: Record<string, number> = {};
for (const hot of [true, false]) {
  for (const clients of CLIENTS) {
    const samples = new Map<string, Sample[]>(names.map((n) => [n, []]));
    sells = commits = watchAborts = 0;
    for (let round = 0; round < ROUNDS; round++) {
      // Rotate the order, so that a burst of load on the shared machine does not always hit one contender.
      for (let k = 0; k < names.length; k++) {
        const name = names[(k + round) % names.length]!;
        samples.get(name)!.push(await measure(contenders[name]!, clients, hot));
      }
    }
    const summary = names.map((n) => ({ name: n, perSecond: median(samples.get(n)!.map((s) => s.perSecond)), p99: median(samples.get(n)!.map((s) => s.p99)) }));
    const [s, p, j, h] = summary as [(typeof summary)[0], (typeof summary)[0], (typeof summary)[0], (typeof summary)[0]];
    const workload = hot ? 'one hot record' : `${RECORDS.toLocaleString('en')} records`;
    const vsJson = s.perSecond / j.perSecond;
    ratios[`${workload} ${clients}`] = vsJson;
    ratios[`${workload} ${clients} own`] = p.perSecond / j.perSecond;
    rows.push(
      `| ${workload} | ${clients} | ${s.perSecond.toFixed(0)} | ${s.p99.toFixed(2)} | ${p.perSecond.toFixed(0)} | ${p.p99.toFixed(2)} | ${j.perSecond.toFixed(0)} | ${j.p99.toFixed(2)} | ${vsJson.toFixed(2)}× | ` +
        `${h.perSecond.toFixed(0)} | ${h.p99.toFixed(2)} | ${(s.perSecond / h.perSecond).toFixed(2)}× | ${(sells - commits).toLocaleString('en')} / ${watchAborts.toLocaleString('en')} |`,
    );
  }
}

// Bytes per record: MEMORY USAGE (value, key and Redis's own overhead) and the value's length, over a sample of the same keys.
async function bytes(client: Client): Promise<{ memory: number; length: number }> {
  let memory = 0;
  let length = 0;
  const sample = 500;
  for (let i = 0; i < sample; i++) {
    const key = keyOf(Math.floor((i * RECORDS) / sample));
    memory += Number(await client.memoryUsage(key, { SAMPLES: 0 }));
    length += Number(await client.sendCommand((await client.type(key)) === 'hash' ? ['HSTRLEN', key, 'stock'] : ['STRLEN', key]));
  }
  return { memory: memory / sample, length: length / sample };
}
const [ourBytes, jsonBytes, hashBytes] = [await bytes(ours[0]!), await bytes(jsons[0]!), await bytes(hash)];

console.log(`structsync Redis tables benchmark — Node ${process.version}, redis-server on loopback, ${DURATION_MS} ms × ${ROUNDS} interleaved rounds per line (medians)\n`);
console.log('A sale: stock - 1, sold + 1, updatedAt = now, by concurrent writers in one process. WATCH/MULTI/EXEC has a connection per writer (WATCH state is per connection);');
console.log('structsync and the HINCRBY MULTI share one client; "own conn." is structsync with a connection per writer.\n');
console.log('| workload | writers | structsync update/s | p99 ms | own conn. update/s | p99 ms | WATCH/MULTI/EXEC JSON/s | p99 ms | vs JSON | HINCRBY hash/s | p99 ms | vs hash | retries (ours / WATCH aborts) |');
console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const row of rows) console.log(row);
console.log('\n| bytes per record | structsync record | JSON string | hash |');
console.log('|---|---:|---:|---:|');
console.log(`| MEMORY USAGE (same key) | ${ourBytes.memory.toFixed(0)} | ${jsonBytes.memory.toFixed(0)} | ${hashBytes.memory.toFixed(0)} |`);
console.log(`| value bytes (STRLEN) | ${ourBytes.length.toFixed(0)} | ${jsonBytes.length.toFixed(0)} | — |`);
const many = `${RECORDS.toLocaleString('en')} records 16`;
const both = (line: string): string => `${ratios[line]!.toFixed(2)}× (a connection per writer: ${ratios[`${line} own`]!.toFixed(2)}×)`;
console.log(`\nFloors: ≥ 3× WATCH/MULTI/EXEC on one hot record at 16 writers: ${both('one hot record 16')}; ≥ 1.5× on many records at 16 writers: ${both(many)}; ≤ 0.6× its bytes per record: ${(ourBytes.memory / jsonBytes.memory).toFixed(2)}×`);

for (const client of [...ours, ...jsons, hash]) await client.close();
server.stop();
