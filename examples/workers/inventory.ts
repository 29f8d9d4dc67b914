// The record the workers example shares: one stock line per product.
import { Field, Struct } from '@structsync/core';

@Struct()
export class StockLine {
  @Field({ type: 'str', size: 12 }) sku!: string;
  @Field({ type: 'i32' }) stock!: number;
  @Field({ type: 'i32' }) reserved!: number;
  @Field({ type: 'f64' }) price!: number;
  @Field({ type: 'u8' }) pricedBy!: number;
}
