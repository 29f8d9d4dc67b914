// Interpreted accessor classes: the no-`new Function` path (CSP, or `codegen: false`). Same
// behaviour as the generated classes, built from one getter/setter pair of closures per field
// (made once per class, never per access); a property test keeps the two paths in agreement.
import { checkInt64, checkString, fault, refuseValue, tooBig } from './accessor-errors.js';
import { getField, setField } from './field-access.js';
import { overflowsF32 } from './field-codec.js';
import { getI64, getU64, setI64, setSafeInteger, setU64 } from '../int64-word.js';
import { asInstancesOf, INSPECT, inspectView, viewToJSON, type ViewObject } from './view-protocol.js';
import type { FieldLayout, StructLayout } from '../layout/layout.js';
import { readUtf8, writeUtf8 } from '../utf8.js';
import { STATE, type ViewState } from './view-state.js';

// A module-local copy of the symbol: some module transforms (Vite's SSR, CommonJS interop) turn
// every use of an imported binding into a property load, which the hot getters cannot afford.
const VIEW: typeof STATE = STATE;

type Accessor = { get(this: ViewObject): unknown; set(this: ViewObject, value: unknown): void };
type Getter = (this: ViewObject) => unknown;
type Setter = (this: ViewObject, value: unknown) => void;

// One function literal per scalar type (not one generic reader with a switch): each property's
// getter then stays small and monomorphic, so V8 inlines it and numbers are not boxed. Each checks a
// pool view's slot generation first, as generated accessors do (see accessorSource); written out in
// each, because a shared helper took a loop of six accessors past V8's inlining budget and boxed
// its doubles (view-allocation-interpreted.test.ts caught it).
const GETTERS: Readonly<Record<string, (at: number, index: number) => Getter>> = {
  i8: (at) => function () { const s = this[VIEW]; if (s.live !== undefined && s.live[s.slot] !== s.generation) throw fault(this, null); try { return s.data.getInt8(s.offset + at); } catch (e) { throw fault(this, e); } },
  u8: (at) => function () { const s = this[VIEW]; if (s.live !== undefined && s.live[s.slot] !== s.generation) throw fault(this, null); try { return s.data.getUint8(s.offset + at); } catch (e) { throw fault(this, e); } },
  i16: (at) => function () { const s = this[VIEW]; if (s.live !== undefined && s.live[s.slot] !== s.generation) throw fault(this, null); try { return s.data.getInt16(s.offset + at, true); } catch (e) { throw fault(this, e); } },
  u16: (at) => function () { const s = this[VIEW]; if (s.live !== undefined && s.live[s.slot] !== s.generation) throw fault(this, null); try { return s.data.getUint16(s.offset + at, true); } catch (e) { throw fault(this, e); } },
  i32: (at) => function () { const s = this[VIEW]; if (s.live !== undefined && s.live[s.slot] !== s.generation) throw fault(this, null); try { return s.data.getInt32(s.offset + at, true); } catch (e) { throw fault(this, e); } },
  u32: (at) => function () { const s = this[VIEW]; if (s.live !== undefined && s.live[s.slot] !== s.generation) throw fault(this, null); try { return s.data.getUint32(s.offset + at, true); } catch (e) { throw fault(this, e); } },
  f32: (at) => function () { const s = this[VIEW]; if (s.live !== undefined && s.live[s.slot] !== s.generation) throw fault(this, null); try { return s.data.getFloat32(s.offset + at, true); } catch (e) { throw fault(this, e); } },
  f64: (at) => function () { const s = this[VIEW]; if (s.live !== undefined && s.live[s.slot] !== s.generation) throw fault(this, null); try { return s.data.getFloat64(s.offset + at, true); } catch (e) { throw fault(this, e); } },
  bool: (at) => function () { const s = this[VIEW]; if (s.live !== undefined && s.live[s.slot] !== s.generation) throw fault(this, null); try { return s.data.getUint8(s.offset + at) !== 0; } catch (e) { throw fault(this, e); } },
  i64: (at) => function () { const s = this[VIEW]; if (s.live !== undefined && s.live[s.slot] !== s.generation) throw fault(this, null); try { return getI64(s.data, s.offset + at); } catch (e) { throw fault(this, e); } },
  u64: (at) => function () { const s = this[VIEW]; if (s.live !== undefined && s.live[s.slot] !== s.generation) throw fault(this, null); try { return getU64(s.data, s.offset + at); } catch (e) { throw fault(this, e); } },
  // 64-bit as number: two 32-bit halves read inline, so the number is never boxed by a call.
  i64AsNumber: (at, index) => function () {
    const s = this[VIEW]; if (s.live !== undefined && s.live[s.slot] !== s.generation) throw fault(this, null);
    let x: number;
    try { x = s.data.getInt32(s.offset + at + 4, true) * 4294967296 + s.data.getUint32(s.offset + at, true); } catch (e) { throw fault(this, e); }
    if (x > Number.MAX_SAFE_INTEGER || x < Number.MIN_SAFE_INTEGER) tooBig(this, index);
    return x;
  },
  u64AsNumber: (at, index) => function () {
    const s = this[VIEW]; if (s.live !== undefined && s.live[s.slot] !== s.generation) throw fault(this, null);
    let x: number;
    try { x = s.data.getUint32(s.offset + at + 4, true) * 4294967296 + s.data.getUint32(s.offset + at, true); } catch (e) { throw fault(this, e); }
    if (x > Number.MAX_SAFE_INTEGER) tooBig(this, index);
    return x;
  },
};

