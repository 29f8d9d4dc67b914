// Compares structsync's layout of a class with gcc's measurements of the same struct, probe by
// probe, and returns every disagreement as a readable line (empty when they agree).
import { layoutOf, offsetof, type FieldLayout, type StructClass, type StructLayout } from '@structsync/core';
import { probesOf } from './c-source.js';
import { measureKey, type Measure } from './gcc.js';
import type { StructDef } from './struct-def.js';

/** The field a dotted path ends in, and whether the path ends in an array index. */
function fieldAt(layout: StructLayout, path: string): { field: FieldLayout; element: boolean } {
  let current = layout;
  let found: FieldLayout | undefined;
  let element = false;
  for (const part of path.split('.')) {
    if (/^\d+$/.test(part)) {
      element = true;
      continue;
    }
    if (found?.struct !== undefined) current = found.struct;
    found = current.fields.find((f) => f.name === part);
    element = false;
    if (found === undefined) throw new Error(`oracle bug: ${layout.name} has no path ${path}`);
  }
  return { field: found!, element };
}

export function compareWithGcc(def: StructDef, type: StructClass, measures: ReadonlyMap<string, Measure>): string[] {
  const layout = layoutOf(type);
  const problems: string[] = [];
  const differ = (what: string, ours: number, gcc: number): void => {
    if (ours !== gcc) problems.push(`${what}: structsync ${ours}, gcc ${gcc}`);
  };
  for (const probe of probesOf(def)) {
    const gcc = measures.get(measureKey(probe.struct, probe.path));
    if (gcc === undefined) throw new Error(`oracle bug: gcc printed nothing for ${probe.struct} ${probe.path}`);
    if (probe.kind === 'struct') {
      differ(`sizeof(${def.name})`, layout.size, gcc.size);
      differ(`_Alignof(${def.name})`, layout.align, gcc.align);
      continue;
    }
    differ(`offsetof(${def.name}, ${probe.designator})`, offsetof(type, probe.path), gcc.offset);
    const { field, element } = fieldAt(layout, probe.path);
    differ(`sizeof(${def.name}.${probe.designator})`, element ? field.elementSize : field.size, gcc.size);
    // An array element's alignment is its type's, which packing does not change; only whole fields carry one.
    if (!element) differ(`__alignof__(${def.name}.${probe.designator})`, field.align, gcc.align);
  }
  return problems;
}
