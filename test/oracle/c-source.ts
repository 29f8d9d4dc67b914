// Emits one C11 program that declares every struct of a test run and prints sizeof, _Alignof and,
// for every field path (nested ones included), offsetof, sizeof and __alignof__ as gcc computes them.
import type { ScalarType } from '@structsync/core';
import { dependencyOrder, flattenedFields, type FieldDef, type StructDef } from './struct-def.js';

const C_SCALAR: Readonly<Record<ScalarType, string>> = {
  i8: 'int8_t',
  u8: 'uint8_t',
  i16: 'int16_t',
  u16: 'uint16_t',
  i32: 'int32_t',
  u32: 'uint32_t',
  i64: 'int64_t',
  u64: 'uint64_t',
  f32: 'float',
  f64: 'double',
  bool: '_Bool',
};

/** What one printed line measures: the whole struct, a field, or one element of an array field. */
export type ProbeKind = 'struct' | 'field' | 'element';

export interface Probe {
  readonly struct: string;
  readonly kind: ProbeKind;
  /** structsync's dotted path (`lines.2.price`); empty for the whole struct. */
  readonly path: string;
  /** The C member designator (`lines[2].price`). */
  readonly designator: string;
}

/**
 * `any` is a byte array whose type is 8-aligned: a typedef carries that alignment, so `packed`
 * drops it exactly as it drops a nested struct's alignment, and a field `align` raises it.
 */
const anyTypedef = (size: number): string => `structsync_any_${size}`;

function memberDeclaration(field: FieldDef): string {
  const { type } = field;
  const extent = field.length === undefined ? '' : `[${field.length}]`;
  const aligned = field.align === undefined ? '' : ` __attribute__((aligned(${field.align})))`;
  let declaration: string;
  if (typeof type === 'object') declaration = `struct ${type.name} ${field.name}${extent}`;
  else if (type === 'str' || type === 'bytes') declaration = `unsigned char ${field.name}[${field.size}]`;
  else if (type === 'any') declaration = `${anyTypedef(field.size!)} ${field.name}`;
  else declaration = `${C_SCALAR[type]} ${field.name}${extent}`;
  return `  ${declaration}${aligned};`;
}

/** The C declaration of one struct, flattened over its base classes. */
export function structDeclaration(def: StructDef): string {
  const attributes = [...(def.packed === true ? ['packed'] : []), ...(def.align === undefined ? [] : [`aligned(${def.align})`])];
  const head = attributes.length === 0 ? `struct ${def.name}` : `struct __attribute__((${attributes.join(', ')})) ${def.name}`;
  return `${head} {\n${flattenedFields(def).map(memberDeclaration).join('\n')}\n};`;
}

/** Every path worth measuring in `def`: each field, the last element of each array, and nested fields. */
export function probesOf(def: StructDef): Probe[] {
  const probes: Probe[] = [{ struct: def.name, kind: 'struct', path: '', designator: '' }];
  const walk = (fields: readonly FieldDef[], path: string, designator: string): void => {
    for (const field of fields) {
      const fieldPath = path === '' ? field.name : `${path}.${field.name}`;
      const fieldDesignator = designator === '' ? field.name : `${designator}.${field.name}`;
      probes.push({ struct: def.name, kind: 'field', path: fieldPath, designator: fieldDesignator });
      let innerPath = fieldPath;
      let innerDesignator = fieldDesignator;
      if (field.length !== undefined) {
        const last = field.length - 1;
        innerPath = `${fieldPath}.${last}`;
        innerDesignator = `${fieldDesignator}[${last}]`;
        probes.push({ struct: def.name, kind: 'element', path: innerPath, designator: innerDesignator });
      }
      if (typeof field.type === 'object') walk(flattenedFields(field.type), innerPath, innerDesignator);
    }
  };
  walk(flattenedFields(def), '', '');
  return probes;
}

/** The whole program: declarations of `defs` and everything they nest, and a table of probes. */
export function programFor(defs: readonly StructDef[]): { source: string; probes: Probe[] } {
  const ordered = dependencyOrder(defs);
  const anySizes = new Set<number>();
  for (const def of ordered) for (const field of flattenedFields(def)) if (field.type === 'any') anySizes.add(field.size!);
  const probes = ordered.flatMap(probesOf);
  const rows = probes.map((probe) => {
    const type = `struct ${probe.struct}`;
    const measures =
      probe.kind === 'struct'
        ? `0, sizeof(${type}), _Alignof(${type})`
        : `offsetof(${type}, ${probe.designator}), sizeof(((${type} *)0)->${probe.designator}), ` +
          `__alignof__(((${type} *)0)->${probe.designator})`;
    return `  { "${probe.struct}", "${probe.path}", ${measures} },`;
  });
  const source = [
    '#include <stddef.h>',
    '#include <stdint.h>',
    '#include <stdio.h>',
    ...[...anySizes].map((size) => `typedef unsigned char ${anyTypedef(size)}[${size}] __attribute__((aligned(8)));`),
    ...ordered.map(structDeclaration),
    'struct probe { const char *structName; const char *path; size_t offset, size, align; };',
    'static const struct probe probes[] = {',
    ...rows,
    '};',
    'int main(void) {',
    '  for (size_t i = 0; i < sizeof probes / sizeof probes[0]; i++)',
    '    printf("%s\\t%s\\t%zu\\t%zu\\t%zu\\n", probes[i].structName, probes[i].path, probes[i].offset, probes[i].size, probes[i].align);',
    '  return 0;',
    '}',
    '',
  ].join('\n');
  return { source, probes };
}
