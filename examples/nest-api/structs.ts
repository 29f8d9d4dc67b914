// The structs the API accepts: an order with its customer, a fixed array of line items and a
// note. sampleOrder(n) builds the JSON-ready map a client would post (3.7–3.8 KB of JSON).
import 'reflect-metadata';
import { Field, Struct } from '@structsync/core';

/** Every order carries exactly this many line items (a fixed array; unused ones stay zeroed). */
export const LINE_ITEMS = 36;

@Struct()
export class Customer {
  @Field({ type: 'u32', tag: 'json:id' }) id!: number;
  @Field({ type: 'str', size: 32, tag: 'json:name' }) name!: string;
  @Field({ type: 'str', size: 48, tag: 'json:email' }) email!: string;
  @Field({ type: 'u8', tag: 'json:tier' }) tier!: number;
}

@Struct()
export class LineItem {
  @Field({ type: 'str', size: 16, tag: 'json:sku' }) sku!: string;
  @Field({ type: 'str', size: 48, tag: 'json:title' }) title!: string;
  @Field({ type: 'u16', tag: 'json:qty' }) qty!: number;
  /** Unit price in cents. */
  @Field({ type: 'u32', tag: 'json:price' }) price!: number;
  /** Percent off the unit price. */
  @Field({ type: 'u8', tag: 'json:discount' }) discount!: number;
}

@Struct()
export class Order {
  @Field({ type: 'i64', tag: 'json:id' }) id!: bigint;
  @Field({ type: Customer, tag: 'json:customer' }) customer!: Customer;
  @Field({ type: LineItem, length: LINE_ITEMS, tag: 'json:items' }) items!: readonly LineItem[];
  @Field({ type: 'str', size: 200, tag: 'json:note' }) note!: string;
}

export interface LineItemMap {
  sku: string;
  title: string;
  qty: number;
  price: number;
  discount: number;
}

export interface OrderMap {
  id: number;
  customer: { id: number; name: string; email: string; tier: number };
  items: LineItemMap[];
  note: string;
}

const PRODUCTS = ['Stainless bottle 750ml', 'Wool socks, pair', 'Espresso beans 1kg', 'Notebook A5 dotted', 'USB-C cable 2m', 'Desk lamp'];
const VARIANTS = ['graphite', 'forest green', 'sand', 'navy blue', 'brick red'];

/** Order number `n` as a client posts it: a plain map under the json tag names. */
export function sampleOrder(n: number): OrderMap {
  const items: LineItemMap[] = [];
  for (let i = 0; i < LINE_ITEMS; i++) {
    items.push({
      sku: `SKU-${String((n * 31 + i) % 1_000_000).padStart(6, '0')}-${i % 10}`,
      title: `${PRODUCTS[(n + i) % PRODUCTS.length]}, ${VARIANTS[(n * 3 + i) % VARIANTS.length]} #${i + 1}`,
      qty: 1 + ((n + i) % 9),
      price: 199 + ((n * 7 + i * 13) % 9800),
      discount: (n + i * 5) % 30,
    });
  }
  return {
    id: 1_000_000 + n,
    customer: { id: 10_000 + (n % 5000), name: `Customer ${n % 5000}`, email: `customer${n % 5000}@example.com`, tier: n % 4 },
    items,
    note: `Order ${n}: leave the parcel with the concierge if nobody answers; call ahead on weekdays after six.`,
  };
}
