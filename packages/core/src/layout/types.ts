// Field type descriptors: what a `@Field` spec may say, the TypeScript value type each spec implies
// (used to reject mismatched properties at compile time), and the size/alignment of each scalar.

/** Fixed-size numeric and boolean types, C-compatible, always little-endian. */
export type ScalarType = 'i8' | 'u8' | 'i16' | 'u16' | 'i32' | 'u32' | 'i64' | 'u64' | 'f32' | 'f64' | 'bool';

/** Every type name a field may use; a struct class may be given instead. */
export type FieldTypeName = ScalarType | 'str' | 'bytes' | 'any';

/** A class decorated with `@Struct`. Its constructor is never called for views. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type StructClass<T extends object = object> = abstract new (...args: any[]) => T;

/** A tag in Go syntax (`json:"id,omitempty" db:"user_id"`), short form (`json:id`) or object form. */
export type TagInput = string | Readonly<Record<string, string>>;

interface SpecCommon {
  /** Tag names under which the field appears in maps. */
  readonly tag?: TagInput;
  /** Raise this field's alignment (a power of two), like C's `__attribute__((aligned(n)))`. */
  readonly align?: number;
}

export interface ScalarFieldSpec extends SpecCommon {
  readonly type: ScalarType;
  /** Fixed array of `length` elements: a zero-copy typed array. */
  readonly length?: number;
  /** For i64/u64: expose a number (an error past 2^53) instead of a bigint. */
  readonly as?: 'number' | 'bigint';
}

export interface SizedFieldSpec extends SpecCommon {
  readonly type: 'str' | 'bytes' | 'any';
  /** Bytes reserved inline in the record. */
  readonly size: number;
}

export interface StructFieldSpec extends SpecCommon {
  readonly type: StructClass;
  /** Fixed array of `length` nested records. */
  readonly length?: number;
}

export type FieldSpec = ScalarFieldSpec | SizedFieldSpec | StructFieldSpec;

/** The options a spec of this type takes: `as` only on 64-bit types, `size` only on str/bytes/any. */
type AllowedSpecKeys<S> = S extends { readonly type: 'i64' | 'u64' }
  ? keyof ScalarFieldSpec
  : S extends { readonly type: ScalarType }
    ? Exclude<keyof ScalarFieldSpec, 'as'>
    : S extends { readonly type: 'str' | 'bytes' | 'any' }
      ? keyof SizedFieldSpec
      : keyof StructFieldSpec;

/**
 * A spec with every option it does not take typed `never`, so that a typo (`lenght`) or a
 * misplaced option (`length` on `str`, `as` on `i32`) is a compile error and not only a runtime one.
 */
export type ExactSpec<S> = S &
  { readonly [K in Exclude<keyof S, AllowedSpecKeys<S>>]: never } &
  // Arrays of i64/u64 are BigInt64Array/BigUint64Array views: `as: 'number'` cannot apply.
  (S extends { readonly length: number; readonly as: 'number' } ? { readonly as: never } : unknown);

type NumberScalar = 'i8' | 'u8' | 'i16' | 'u16' | 'i32' | 'u32' | 'f32' | 'f64';

interface TypedArrayOf {
  i8: Int8Array;
  u8: Uint8Array;
  i16: Int16Array;
  u16: Uint16Array;
  i32: Int32Array;
  u32: Uint32Array;
  i64: BigInt64Array;
  u64: BigUint64Array;
  f32: Float32Array;
  f64: Float64Array;
  bool: Uint8Array;
}

/** The TypeScript type a view returns for a field spec. */
export type ValueOfSpec<S> = S extends { readonly type: infer C extends StructClass }
  ? S extends { readonly length: number }
    ? ReadonlyArray<InstanceType<C>>
    : InstanceType<C>
  : S extends { readonly type: infer T extends ScalarType; readonly length: number }
    ? TypedArrayOf[T]
    : S extends { readonly type: NumberScalar }
      ? number
      : S extends { readonly type: 'i64' | 'u64' }
        ? S extends { readonly as: 'number' }
          ? number
          : bigint
        : S extends { readonly type: 'bool' }
          ? boolean
          : S extends { readonly type: 'str' }
            ? string
            : S extends { readonly type: 'bytes' }
              ? Uint8Array
              : S extends { readonly type: 'any' }
                ? unknown
                : never;

export interface ScalarInfo {
  readonly size: number;
  readonly min: number | bigint;
  readonly max: number | bigint;
  readonly integer: boolean;
  readonly bigint: boolean;
}

/** Size (= natural alignment on x86-64/arm64) and range of each scalar. */
export const SCALARS: Readonly<Record<ScalarType, ScalarInfo>> = Object.freeze({
  i8: { size: 1, min: -128, max: 127, integer: true, bigint: false },
  u8: { size: 1, min: 0, max: 255, integer: true, bigint: false },
  i16: { size: 2, min: -32768, max: 32767, integer: true, bigint: false },
  u16: { size: 2, min: 0, max: 65535, integer: true, bigint: false },
  i32: { size: 4, min: -2147483648, max: 2147483647, integer: true, bigint: false },
  u32: { size: 4, min: 0, max: 4294967295, integer: true, bigint: false },
  i64: { size: 8, min: -(2n ** 63n), max: 2n ** 63n - 1n, integer: true, bigint: true },
  u64: { size: 8, min: 0n, max: 2n ** 64n - 1n, integer: true, bigint: true },
  f32: { size: 4, min: -Infinity, max: Infinity, integer: false, bigint: false },
  f64: { size: 8, min: -Infinity, max: Infinity, integer: false, bigint: false },
  bool: { size: 1, min: 0, max: 1, integer: false, bigint: false },
});

export function isScalarType(name: unknown): name is ScalarType {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(SCALARS, name);
}

/** Alignment of an `any` field: 8, so a number or bigint payload is naturally aligned. */
export const ANY_ALIGN = 8;
