// Accessor classes for views. Generated (FlatBuffers-style getters at literal offsets, one class
// per struct, cached) or interpreted (no `new Function`, for CSP) with identical behaviour.
// Safe generation in ajv's discipline: field names reach source only through `JSON.stringify`
// (plus U+2028/2029 escapes); numbers are checked integers; runtime values are parameters.
import type { FieldLayout, StructLayout } from './layout.js';
import { scalarProblem, stringProblem, readInt64AsNumber, writeInt64 } from './field-codec.js';
import { getField, POISON, REPOINT, setField, throwProblem, type ViewView } from './field-access.js';
import { viewToJSON } from './map.js';
import { writeUtf8, readUtf8 } from './utf8.js';
import { accessFault, fieldError, STATE, type ViewState } from './view-state.js';

export type AccessorClass = new (state: ViewState) => ViewView;

const generated = new WeakMap<StructLayout, AccessorClass>();
const interpreted = new WeakMap<StructLayout, AccessorClass>();
const sources = new WeakMap<StructLayout, string>();

/** A string literal safe to place in generated source. */
export function literal(value: string): string {
  return JSON.stringify(value).replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

function int(n: number): string {
  if (!Number.isSafeInteger(n)) throw new TypeError(`codegen: ${n} is not an integer`);
  return String(n);
}

// DataView method and the integer check for each fixed-width number type.
const NUMBER_ACCESS: Readonly<Record<string, { get: string; set: string; le: boolean; invalid: string }>> = {
  i8: { get: 'getInt8', set: 'setInt8', le: false, invalid: '((v << 24) >> 24) !== v' },
  u8: { get: 'getUint8', set: 'setUint8', le: false, invalid: '(v & 255) !== v' },
  i16: { get: 'getInt16', set: 'setInt16', le: true, invalid: '((v << 16) >> 16) !== v' },
  u16: { get: 'getUint16', set: 'setUint16', le: true, invalid: '(v & 65535) !== v' },
  i32: { get: 'getInt32', set: 'setInt32', le: true, invalid: '(v | 0) !== v' },
  u32: { get: 'getUint32', set: 'setUint32', le: true, invalid: '(v >>> 0) !== v' },
  f32: { get: 'getFloat32', set: 'setFloat32', le: true, invalid: 'false' },
  f64: { get: 'getFloat64', set: 'setFloat64', le: true, invalid: 'false' },
};

function accessors(field: FieldLayout): string {
  const key = literal(field.name);
  const at = `this.#o + ${int(field.offset)}`;
  const i = int(field.index);
  const guard = (body: string): string => `try { ${body} } catch (e) { throw fault(this, e); }`;
  const number = field.kind === 'scalar' ? NUMBER_ACCESS[field.scalar!] : undefined;
  if (number !== undefined) {
    const le = number.le ? ', true' : '';
    return `
  get [${key}]() { ${guard(`return this.#d.${number.get}(${at}${le});`)} }
  set [${key}](v) {
    if (typeof v !== 'number' || ${number.invalid}) bad(this, ${i}, v);
    ${guard(`this.#d.${number.set}(${at}, v${le});`)}
  }`;
  }
  if (field.kind === 'scalar' && field.scalar === 'bool') {
    return `
  get [${key}]() { ${guard(`return this.#d.getUint8(${at}) !== 0;`)} }
  set [${key}](v) {
    if (typeof v !== 'boolean') bad(this, ${i}, v);
    ${guard(`this.#d.setUint8(${at}, v ? 1 : 0);`)}
  }`;
  }
  if (field.kind === 'scalar') {
    const signed = field.scalar === 'i64';
    const read = field.asNumber
      ? `const x = readInt64AsNumber(this.#d, ${at}, ${signed}); if (x !== x) tooBig(this, ${i}); return x;`
      : `return this.#d.${signed ? 'getBigInt64' : 'getBigUint64'}(${at}, true);`;
    return `
  get [${key}]() { ${guard(read)} }
  set [${key}](v) {
    bad64(this, ${i}, v);
    ${guard(`writeInt64(this.#d, ${at}, v, ${signed});`)}
  }`;
  }
  if (field.kind === 'str') {
    const size = int(field.size);
    return `
  get [${key}]() { ${guard(`const b = this.#b; if (b.length === 0) throw null; return readUtf8(b, ${at}, ${size});`)} }
  set [${key}](v) {
    badString(this, ${i}, v);
    ${guard(`const b = this.#b; if (b.length === 0) throw null; writeUtf8(b, ${at}, ${size}, v);`)}
  }`;
  }
  return `
  get [${key}]() { return getField(this, ${i}); }
  set [${key}](v) { setField(this, ${i}, v); }`;
}

/** The source of the generated accessor class (for debugging; see `generatedSource`). */
export function accessorSource(layout: StructLayout): string {
  let source = sources.get(layout);
  if (source === undefined) {
    source = `'use strict';
return class View {
  #d; #b; #o;
  constructor(state) {
    this.#d = state.data; this.#b = state.bytes; this.#o = state.offset;
    Object.defineProperty(this, STATE, { value: state });
  }
  [REPOINT](offset) { this.#o = offset; this[STATE].offset = offset; }
  [POISON]() { this.#d = null; this.#b = null; }
  toJSON() { return viewToJSON(this); }
${layout.fields.map(accessors).join('\n')}
};`;
    sources.set(layout, source);
  }
  return source;
}

// Error helpers the generated code calls; each throws.
function bad(view: ViewView, index: number, value: unknown): void {
  const field = view[STATE].layout.fields[index]!;
  throwProblem(view, field, scalarProblem(field.scalar!, field.asNumber, value)!);
}
function bad64(view: ViewView, index: number, value: unknown): void {
  const field = view[STATE].layout.fields[index]!;
  const p = scalarProblem(field.scalar!, field.asNumber, value);
  if (p !== undefined) throwProblem(view, field, p);
}
function badString(view: ViewView, index: number, value: unknown): void {
  const field = view[STATE].layout.fields[index]!;
  const p = stringProblem(field.size, value, false);
  if (p !== undefined) throwProblem(view, field, p);
}
function tooBig(view: ViewView, index: number): never {
  const state = view[STATE];
  const field = state.layout.fields[index]!;
  throw fieldError(state.layout, field, 'OUT_OF_RANGE', `the stored ${field.scalar} is past 2^53; declare it without as: 'number' to read a bigint`);
}
function fault(view: ViewView, error: unknown): unknown {
  return accessFault(view, error ?? new TypeError('detached buffer'));
}

const PARAMS = ['STATE', 'REPOINT', 'POISON', 'getField', 'setField', 'readUtf8', 'writeUtf8', 'readInt64AsNumber', 'writeInt64', 'bad', 'bad64', 'badString', 'tooBig', 'fault', 'viewToJSON'];
const ARGS = [STATE, REPOINT, POISON, getField, setField, readUtf8, writeUtf8, readInt64AsNumber, writeInt64, bad, bad64, badString, tooBig, fault, viewToJSON];

function generate(layout: StructLayout): AccessorClass {
  const View = new Function(...PARAMS, accessorSource(layout))(...ARGS) as AccessorClass;
  Object.setPrototypeOf(View.prototype, layout.type.prototype);
  return View;
}

function interpret(layout: StructLayout): AccessorClass {
  class View {
    declare [STATE]: ViewState;
    constructor(state: ViewState) {
      Object.defineProperty(this, STATE, { value: state });
    }
    [REPOINT](offset: number): void {
      this[STATE].offset = offset;
    }
    [POISON](): void {
      // The state's `released` flag, checked on every access, already stops this view.
    }
    toJSON(): unknown {
      return viewToJSON(this);
    }
  }
  for (const field of layout.fields) {
    Object.defineProperty(View.prototype, field.name, {
      get(this: ViewView) {
        return getField(this, field.index);
      },
      set(this: ViewView, value: unknown) {
        setField(this, field.index, value);
      },
      enumerable: false,
      configurable: true,
    });
  }
  Object.setPrototypeOf(View.prototype, layout.type.prototype);
  return View as unknown as AccessorClass;
}

let evalAllowed: boolean | undefined;
/** Whether this runtime lets us compile accessors (a CSP may forbid `new Function`). */
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
    View = useGenerated ? generate(layout) : interpret(layout);
    cache.set(layout, View);
  }
  return View;
}
