// Generated accessor classes for views: FlatBuffers-style getters and setters at literal offsets,
// one class per struct, cached. Safe generation in ajv's discipline: field names reach source only
// through `literal` (JSON.stringify plus U+2028/2029 escapes) unless they are plain identifiers;
// numbers are checked integers; runtime values (helpers, symbols) are parameters, never spliced.
import { interpretedClass } from './accessors-interpreted.js';
import { checkInt64, checkString, fault, refuseValue, tooBig } from './accessor-errors.js';
import { getField, setField } from './field-access.js';
import { f32OverflowSource } from './field-codec.js';
import { asInstancesOf, INSPECT, inspectView, viewToJSON, type ViewObject } from './view-protocol.js';
import { layoutOf, type FieldLayout, type StructLayout } from '../layout/layout.js';
import type { StructClass } from '../layout/types.js';
import { writeUtf8, readUtf8 } from '../utf8.js';
import { STATE, type ViewState } from './view-state.js';
import { getI64, getU64, setI64, setU64 } from '../int64-word.js';

export type AccessorClass = new (state: ViewState) => ViewObject;

const generated = new WeakMap<StructLayout, AccessorClass>();
const interpreted = new WeakMap<StructLayout, AccessorClass>();
const sources = new WeakMap<StructLayout, string>();

