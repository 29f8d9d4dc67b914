// Type-level tests for views, pools and iteration: checked by `tsc -p tsconfig.json` (part of
// `pnpm test`), never run. Each `@ts-expect-error` must stay a compile error; if it ever compiles,
// tsc reports the unused directive and the type-check fails.
import { expectTypeOf } from 'vitest';
import {
  attach,
  createPool,
  Field,
  records,
  repoint,
  Struct,
  view,
  viewMemory,
  type Pool,
  type Records,
  type StructLayout,
  type ViewMemory,
} from '@structsync/core';

@Struct()
class Point {
  @Field({ type: 'i32' }) x!: number;
  @Field({ type: 'i32' }) y!: number;
  length(): number {
    return Math.hypot(this.x, this.y);
  }
}

class NotAStruct {
  z = 1;
}

const buffer = new ArrayBuffer(64);

// A view is typed as the class, methods included.
const p = view(Point, buffer);
expectTypeOf(p).toEqualTypeOf<Point>();
expectTypeOf(p.length()).toEqualTypeOf<number>();
expectTypeOf(view(Point, new Uint8Array(buffer), 8, { codegen: false })).toEqualTypeOf<Point>();
expectTypeOf(view(Point, new SharedArrayBuffer(8))).toEqualTypeOf<Point>();
expectTypeOf(attach(Point, buffer)).toEqualTypeOf<Point>();

// @ts-expect-error a string is not memory
view(Point, 'bytes');
// @ts-expect-error the offset is a number
view(Point, buffer, '8');
// @ts-expect-error unknown view option
view(Point, buffer, 0, { eval: false });
// Any class is accepted by the types; an undecorated one fails at run time with NOT_A_STRUCT.
expectTypeOf(view<NotAStruct>).parameter(0).toMatchTypeOf<abstract new (...args: never[]) => NotAStruct>();

// Re-pointing and memory access.
repoint(p, 8);
repoint(p, 0, new ArrayBuffer(8));
// @ts-expect-error the offset is a number
repoint(p, '8');
const memory = viewMemory(p);
expectTypeOf(memory).toEqualTypeOf<ViewMemory>();
expectTypeOf(memory.layout).toEqualTypeOf<StructLayout>();
expectTypeOf(memory.data).toEqualTypeOf<DataView>();
// @ts-expect-error the memory record is read-only
memory.offset = 4;

// Pools hand out and iterate views of the class.
const pool = createPool(Point, { capacity: 4 });
expectTypeOf(pool).toEqualTypeOf<Pool<Point>>();
expectTypeOf(pool.acquire()).toEqualTypeOf<Point>();
for (const record of pool) expectTypeOf(record).toEqualTypeOf<Point>();
for (const record of records(Point, buffer, { count: 2 })) expectTypeOf(record).toEqualTypeOf<Point>();
const points = records(Point, buffer);
expectTypeOf(points).toEqualTypeOf<Records<Point>>();
expectTypeOf(points.at(0)).toEqualTypeOf<Point>();
expectTypeOf(points.length).toEqualTypeOf<number>();
// @ts-expect-error the record count is read-only
points.length = 3;
// @ts-expect-error at takes a number
points.at('0');
// @ts-expect-error a pool of Points takes back only Points
pool.release(new NotAStruct());
// @ts-expect-error capacity is required
createPool(Point, {});
