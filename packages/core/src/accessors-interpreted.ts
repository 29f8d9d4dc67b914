// Interpreted accessor classes: the no-`new Function` path (CSP, or `codegen: false`). Same
// behaviour as the generated classes, built from one getter/setter pair of closures per field
// (made once per class, never per access); a property test keeps the two paths in agreement.
import { readScalar, scalarProblem, stringProblem, writeScalar } from './field-codec.js';
import { fault, getField, setField, throwProblem, tooBig, type ViewView } from './field-access.js';
import type { FieldLayout, StructLayout } from './layout.js';
import { viewToJSON } from './map.js';
import { readUtf8, writeUtf8 } from './utf8.js';
import { STATE, type ViewState } from './view-state.js';

type Accessor = { get(this: ViewView): unknown; set(this: ViewView, value: unknown): void };

function scalarAccessor(field: FieldLayout): Accessor {
  const { offset: at, index, scalar, asNumber } = field;
  const type = scalar!;
  return {
    get() {
      const state = this[STATE];
      let value: unknown;
      try {
        value = readScalar(state.data, state.offset + at, type, asNumber);
      } catch (error) {
        throw fault(this, error);
      }
      // Only a 64-bit read as a number yields NaN for "not a safe integer"; float NaN is a value.
      if (asNumber && value !== value) tooBig(this, index);
      return value;
    },
    set(value) {
      const p = scalarProblem(type, asNumber, value);
      if (p !== undefined) throwProblem(this, field, p);
      const state = this[STATE];
      try {
        writeScalar(state.data, state.offset + at, type, value);
      } catch (error) {
        throw fault(this, error);
      }
    },
  };
}

function stringAccessor(field: FieldLayout): Accessor {
  const { offset: relative, size } = field;
  return {
    get() {
      const state = this[STATE];
      const at = state.offset + relative;
      if (state.bytes.length < at + size) throw fault(this, null);
      return readUtf8(state.bytes, at, size);
    },
    set(value) {
      const p = stringProblem(size, value, false);
      if (p !== undefined) throwProblem(this, field, p);
      const state = this[STATE];
      const at = state.offset + relative;
      if (state.bytes.length < at + size) throw fault(this, null);
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

export function interpretedClass(layout: StructLayout): new (state: ViewState) => ViewView {
  class View {
    declare [STATE]: ViewState;
    constructor(state: ViewState) {
      Object.defineProperty(this, STATE, { value: state });
    }
  }
  if (!('toJSON' in layout.type.prototype)) {
    Object.defineProperty(View.prototype, 'toJSON', {
      value: function toJSON(this: ViewView) {
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
  Object.setPrototypeOf(View.prototype, layout.type.prototype);
  return View as unknown as new (state: ViewState) => ViewView;
}