// The same cheap validity tests as the generated setters; `refuseValue` recomputes the exact problem.
const SETTERS: Readonly<Record<string, (at: number, index: number) => Setter>> = {
  i8: (at, i) => function (v) { if (typeof v !== 'number' || ((v << 24) >> 24) !== v) refuseValue(this, i, v); const s = this[VIEW]; if (s.live !== undefined && s.live[s.slot] !== s.generation) throw fault(this, null); try { s.data.setInt8(s.offset + at, v as number); } catch (e) { throw fault(this, e); } },
  u8: (at, i) => function (v) { if (typeof v !== 'number' || (v & 255) !== v) refuseValue(this, i, v); const s = this[VIEW]; if (s.live !== undefined && s.live[s.slot] !== s.generation) throw fault(this, null); try { s.data.setUint8(s.offset + at, v as number); } catch (e) { throw fault(this, e); } },
  i16: (at, i) => function (v) { if (typeof v !== 'number' || ((v << 16) >> 16) !== v) refuseValue(this, i, v); const s = this[VIEW]; if (s.live !== undefined && s.live[s.slot] !== s.generation) throw fault(this, null); try { s.data.setInt16(s.offset + at, v as number, true); } catch (e) { throw fault(this, e); } },
  u16: (at, i) => function (v) { if (typeof v !== 'number' || (v & 65535) !== v) refuseValue(this, i, v); const s = this[VIEW]; if (s.live !== undefined && s.live[s.slot] !== s.generation) throw fault(this, null); try { s.data.setUint16(s.offset + at, v as number, true); } catch (e) { throw fault(this, e); } },
  i32: (at, i) => function (v) { if (typeof v !== 'number' || (v | 0) !== v) refuseValue(this, i, v); const s = this[VIEW]; if (s.live !== undefined && s.live[s.slot] !== s.generation) throw fault(this, null); try { s.data.setInt32(s.offset + at, v as number, true); } catch (e) { throw fault(this, e); } },
  u32: (at, i) => function (v) { if (typeof v !== 'number' || v >>> 0 !== v) refuseValue(this, i, v); const s = this[VIEW]; if (s.live !== undefined && s.live[s.slot] !== s.generation) throw fault(this, null); try { s.data.setUint32(s.offset + at, v as number, true); } catch (e) { throw fault(this, e); } },
  f32: (at, i) => function (v) { if (typeof v !== 'number' || overflowsF32(v)) refuseValue(this, i, v); const s = this[VIEW]; if (s.live !== undefined && s.live[s.slot] !== s.generation) throw fault(this, null); try { s.data.setFloat32(s.offset + at, v as number, true); } catch (e) { throw fault(this, e); } },
  f64: (at, i) => function (v) { if (typeof v !== 'number') refuseValue(this, i, v); const s = this[VIEW]; if (s.live !== undefined && s.live[s.slot] !== s.generation) throw fault(this, null); try { s.data.setFloat64(s.offset + at, v as number, true); } catch (e) { throw fault(this, e); } },
  bool: (at, i) => function (v) { if (typeof v !== 'boolean') refuseValue(this, i, v); const s = this[VIEW]; if (s.live !== undefined && s.live[s.slot] !== s.generation) throw fault(this, null); try { s.data.setUint8(s.offset + at, v ? 1 : 0); } catch (e) { throw fault(this, e); } },
  i64: (at, i) => int64Setter(at, i, true),
  u64: (at, i) => int64Setter(at, i, false),
};