/** A string literal safe to place in generated source, whatever the string holds. */
export function literal(value: string): string {
  return JSON.stringify(value).replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** A class-member key: the bare name when it is a plain identifier, else a computed string key. */
function memberKey(name: string): string {
  return IDENTIFIER.test(name) ? name : `[${literal(name)}]`;
}

function int(n: number): string {
  if (!Number.isSafeInteger(n)) throw new TypeError(`codegen: ${n} is not an integer`);
  return String(n);
}

// DataView method and the cheap validity test of each fixed-width number type (the error helper
// recomputes the exact problem only when the test fails).
const NUMBER_ACCESS: Readonly<Record<string, { get: string; set: string; le: boolean; invalid: string }>> = {
  i8: { get: 'getInt8', set: 'setInt8', le: false, invalid: '((v << 24) >> 24) !== v' },
  u8: { get: 'getUint8', set: 'setUint8', le: false, invalid: '(v & 255) !== v' },
  i16: { get: 'getInt16', set: 'setInt16', le: true, invalid: '((v << 16) >> 16) !== v' },
  u16: { get: 'getUint16', set: 'setUint16', le: true, invalid: '(v & 65535) !== v' },
  i32: { get: 'getInt32', set: 'setInt32', le: true, invalid: '(v | 0) !== v' },
  u32: { get: 'getUint32', set: 'setUint32', le: true, invalid: '(v >>> 0) !== v' },
  f32: { get: 'getFloat32', set: 'setFloat32', le: true, invalid: f32OverflowSource('v') },
  f64: { get: 'getFloat64', set: 'setFloat64', le: true, invalid: 'false' },
};

function accessors(field: FieldLayout): string {
  const key = memberKey(field.name);
  const at = `s.offset + ${int(field.offset)}`;
  const i = int(field.index);
  // `s` is the view's state: data, bytes and offset live there, so re-pointing is one store. A pool
  // view's slot generation is checked first: the pool may have released the slot through an
  // iteration cursor without reaching this view (a constant-folded undefined for other views).
  const state = 'const s = this[STATE]; if (s.live !== undefined && s.live[s.slot] !== s.generation) throw fault(this, null);';
  const guard = (body: string): string => `${state} try { ${body} } catch (e) { throw fault(this, e); }`;
  const number = field.kind === 'scalar' ? NUMBER_ACCESS[field.scalar!] : undefined;
  if (number !== undefined) {
    const le = number.le ? ', true' : '';
    return `
  get ${key}() { ${guard(`return s.data.${number.get}(${at}${le});`)} }
  set ${key}(v) {
    if (typeof v !== 'number' || ${number.invalid}) refuseValue(this, ${i}, v);
    ${guard(`s.data.${number.set}(${at}, v${le});`)}
  }`;
  }
  if (field.kind === 'scalar' && field.scalar === 'bool') {
    return `
  get ${key}() { ${guard(`return s.data.getUint8(${at}) !== 0;`)} }
  set ${key}(v) {
    if (typeof v !== 'boolean') refuseValue(this, ${i}, v);
    ${guard(`s.data.setUint8(${at}, v ? 1 : 0);`)}
  }`;
  }
  if (field.kind === 'scalar') {
    // 64-bit: two 32-bit halves inline, so a number read or written is never boxed by a call.
    const signed = field.scalar === 'i64';
    const high = signed ? 'getInt32' : 'getUint32';
    const read = field.asNumber
      ? `let x; ${state} try { const at = ${at}; x = s.data.${high}(at + 4, true) * 4294967296 + s.data.getUint32(at, true); } catch (e) { throw fault(this, e); }
    if (x > 9007199254740991 || x < -9007199254740991) tooBig(this, ${i});
    return x;`
      : guard(`return ${signed ? 'getI64' : 'getU64'}(s.data, ${at});`);
    const negative = signed ? '' : ' || v < 0';
    return `
  get ${key}() { ${read} }
  set ${key}(v) {
    if (typeof v === 'number') {
      if (!Number.isSafeInteger(v)${negative}) refuseValue(this, ${i}, v);
      ${guard(`const at = ${at}, hi = Math.floor(v / 4294967296); s.data.setInt32(at + 4, hi, true); s.data.setUint32(at, v - hi * 4294967296, true);`)}
    } else {
      checkInt64(this, ${i}, v);
      ${guard(`${signed ? 'setI64' : 'setU64'}(s.data, ${at}, v);`)}
    }
  }`;
  }
  if (field.kind === 'str') {
    const size = int(field.size);
    // A detached (or released, or shrunk) buffer shows as a Uint8Array too short for the field; a
    // view on no record (records().at with a bad index) as a negative offset.
    const bytes = `const s = this[STATE], b = s.bytes, at = ${at}; if (at < 0 || b.length < at + ${size} || (s.live !== undefined && s.live[s.slot] !== s.generation)) throw fault(this, null);`;
    return `
  get ${key}() { ${bytes} return readUtf8(b, at, ${size}); }
  set ${key}(v) {
    checkString(this, ${i}, v);
    ${bytes} writeUtf8(b, at, ${size}, v);
  }`;
  }
  return `
  get ${key}() { return getField(this, ${i}); }
  set ${key}(v) { setField(this, ${i}, v); }`;
}

/** The source of a layout's generated accessor class (cached; shown by `generatedSource`). */
export function accessorSource(layout: StructLayout): string {
  let source = sources.get(layout);
  if (source === undefined) {
    // A class that defines its own toJSON keeps it; otherwise views serialise by their json tags.
    // The state is a non-enumerable property so that spread or Object.assign copies never carry
    // it. defineProperty costs ~0.3 µs per view made; a plain (enumerable) property would need an
    // identity check on every re-point instead, which costs the scan benchmark about 15%.
    const toJSON = 'toJSON' in layout.type.prototype ? '' : '\n  toJSON() { return viewToJSON(this); }';
    source = `'use strict';
return class View {
  constructor(state) {
    Object.defineProperty(this, STATE, { value: state });
  }
  [INSPECT](depth, options, inspect) { return inspectView(this, depth, options, inspect); }${toJSON}
${layout.fields.map(accessors).join('\n')}
};`;
    sources.set(layout, source);
  }
  return source;
}

/** The generated accessor source for a struct, for debugging (the class views are made from). */
export function generatedSource(type: StructClass): string {
  return accessorSource(layoutOf(type));
}

const PARAMS = ['STATE', 'INSPECT', 'inspectView', 'getField', 'setField', 'readUtf8', 'writeUtf8', 'refuseValue', 'checkInt64', 'checkString', 'tooBig', 'fault', 'viewToJSON', 'getI64', 'getU64', 'setI64', 'setU64'];
const ARGS = [STATE, INSPECT, inspectView, getField, setField, readUtf8, writeUtf8, refuseValue, checkInt64, checkString, tooBig, fault, viewToJSON, getI64, getU64, setI64, setU64];

function generate(layout: StructLayout): AccessorClass {
  const View = new Function(...PARAMS, accessorSource(layout))(...ARGS) as AccessorClass;
  return asInstancesOf(View, layout);
}

let evalAllowed: boolean | undefined;
/** Whether this runtime lets us compile accessors (a CSP may forbid `new Function`). Probed once. */
export function canGenerate(): boolean {
  if (evalAllowed === undefined) {
    try {
      evalAllowed = new Function('return true')() === true;
    } catch {
      evalAllowed = false;
    }
  }
  return evalAllowed;
}

/** The accessor class for a layout: generated when allowed and asked for, interpreted otherwise. */
export function accessorClass(layout: StructLayout, codegen: boolean): AccessorClass {
  const useGenerated = codegen && canGenerate();
  const cache = useGenerated ? generated : interpreted;
  let View = cache.get(layout);
  if (View === undefined) {
    View = useGenerated ? generate(layout) : (interpretedClass(layout) as AccessorClass);
    cache.set(layout, View);
  }
  return View;
}
