import { expect, it } from 'vitest';
import { Field, Struct } from '@structsync/core';
import { view, repoint, records } from '../src/view.js';
@Struct() class Addr { @Field({ type: 'u16' }) zip!: number; @Field({ type: 'str', size: 6 }) city!: string; }
@Struct() class User {
  @Field({ type: 'i64', tag: 'json:"id"' }) id!: bigint;
  @Field({ type: 'str', size: 16 }) name!: string;
  @Field({ type: 'i32' }) age!: number;
  @Field({ type: Addr }) addr!: Addr;
  @Field({ type: 'f64', length: 2 }) pos!: Float64Array;
  @Field({ type: 'u64', as: 'number' }) big!: number;
  @Field({ type: 'any', size: 24 }) extra!: unknown;
  isAdult() { return this.age >= 18; }
}
for (const codegen of [true, false]) it('works ' + codegen, () => {
  const buf = new ArrayBuffer(256);
  const u = view(User, buf, 0, { codegen });
  u.id = 5n; u.name = 'héllo'; u.age = 30; u.addr.zip = 99; u.addr.city = 'Paris'; u.pos[1] = 2.5; u.big = 2 ** 40 + 3; u.extra = { a: [1] };
  expect([u.id, u.name, u.age, u.addr.zip, u.addr.city, u.pos[1], u.big, u.extra, u.isAdult(), u instanceof User]).toEqual([5n, 'héllo', 30, 99, 'Paris', 2.5, 2 ** 40 + 3, { a: [1] }, true, true]);
  expect(() => { u.age = 1.5; }).toThrow(/User.age: 1.5 is not an integer/);
  const v2 = view(User, buf, 0, { codegen });
  repoint(v2, 128); expect(v2.age).toBe(0);
  let n = 0; for (const r of records(User, buf)) { n += r.age; } expect(n).toBe(30);
  structuredClone(buf, { transfer: [buf] });
  expect(() => u.age).toThrow(expect.objectContaining({ code: 'DETACHED_BUFFER' }));
  expect(() => { u.age = 3; }).toThrow(expect.objectContaining({ code: 'DETACHED_BUFFER' }));
  expect(() => u.name).toThrow(expect.objectContaining({ code: 'DETACHED_BUFFER' }));
  expect(() => u.extra).toThrow(expect.objectContaining({ code: 'DETACHED_BUFFER' }));
});