/** A bigint, or a safe-integer number (non-negative for u64), written as 64 bits. */
function int64Setter(at: number, index: number, signed: boolean): Setter {
  return function (v) {
    if (typeof v === 'number') {
      if (!Number.isSafeInteger(v) || (!signed && v < 0)) refuseValue(this, index, v);
      const s = this[VIEW]; if (s.live !== undefined && s.live[s.slot] !== s.generation) throw fault(this, null);
      try { setSafeInteger(s.data, s.offset + at, v); } catch (e) { throw fault(this, e); }
    } else {
      checkInt64(this, index, v);
      const s = this[VIEW]; if (s.live !== undefined && s.live[s.slot] !== s.generation) throw fault(this, null);
      try {
        if (signed) setI64(s.data, s.offset + at, v as bigint);
        else setU64(s.data, s.offset + at, v as bigint);
      } catch (e) { throw fault(this, e); }
    }
  };
}

function scalarAccessor(field: FieldLayout): Accessor {
  const type = field.scalar!;
  const reader = field.asNumber ? `${type}AsNumber` : type;
  return { get: GETTERS[reader]!(field.offset, field.index), set: SETTERS[type]!(field.offset, field.index) };
}

function stringAccessor(field: FieldLayout): Accessor {
  const { offset: relative, size } = field;
  return {
    get() {
      const state = this[VIEW]; if (state.live !== undefined && state.live[state.slot] !== state.generation) throw fault(this, null);
      const at = state.offset + relative;
      if (at < 0 || state.bytes.length < at + size) throw fault(this, null);
      return readUtf8(state.bytes, at, size);
    },
    set(value) {
      checkString(this, field.index, value);
      const state = this[VIEW]; if (state.live !== undefined && state.live[state.slot] !== state.generation) throw fault(this, null);
      const at = state.offset + relative;
      if (at < 0 || state.bytes.length < at + size) throw fault(this, null);
      writeUtf8(state.bytes, at, size, value as string);
    },
  };
}

function otherAccessor(field: FieldLayout): Accessor {
  const { index } = field;
  return {
    get() {
      return getField(this, index);
    },
    set(value) {
      setField(this, index, value);
    },
  };
}

function accessorOf(field: FieldLayout): Accessor {
  if (field.kind === 'scalar') return scalarAccessor(field);
  if (field.kind === 'str') return stringAccessor(field);
  return otherAccessor(field);
}

export function interpretedClass(layout: StructLayout): new (state: ViewState) => ViewObject {
  class View {
    declare [STATE]: ViewState;
    constructor(state: ViewState) {
      // Non-enumerable, as in generated classes (see accessorSource).
      Object.defineProperty(this, STATE, { value: state });
    }
    [INSPECT](depth: number, options: object, inspect: (value: unknown, options: object) => string): string {
      return inspectView(this, depth, options, inspect);
    }
  }
  if (!('toJSON' in layout.type.prototype)) {
    Object.defineProperty(View.prototype, 'toJSON', {
      value: function toJSON(this: ViewObject) {
        return viewToJSON(this);
      },
      writable: true,
      configurable: true,
    });
  }
  for (const field of layout.fields) {
    const { get, set } = accessorOf(field);
    // Like class accessors: non-enumerable, on the prototype.
    Object.defineProperty(View.prototype, field.name, { get, set, enumerable: false, configurable: true });
  }
  return asInstancesOf(View, layout) as unknown as new (state: ViewState) => ViewObject;
}
