// Type-level tests for @Field: checked by `tsc -p tsconfig.json` (part of `pnpm test`), never run.
// Each `@ts-expect-error` is a mismatch that must stay a compile error; if it ever compiles, tsc
// reports the unused directive and the type-check fails.
import { expectTypeOf } from 'vitest';
import { Field, Struct, type ValueOfSpec } from '@structsync/core';

@Struct()
class Address {
  @Field({ type: 'u16' }) zip!: number;
  @Field({ type: 'str', size: 12 }) city!: string;
}

@Struct()
class Location {
  @Field({ type: 'f64' }) latitude!: number;
  @Field({ type: 'f64' }) longitude!: number;
}

@Struct()
export class Accepted {
  @Field({ type: 'i8' }) i8!: number;
  @Field({ type: 'u8' }) u8!: number;
  @Field({ type: 'i16' }) i16!: number;
  @Field({ type: 'u16' }) u16!: number;
  @Field({ type: 'i32' }) i32!: number;
  @Field({ type: 'u32' }) u32!: number;
  @Field({ type: 'f32' }) f32!: number;
  @Field({ type: 'f64' }) f64!: number;
  @Field({ type: 'i64' }) i64!: bigint;
  @Field({ type: 'u64' }) u64!: bigint;
  @Field({ type: 'i64', as: 'number' }) i64AsNumber!: number;
  @Field({ type: 'u64', as: 'bigint' }) u64AsBigint!: bigint;
  @Field({ type: 'bool' }) bool!: boolean;
  @Field({ type: 'str', size: 16 }) str!: string;
  @Field({ type: 'bytes', size: 16 }) bytes!: Uint8Array;
  @Field({ type: 'any', size: 16 }) any!: unknown;
  @Field({ type: 'i8', length: 2 }) i8s!: Int8Array;
  @Field({ type: 'u8', length: 2 }) u8s!: Uint8Array;
  @Field({ type: 'i16', length: 2 }) i16s!: Int16Array;
  @Field({ type: 'u16', length: 2 }) u16s!: Uint16Array;
  @Field({ type: 'i32', length: 2 }) i32s!: Int32Array;
  @Field({ type: 'u32', length: 2 }) u32s!: Uint32Array;
  @Field({ type: 'f32', length: 2 }) f32s!: Float32Array;
  @Field({ type: 'f64', length: 2 }) f64s!: Float64Array;
  @Field({ type: 'i64', length: 2 }) i64s!: BigInt64Array;
  @Field({ type: 'u64', length: 2 }) u64s!: BigUint64Array;
  @Field({ type: 'u64', length: 2, as: 'bigint' }) u64sExplicit!: BigUint64Array;
  @Field({ type: 'bool', length: 2 }) bools!: Uint8Array;
  @Field({ type: Address }) home!: Address;
  @Field({ type: Address, length: 2 }) previous!: readonly Address[];
  @Field({ type: Address, length: 2 }) mutablePrevious!: Address[];
  // A narrower property type is fine: the field can hold every value it allows.
  @Field({ type: 'u8' }) kind!: 1 | 2 | 3;
  @Field({ type: 'u16', tag: 'json:"port,omitempty" db:"port"', align: 4 }) port!: number;
}

// Private and protected properties are invisible to the check, so they are accepted unchecked.
@Struct()
export class Hidden {
  @Field({ type: 'u32' }) private secret!: number;
  @Field({ type: 'u32' }) protected internal!: number;
  @Field({ type: 'u32' }) readonly fixed!: number;
  reveal(): number {
    return this.secret + this.internal;
  }
}

