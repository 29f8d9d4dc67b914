// Fixtures of the struct-array lines of bench:core: records holding N elements with strings
// (an order's line items) or numbers only, built for each N, with the JSON text of the same body
// as the baseline that a JSON endpoint parses anyway.
import { Field, fromMap, sizeof, Struct, view, type StructClass } from '@structsync/core';

@Struct()
export class LineItem {
  @Field({ type: 'str', size: 16, tag: 'json:"sku"' }) sku!: string;
  @Field({ type: 'str', size: 32, tag: 'json:"title"' }) title!: string;
  @Field({ type: 'u16', tag: 'json:"quantity"' }) qty!: number;
  @Field({ type: 'u32', tag: 'json:"unitPriceCents"' }) price!: number;
}

@Struct()
export class Reading {
  @Field({ type: 'u32', tag: 'json:"sensor"' }) sensor!: number;
  @Field({ type: 'u16', tag: 'json:"flags"' }) flags!: number;
  @Field({ type: 'i32', tag: 'json:"delta"' }) delta!: number;
  @Field({ type: 'f64', tag: 'json:"value"' }) value!: number;
}

export type ElementKind = 'strings' | 'numbers';

/** A record class holding `length` elements of `kind`, under an order-like header. */
function recordClass(kind: ElementKind, length: number): StructClass {
  @Struct({ name: `Order${length}` })
  class Order {
    @Field({ type: 'u32', tag: 'json:"id"' }) id!: number;
    @Field({ type: 'str', size: 32, tag: 'json:"customer"' }) customer!: string;
    @Field({ type: 'str', size: 4, tag: 'json:"currency"' }) currency!: string;
    @Field({ type: LineItem, length, tag: 'json:"items"' }) items!: LineItem[];
  }
  @Struct({ name: `Readings${length}` })
  class Readings {
    @Field({ type: 'u32', tag: 'json:"id"' }) id!: number;
    @Field({ type: Reading, length, tag: 'json:"readings"' }) readings!: Reading[];
  }
  return kind === 'strings' ? Order : Readings;
}

const lineItem = (i: number): object => ({ sku: `SKU-2026-${String(100000 + i)}`, title: `Insulated steel bottle, no. ${i}`, quantity: (i % 9) + 1, unitPriceCents: 1999 + i * 7 });
const reading = (i: number): object => ({ sensor: 40000 + i, flags: i & 0xff, delta: 50 - (i % 101), value: i / 7 });

function bodyOf(kind: ElementKind, length: number, seed: number): Record<string, unknown> {
  return kind === 'strings'
    ? { id: 7000 + seed, customer: `customer-${seed}@example.com`, currency: 'EUR', items: Array.from({ length }, (_, i) => lineItem(i + seed)) }
    : { id: 7000 + seed, readings: Array.from({ length }, (_, i) => reading(i + seed)) };
}

export interface StructArrayCase {
  readonly fromMap: () => void;
  readonly parse: () => void;
  /** Bytes of the JSON text parsed by the baseline. */
  readonly textBytes: number;
}

/** fromMap of 8 distinct bodies in turn into one view, and JSON.parse of each body's text. */
export function structArrayCase(kind: ElementKind, length: number): StructArrayCase {
  const type = recordClass(kind, length);
  const target = view(type, new ArrayBuffer(sizeof(type)), 0);
  const bodies = Array.from({ length: 8 }, (_, seed) => bodyOf(kind, length, seed));
  const texts = bodies.map((b) => JSON.stringify(b));
  const options = { tag: 'json' } as const;
  let n = 0;
  return {
    fromMap: () => void fromMap(target, bodies[n++ & 7], options),
    parse: () => void (parsed = JSON.parse(texts[n++ & 7]!)),
    textBytes: Buffer.byteLength(texts[0]!),
  };
}

/** The baseline's results land here, so that the parse cannot be optimised away. */
export let parsed: unknown;
