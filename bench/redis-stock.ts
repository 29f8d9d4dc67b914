// The benchmark's record: a flash-sale stock record (the seed's hot path: stock pre-deducted in
// Redis with CAS), and the three ways to decrement it: a structsync Redis table, a JSON string
// with WATCH/MULTI/EXEC and a retry loop, and a hash with HINCRBY.
import 'reflect-metadata';
import { Field, Struct } from '@structsync/core';
import { WatchError, type createClient } from 'redis';

@Struct()
export class StockItem {
  @Field({ type: 'i64' }) skuId!: bigint;
  @Field({ type: 'i32' }) warehouseId!: number;
  @Field({ type: 'i32' }) stock!: number;
  @Field({ type: 'i32' }) reserved!: number;
  @Field({ type: 'i32' }) sold!: number;
  @Field({ type: 'i64' }) priceCents!: bigint;
  @Field({ type: 'i32' }) maxPerUser!: number;
  @Field({ type: 'bool' }) onSale!: boolean;
  @Field({ type: 'i64' }) saleStartsAt!: bigint;
  @Field({ type: 'i64' }) saleEndsAt!: bigint;
  @Field({ type: 'i64' }) updatedAt!: bigint;
}

export type Client = ReturnType<typeof createClient<{}, {}, {}, 3, {}>>;

const START = Date.parse('2026-12-03T09:00:00.000Z');

export function stockValues(sku: number): Record<string, unknown> {
  return {
    skuId: BigInt(100_000_000_000 + sku),
    warehouseId: 7,
    stock: 1_000_000,
    reserved: 0,
    sold: 0,
    priceCents: 199_999n,
    maxPerUser: 2,
    onSale: true,
    saleStartsAt: BigInt(START),
    saleEndsAt: BigInt(START + 3_600_000),
    updatedAt: BigInt(START),
  };
}

/** The same record as users keep it in JSON today: 64-bit ids as strings, times as ISO strings. */
export function stockJson(sku: number): Record<string, unknown> {
  const values = stockValues(sku);
  const iso = (ms: unknown): string => new Date(Number(ms)).toISOString();
  return { ...values, skuId: String(values.skuId), priceCents: Number(values.priceCents), saleStartsAt: iso(values.saleStartsAt), saleEndsAt: iso(values.saleEndsAt), updatedAt: iso(values.updatedAt) };
}

/** One sale: stock - 1, sold + 1, updatedAt now. */
export function sell(item: StockItem): void {
  item.stock -= 1;
  item.sold += 1;
  item.updatedAt = BigInt(Date.now());
}

/** What users write today: WATCH, GET, parse, change, MULTI SET EXEC, and again on a WatchError. Returns the aborts. */
export async function sellJson(client: Client, key: string): Promise<number> {
  for (let aborts = 0; ; aborts++) {
    await client.watch(key);
    const item = JSON.parse((await client.get(key))!) as { stock: number; sold: number; updatedAt: string };
    item.stock -= 1;
    item.sold += 1;
    item.updatedAt = new Date().toISOString();
    try {
      await client.multi().set(key, JSON.stringify(item)).exec();
      return aborts;
    } catch (error) {
      if (!(error instanceof WatchError)) throw error;
    }
  }
}

/** Where it applies (counters only): a hash, the three changes in one MULTI/EXEC. */
export async function sellHash(client: Client, key: string): Promise<void> {
  await client.multi().hIncrBy(key, 'stock', -1).hIncrBy(key, 'sold', 1).hSet(key, 'updatedAt', new Date().toISOString()).exec();
}