@Struct()
export class Rejected {
  // @ts-expect-error i64 is a bigint: a number property needs `as: 'number'`
  @Field({ type: 'i64' }) id!: number;
  // @ts-expect-error u64 is a bigint: a number property needs `as: 'number'`
  @Field({ type: 'u64' }) count!: number;
  // @ts-expect-error with `as: 'number'` the property must be a number, not a bigint
  @Field({ type: 'i64', as: 'number' }) small!: bigint;
  // @ts-expect-error str is a string
  @Field({ type: 'str', size: 8 }) age!: number;
  // @ts-expect-error i32 is a number
  @Field({ type: 'i32' }) label!: string;
  // @ts-expect-error bool is a boolean
  @Field({ type: 'bool' }) active!: number;
  // @ts-expect-error bytes is a Uint8Array, not a string
  @Field({ type: 'bytes', size: 4 }) raw!: string;
  // @ts-expect-error an f64 array is a Float64Array
  @Field({ type: 'f64', length: 3 }) position!: Float32Array;
  // @ts-expect-error an f64 array is a typed array, not a number[]
  @Field({ type: 'f64', length: 3 }) velocity!: number[];
  // @ts-expect-error an i64 array is a BigInt64Array
  @Field({ type: 'i64', length: 2 }) ids!: BigUint64Array;
  // @ts-expect-error a nested Address is not a Location
  @Field({ type: Address }) where!: Location;
  // @ts-expect-error an array of Address is not a single Address
  @Field({ type: Address, length: 2 }) addresses!: Address;
  // @ts-expect-error a single Address is not an array
  @Field({ type: Address }) homes!: Address[];
  // @ts-expect-error an optional property could be undefined, which a fixed-size field never is
  @Field({ type: 'i32' }) maybe?: number;
}

@Struct()
export class RejectedSpecs {
  // @ts-expect-error a typo in an option name (lenght) is caught
  @Field({ type: 'f32', lenght: 4 }) typo!: number;
  // @ts-expect-error str needs a size
  @Field({ type: 'str' }) unsized!: string;
  // @ts-expect-error unknown type name
  @Field({ type: 'int' }) unknownType!: number;
  // @ts-expect-error as applies only to i64 and u64
  @Field({ type: 'i32', as: 'number' }) notWide!: number;
  // @ts-expect-error an i64 array is a BigInt64Array view, so `as: 'number'` cannot apply
  @Field({ type: 'i64', length: 2, as: 'number' }) wideArray!: BigInt64Array;
  // @ts-expect-error size applies only to str, bytes and any
  @Field({ type: 'u32', size: 4 }) sizedScalar!: number;
  // @ts-expect-error length does not apply to str
  @Field({ type: 'str', size: 4, length: 2 }) strArray!: string;
}

// What a view returns for each spec, as other layers (views, maps) rely on it.
expectTypeOf<ValueOfSpec<{ type: 'u32' }>>().toEqualTypeOf<number>();
expectTypeOf<ValueOfSpec<{ type: 'i64' }>>().toEqualTypeOf<bigint>();
expectTypeOf<ValueOfSpec<{ type: 'u64'; as: 'number' }>>().toEqualTypeOf<number>();
expectTypeOf<ValueOfSpec<{ type: 'bool' }>>().toEqualTypeOf<boolean>();
expectTypeOf<ValueOfSpec<{ type: 'str'; size: 4 }>>().toEqualTypeOf<string>();
expectTypeOf<ValueOfSpec<{ type: 'bytes'; size: 4 }>>().toEqualTypeOf<Uint8Array>();
expectTypeOf<ValueOfSpec<{ type: 'any'; size: 16 }>>().toEqualTypeOf<unknown>();
expectTypeOf<ValueOfSpec<{ type: 'f64'; length: 3 }>>().toEqualTypeOf<Float64Array>();
expectTypeOf<ValueOfSpec<{ type: 'u64'; length: 3 }>>().toEqualTypeOf<BigUint64Array>();
expectTypeOf<ValueOfSpec<{ type: 'bool'; length: 3 }>>().toEqualTypeOf<Uint8Array>();
expectTypeOf<ValueOfSpec<{ type: typeof Address }>>().toEqualTypeOf<Address>();
expectTypeOf<ValueOfSpec<{ type: typeof Address; length: 2 }>>().toEqualTypeOf<readonly Address[]>();
