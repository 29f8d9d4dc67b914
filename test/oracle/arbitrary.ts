// fast-check arbitraries for random struct definitions: every field type, arrays, nesting up to
// `depth` levels, packed structs, struct and field alignment, and base-class chains.
import fc from 'fast-check';
import type { ScalarType } from '@structsync/core';
import type { BaseDef, FieldDef, StructDef } from './struct-def.js';

const SCALARS: readonly ScalarType[] = ['i8', 'u8', 'i16', 'u16', 'i32', 'u32', 'i64', 'u64', 'f32', 'f64', 'bool'];

// Shapes are definitions without names; names are given afterwards so they are unique per run.
type FieldShape = Omit<FieldDef, 'name' | 'type'> & { readonly type: FieldDef['type'] | StructShape };
interface BaseShape {
  readonly fields: readonly FieldShape[];
  readonly decorated: boolean;
  readonly base?: BaseShape;
}
interface StructShape {
  readonly packed?: boolean;
  readonly align?: number;
  readonly fields: readonly FieldShape[];
  readonly base?: BaseShape;
}

// Mostly no explicit alignment; when present, sometimes below a type's natural alignment (a no-op
// unless packed) and sometimes above it.
const alignment = fc.constantFrom(1, 2, 4, 8, 16, 32);

function fieldShape(depth: number): fc.Arbitrary<FieldShape> {
  const options = { requiredKeys: ['type'] as ['type'] };
  const scalar = fc.record({ type: fc.constantFrom(...SCALARS), length: fc.integer({ min: 1, max: 5 }), align: alignment }, options);
  const sized = fc.record({ type: fc.constantFrom('str' as const, 'bytes' as const), size: fc.integer({ min: 1, max: 40 }), align: alignment }, { requiredKeys: ['type', 'size'] });
  const any = fc.record({ type: fc.constant('any' as const), size: fc.integer({ min: 16, max: 40 }), align: alignment }, { requiredKeys: ['type', 'size'] });
  const arms: fc.WeightedArbitrary<FieldShape>[] = [
    { weight: 8, arbitrary: scalar },
    { weight: 2, arbitrary: sized },
    { weight: 1, arbitrary: any },
  ];
  if (depth > 0) {
    const nested = fc.record({ type: structShape(depth - 1), length: fc.integer({ min: 1, max: 4 }), align: alignment }, options);
    arms.push({ weight: 2, arbitrary: nested });
  }
  return fc.oneof(...arms);
}

function baseShape(levels: number): fc.Arbitrary<BaseShape> {
  const fields = fc.array(fieldShape(0), { minLength: 1, maxLength: 4 });
  if (levels <= 1) return fc.record({ fields, decorated: fc.boolean() });
  return fc.record({ fields, decorated: fc.boolean(), base: baseShape(levels - 1) }, { requiredKeys: ['fields', 'decorated'] });
}

/** A struct shape with up to `depth` levels of nested structs. */
export function structShape(depth: number): fc.Arbitrary<StructShape> {
  return fc.record(
    {
      packed: fc.boolean(),
      align: fc.constantFrom(1, 2, 4, 8, 16, 64),
      fields: fc.array(fieldShape(depth), { minLength: 1, maxLength: 8 }),
      base: baseShape(2),
    },
    { requiredKeys: ['fields'] },
  );
}

/** Gives every struct, base class and field of `shapes` a unique C-safe name (`R<n>`, `f<i>`). */
export function nameShapes(shapes: readonly StructShape[]): StructDef[] {
  let next = 0;
  const structName = (): string => `R${next++}`;
  const nameFields = (fields: readonly FieldShape[], firstIndex: number): FieldDef[] =>
    fields.map((field, i) => ({ ...field, name: `f${firstIndex + i}`, type: typeof field.type === 'object' ? nameStruct(field.type) : field.type }));
  const nameBase = (base: BaseShape): { def: BaseDef; count: number } => {
    const inner = base.base === undefined ? undefined : nameBase(base.base);
    const offset = inner?.count ?? 0;
    const name = structName();
    const def: BaseDef = { name, decorated: base.decorated, fields: nameFields(base.fields, offset), ...(inner ? { base: inner.def } : {}) };
    return { def, count: offset + base.fields.length };
  };
  const nameStruct = (shape: StructShape): StructDef => {
    const base = shape.base === undefined ? undefined : nameBase(shape.base);
    return {
      name: structName(),
      ...(shape.packed === undefined ? {} : { packed: shape.packed }),
      ...(shape.align === undefined ? {} : { align: shape.align }),
      fields: nameFields(shape.fields, base?.count ?? 0),
      ...(base ? { base: base.def } : {}),
    };
  };
  return shapes.map(nameStruct);
}
