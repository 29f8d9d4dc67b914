// Generated struct↔map converters, one per (root struct, tag, options), cached. A writer is one
// flat function: nested records are unrolled into locals, so checking and then writing needs no
// staging memory and allocates nothing for numeric records. A struct array is a loop over one
// generated element encoder, which checks each element and encodes it into a private copy of the
// array's bytes (written over the record only once every value passed): unrolled per element,
// the writer outgrew V8's limit on the bytecode it optimises (61,440 bytes, 16 string elements)
// and ran interpreted, 15× slower per element (issue 14). Safe generation in
// ajv's discipline: keys reach source only through `literal` (JSON.stringify + U+2028/9 escapes),
// offsets and sizes are checked integers, every other value is passed in through `K`.
import { literal } from '../view/codegen.js';
import { fromQuotedJson, jsonOutput } from './json-text.js';
import { f32OverflowSource, valueProblem, writeInt64, writeValue } from '../view/field-codec.js';
import { mapKeys, type FieldLayout, type StructLayout } from '../layout/layout.js';
import { inputFault, joinPath, missingKey, notAMap, notAnArrayOf, problemError } from './map-errors.js';
import {
  dropKey,
  isEmptyAny,
  jsonValue,
  numberValue,
  omittedZero,
  readAnyField,
  readBytesArray,
  readInt64Number,
  readScalarArray,
  readStructArray,
  reusable,
  type ReadMode,
  type RecordReader,
} from './map-read.js';
import { assertUnmoved, extraKey, FOR_IN_LISTS_OWN_PROTO, int64FromText, isMapObject, isReservedKey, snapshotValue, type RecordWriter, type WriteMode } from './map-write.js';
import { readString, stringBytes, writeString } from './map-strings.js';
import { fitUtf8 } from '../utf8.js';
import { getI64, getU64, setI64, setU64 } from '../int64-word.js';

/** Beyond this many map values a writer is not unrolled; the interpreted writer takes over. */
export const MAX_UNROLLED_VALUES = 2048;
/** `str` fields up to this many bytes get the packed ASCII path in generated writers. */
const SHORT_STRING = 32;
/** Unrolled ASCII characters per generated function, to stay well under V8's 61,440-byte optimisation limit. */
const UNROLLED_CHARACTERS = 256;

export class TooLargeToUnroll extends Error {}

/**
 * A reusable buffer for one struct array field of one writer. Taken for the call (a getter of
 * the input may run fromMap again: that call then finds none spare and allocates its own).
 */
class Scratch {
  spare: { readonly bytes: Uint8Array; readonly data: DataView } | undefined = undefined;
  constructor(readonly size: number) {}
}

/** The scratch of `holder`, holding the record's current bytes at `at` (fields the map does not write keep them). */
function takeScratch(holder: Scratch, bytes: Uint8Array, at: number): { readonly bytes: Uint8Array; readonly data: DataView } {
  let scratch = holder.spare;
  holder.spare = undefined;
  if (scratch === undefined) {
    const copy = new Uint8Array(holder.size);
    scratch = { bytes: copy, data: new DataView(copy.buffer) };
  }
  // A getter may already have detached or shrunk the buffer: the check after reading reports it.
  if (bytes.length >= at + holder.size) scratch.bytes.set(bytes.subarray(at, at + holder.size));
  return scratch;
}

function int(n: number): string {
  if (!Number.isSafeInteger(n) || n < 0) throw new TypeError(`map codegen: ${n} is not a non-negative integer`);
  return String(n);
}

// DataView accessor and "not this type" test for each number scalar (the test runs after typeof).
const NUMBERS: Readonly<Record<string, { get: string; set: string; le: string; invalid: (v: string) => string }>> = {
  i8: { get: 'getInt8', set: 'setInt8', le: '', invalid: (v) => `((${v} << 24) >> 24) !== ${v}` },
  u8: { get: 'getUint8', set: 'setUint8', le: '', invalid: (v) => `(${v} & 255) !== ${v}` },
  i16: { get: 'getInt16', set: 'setInt16', le: ', true', invalid: (v) => `((${v} << 16) >> 16) !== ${v}` },
  u16: { get: 'getUint16', set: 'setUint16', le: ', true', invalid: (v) => `(${v} & 65535) !== ${v}` },
  i32: { get: 'getInt32', set: 'setInt32', le: ', true', invalid: (v) => `(${v} | 0) !== ${v}` },
  u32: { get: 'getUint32', set: 'setUint32', le: ', true', invalid: (v) => `(${v} >>> 0) !== ${v}` },
  f32: { get: 'getFloat32', set: 'setFloat32', le: ', true', invalid: f32OverflowSource },
  f64: { get: 'getFloat64', set: 'setFloat64', le: ', true', invalid: () => 'false' },
};

/**
 * Where an error points: the root struct, the dotted path, and what is there. In an element
 * encoder the path is relative to the element, whose own path is only built on error.
 */
interface Site {
  readonly root: string;
  readonly path: string;
  /** The struct a map at this site should hold (the element encoder's own site). */
  readonly nested?: string;
  readonly field?: FieldLayout;
  readonly key?: string;
  readonly layout?: StructLayout;
  readonly mode?: WriteMode;
}

// ---------------------------------------------------------------- writers (fromMap)

const WRITER_PARAMS = ['K', 'hasOwn', 'isMap', 'bad', 'missing', 'notMap', 'notArray', 'extra', 'other', 'live', 'stringBytes', 'fitUtf8', 'writeString', 'writeInt64', 'writeValue', 'takeScratch', 'elementPath', 'fromText', 'SAFE_MIN', 'SAFE_MAX', 'setI64', 'setU64'];

/** `prefix.index` (an element's path; index < 0: the prefix itself), then `rel` within it. */
function elementPath(rel: string, prefix: string, index: number): string {
  const element = index < 0 ? prefix : joinPath(prefix, index);
  return rel === '' ? element : joinPath(element, rel);
}

/** A site's full path: in an element encoder, the element's path (`prefix`, `index`) joined to the site's. */
function pathOf(site: Site, prefix: string | undefined, index: number | undefined): string {
  return prefix === undefined ? site.path : elementPath(site.path, prefix, index!);
}

const writerHelpers = {
  bad(site: Site, value: unknown, prefix?: string, index?: number): never {
    const problem = valueProblem(site.field!, value, site.mode!.truncate) ?? { code: 'TYPE_MISMATCH' as const, message: 'value refused' };
    throw problemError(site.root, pathOf(site, prefix, index), problem);
  },
  missing(site: Site, prefix?: string, index?: number): never {
    throw missingKey(site.root, pathOf(site, prefix, index), site.key!);
  },
  notMap(site: Site, value: unknown, prefix?: string, index?: number): never {
    throw notAMap(site.root, pathOf(site, prefix, index), value, site.nested ?? site.field?.type);
  },
  /** `count`: the length as read once (undefined when `value` is not an array). */
  notArray(site: Site, value: unknown, count: unknown, prefix?: string, index?: number): never {
    throw notAnArrayOf(site.root, pathOf(site, prefix, index), site.field!, value, count);
  },
  extra(site: Site, key: string, prefix?: string, index?: number): void {
    extraKey(site.root, pathOf(site, prefix, index), site.layout!, key, site.mode!);
  },
  fromText(site: Site, text: string, prefix?: string, index?: number): bigint {
    return int64FromText(site.root, pathOf(site, prefix, index), site.field!, text);
  },
  /** Arrays, bytes and `any`: a private copy, checked; returns what to write. */
  other(site: Site, value: unknown, prefix?: string, index?: number): unknown {
    const path = pathOf(site, prefix, index);
    const copy = snapshotValue(site.root, path, site.field!, value);
    const problem = valueProblem(site.field!, copy, site.mode!.truncate);
    if (problem !== undefined) throw problemError(site.root, path, problem);
    return copy;
  },
};

/** What the functions of one writer share: the constants (`K`) and one encoder per element struct. */
class WriterUnit {
  readonly consts: unknown[] = [];
  private readonly encoders = new Map<StructLayout, string>();

  constructor(
    readonly root: StructLayout,
    readonly mode: WriteMode,
  ) {}

  constant(value: unknown): string {
    this.consts.push(value);
    return `K[${this.consts.length - 1}]`;
  }

  /** The element encoder of `layout`, generated once per writer; its name in the writer's K. */
  encoder(layout: StructLayout): string {
    let name = this.encoders.get(layout);
    if (name === undefined) {
      const emitter = new WriterSource(this, true);
      emitter.record(layout, 'm', '', 0);
      const factory = new Function(...WRITER_PARAMS, emitter.elementSource(layout)) as (...args: unknown[]) => unknown;
      name = this.constant(factory(...this.helperArguments()));
      this.encoders.set(layout, name);
    }
    return name;
  }

  /** The values of WRITER_PARAMS for this writer. */
  helperArguments(): unknown[] {
    const h = writerHelpers;
    return [
      this.consts,
      Object.prototype.hasOwnProperty,
      isMapObject,
      h.bad,
      h.missing,
      h.notMap,
      h.notArray,
      h.extra,
      h.other,
      assertUnmoved,
      stringBytes,
      fitUtf8,
      writeString,
      writeInt64,
      writeValue,
      takeScratch,
      elementPath,
      h.fromText,
      BigInt(Number.MIN_SAFE_INTEGER),
      BigInt(Number.MAX_SAFE_INTEGER),
      setI64,
      setU64,
    ];
  }
}

/**
 * One generated function: the writer of a root record, or (`element`) the encoder of one struct
 * array element, which checks the element map `m` and writes it at `off` of the scratch bytes it
 * is given; its error paths are relative to the element, whose path is (P, I).
 */
class WriterSource {
  readonly locals: string[] = ['k'];
  readonly check: string[] = [];
  readonly write: string[] = [];
  /** Scratch locals of the root's struct arrays and their holders, given back after the write. */
  private readonly scratches: { local: string; holder: string }[] = [];
  private count = 0;
  /** Characters of str fields given the unrolled ASCII path so far (see UNROLLED_CHARACTERS). */
  private unrolled = 0;

  constructor(
    readonly unit: WriterUnit,
    readonly element: boolean,
  ) {}

  get mode(): WriteMode {
    return this.unit.mode;
  }

  /** The extra arguments of a helper call: the element's path in an element encoder. */
  private get at(): string {
    return this.element ? ', P, I' : '';
  }

  constant(value: unknown): string {
    return this.unit.constant(value);
  }

  local(prefix: string, initial = ''): string {
    if (++this.count > MAX_UNROLLED_VALUES) throw new TooLargeToUnroll();
    const name = `${prefix}${this.count}`;
    this.locals.push(initial === '' ? name : `${name} = ${initial}`);
    return name;
  }

  site(path: string, extra: Omit<Site, 'root' | 'path' | 'mode'> = {}): string {
    return this.constant(Object.freeze({ root: this.unit.root.name, path, mode: this.mode, ...extra }));
  }

  /** Checks of the record held by map `m` (already known to be a map object), and its writes. */
  record(layout: StructLayout, m: string, path: string, base: number): void {
    const keys = mapKeys(layout, this.mode.tag);
    const recordSite = this.site(path, { layout });
    const vars = keys.map(() => ({ value: this.local('v'), present: this.local('p', 'false') }));
    // The scan only notes which allow-listed keys are own and enumerable; values are then read
    // with constant keys (a monomorphic load that keeps a double unboxed: no allocation).
    const cases = keys.map(({ key }, i) => `case ${literal(key)}: ${vars[i]!.present} = true; break;`);
    const otherwise = this.mode.strip ? `if (${isReservedKeyTest('k')}) extra(${recordSite}, k${this.at});` : `extra(${recordSite}, k${this.at});`;
    this.check.push(
      `for (k in ${m}) {`,
      `  if (!hasOwn.call(${m}, k)) continue;`,
      `  switch (k) { ${cases.join(' ')} default: ${otherwise} }`,
      `}`,
    );
    if (!FOR_IN_LISTS_OWN_PROTO) this.check.push(`if (hasOwn.call(${m}, "__proto__")) extra(${recordSite}, "__proto__"${this.at});`);
    keys.forEach(({ key, field, omitEmpty, asString }, i) => {
      const { value, present } = vars[i]!;
      const fieldPath = joinPath(path, field.name);
      const site = this.site(fieldPath, { field, key });
      // Writing a whole record, an absent omitempty key is the zero value toMap left out.
      const zero = omitEmpty && !this.mode.partial ? omittedZero(field) : undefined;
      const read = `${m}[${literal(key)}]`;
      if (!this.mode.partial && zero === undefined) this.check.push(`if (!${present}) missing(${site}${this.at});`);
      this.check.push(this.mode.partial ? `if (${present}) {` : '{', `${value} = ${zero === undefined ? read : `${present} ? ${read} : ${zero.source}`};`);
      // Go's `,string`: the value may come as the string of its JSON text (json-text.ts).
      if (asString) this.check.push(`if (typeof ${value} === 'string') ${value} = ${this.constant(fromQuotedJson)}(${this.constant(field)}, ${value});`);
      this.field(field, value, present, site, fieldPath, base);
      this.check.push('}');
    });
  }

  private field(field: FieldLayout, v: string, present: string, site: string, path: string, base: number): void {
    const at = `off + ${int(base + field.offset)}`;
    const ctx = this.at;
    const emitWrite = (statement: string): void => {
      this.write.push(this.mode.partial ? `if (${present}) ${statement}` : statement);
    };
    const number = field.kind === 'scalar' ? NUMBERS[field.scalar!] : undefined;
    if (number !== undefined) {
      this.check.push(`if (typeof ${v} !== 'number' || ${number.invalid(v)}) bad(${site}, ${v}${this.at});`);
      emitWrite(`data.${number.set}(${at}, ${v}${number.le});`);
      return;
    }
    switch (field.kind) {
      case 'scalar': {
        if (field.scalar === 'bool') {
          this.check.push(`if (typeof ${v} !== 'boolean') bad(${site}, ${v}${this.at});`);
          emitWrite(`data.setUint8(${at}, ${v} ? 1 : 0);`);
          return;
        }
        // JSON's form of a 64-bit integer, decimal text, becomes a bigint first, then is range-checked.
        this.check.push(`if (typeof ${v} === 'string') ${v} = fromText(${site}, ${v}${ctx});`);
        const signed = field.scalar === 'i64';
        // One inlined wrap-and-compare, where two bigint comparisons were two builtin calls.
        const bigRange = `BigInt.${signed ? 'asIntN' : 'asUintN'}(64, ${v}) !== ${v}`;
        const safe = field.asNumber ? ` || ${v} < SAFE_MIN || ${v} > SAFE_MAX` : '';
        const numberBad = `typeof ${v} !== 'number' || !Number.isSafeInteger(${v})${signed ? '' : ` || ${v} < 0`}`;
        this.check.push(`if (typeof ${v} === 'bigint' ? (${bigRange}${safe}) : (${numberBad})) bad(${site}, ${v}${this.at});`);
        emitWrite(`{ if (typeof ${v} === 'bigint') ${signed ? 'setI64' : 'setU64'}(data, ${at}, ${v}); else writeInt64(data, ${at}, ${v}, ${signed}); }`);
        return;
      }
      case 'str': {
        const size = int(field.size);
        const length = this.local('n');
        const tooLong = this.mode.truncate ? '' : ` || ${length} > ${size}`;
        const units = this.mode.truncate ? `(${length} > ${size} ? fitUtf8(${v}, ${size}) : ${v}.length)` : `${v}.length`;
        const general = `if ((${length} = stringBytes(${v})) < 0${tooLong}) bad(${site}, ${v}${this.at});`;
        const generalWrite = `writeString(data, bytes, ${at}, ${size}, ${v}, ${length}, ${units});`;
        this.check.push(`if (typeof ${v} !== 'string') bad(${site}, ${v}${this.at});`);
        // Past the budget, the general path: unrolled, a wide record outgrew V8's limit on the
        // bytecode it optimises (24 str[32] fields ran interpreted, 10× slower per field).
        if (field.size > SHORT_STRING || (this.unrolled += field.size) > UNROLLED_CHARACTERS) {
          this.check.push(general);
          emitWrite(generalWrite);
          return;
        }
        // A short ASCII string (the usual case) is packed into words while it is checked
        // (length -1 marks it); anything else takes the general UTF-8 path. Unrolled, one nested
        // test per character: a quarter faster than a loop per word, and a NUL or a character
        // past 127 makes `bad` negative.
        const words = Array.from({ length: Math.ceil(field.size / 4) }, () => this.local('w'));
        const c = this.local('c');
        const bad = this.local('b');
        let unrolled = '';
        for (let k = field.size - 1; k >= 0; k--) {
          const pack = `${c} = ${v}.charCodeAt(${k}); ${bad} |= (${c} - 1) | (127 - ${c}); ${words[k >> 2]} |= ${c} << ${(k & 3) * 8};`;
          unrolled = `if (${v}.length > ${k}) { ${pack}${unrolled === '' ? '' : ` ${unrolled}`} }`;
        }
        this.check.push(
          `if (${v}.length <= ${size}) { ${bad} = 0; ${words.map((w) => `${w} = 0;`).join(' ')} ${unrolled} } else ${bad} = -1;`,
          `if (${bad} >= 0) ${length} = -1;`,
          `else ${general}`,
        );
        const stores = words.map((w, i) => {
          const bytesLeft = field.size - i * 4;
          if (bytesLeft >= 4) return `data.setUint32(${at} + ${i * 4}, ${w}, true);`;
          return Array.from({ length: bytesLeft }, (_, j) => `data.setUint8(${at} + ${i * 4 + j}, (${w} >>> ${j * 8}) & 255);`).join(' ');
        });
        emitWrite(`{ if (${length} === -1) { ${stores.join(' ')} } else ${generalWrite} }`);
        return;
      }
      case 'bytes':
      case 'array':
      case 'any':
        this.check.push(`${v} = other(${site}, ${v}${ctx});`);
        emitWrite(`writeValue(data, bytes, off + ${int(base)}, ${this.constant(field)}, ${v}, ${this.mode.truncate});`);
        return;
      case 'struct':
        this.check.push(`if (!isMap(${v})) notMap(${site}, ${v}${ctx});`);
        this.record(field.struct!, v, path, base + field.offset);
        return;
      case 'structArray': {
        const length = int(field.length!);
        const step = int(field.elementSize);
        const count = this.local('l');
        this.check.push(`if (!Array.isArray(${v}) || (${count} = ${v}.length) !== ${length}) notArray(${site}, ${v}, ${count}${ctx});`);
        const encode = this.unit.encoder(field.struct!);
        // Elements are read in index order, each once, by the encoder of their struct.
        if (this.element) {
          // Already in scratch: encode straight into it. The path is only built per element here.
          const prefix = this.local('q');
          this.check.push(`${prefix} = elementPath(${literal(path)}, P, I);`);
          this.check.push(`for (let i = 0; i < ${length}; i++) ${encode}(${v}[i], data, bytes, ${at} + i * ${step}, ${prefix}, i);`);
          return;
        }
        const holder = this.constant(new Scratch(field.size));
        const scratch = this.local('s');
        this.scratches.push({ local: scratch, holder });
        this.check.push(
          `${scratch} = takeScratch(${holder}, bytes, ${at});`,
          `for (let i = 0; i < ${length}; i++) ${encode}(${v}[i], ${scratch}.data, ${scratch}.bytes, i * ${step}, ${literal(path)}, i);`,
        );
        emitWrite(`bytes.set(${scratch}.bytes, ${at});`);
        return;
      }
    }
  }

  source(): string {
    const release = this.scratches.map(({ local, holder }) => `${holder}.spare = ${local};`);
    return [
      '"use strict";',
      'return function fromMapGenerated(map, data, bytes, off, state) {',
      `  let ${this.locals.join(', ')};`,
      '  try {',
      `    if (!isMap(map)) notMap(${this.site('')}, map);`,
      ...this.check.map((line) => `    ${line}`),
      '  } catch (error) { throw inputFault(error); }',
      // A getter of the input may have released or moved the view, or detached / shrunk its buffer.
      `  if (state !== undefined && (state.released || (state.live !== undefined && state.live[state.slot] !== state.generation) || bytes.length < off + ${int(this.unit.root.size)} || state.offset !== off || state.bytes !== bytes)) live(state, bytes, off);`,
      ...this.write.map((line) => `  ${line}`),
      ...release.map((line) => `  ${line}`),
      '};',
    ].join('\n');
  }

  /** An element encoder: checks and writes straight away (into scratch; the caller writes the record). */
  elementSource(layout: StructLayout): string {
    return [
      '"use strict";',
      'return function fromMapElement(m, data, bytes, off, P, I) {',
      `  let ${this.locals.join(', ')};`,
      `  if (!isMap(m)) notMap(${this.site('', { nested: layout.name })}, m, P, I);`,
      ...this.check.map((line) => `  ${line}`),
      ...this.write.map((line) => `  ${line}`),
      '};',
    ].join('\n');
  }
}

function isReservedKeyTest(k: string): string {
  return `(${k} === "__proto__" || ${k} === "constructor" || ${k} === "prototype")`;
}

/** The source of the generated writer for `layout` under `mode` (for debugging and tests); element encoders are in `consts`. */
export function writerSource(layout: StructLayout, mode: WriteMode): { source: string; unit: WriterUnit } {
  const unit = new WriterUnit(layout, mode);
  const emitter = new WriterSource(unit, false);
  emitter.record(layout, 'map', '', 0);
  return { source: emitter.source(), unit };
}

export function generateWriter(layout: StructLayout, mode: WriteMode): RecordWriter {
  const { source, unit } = writerSource(layout, mode);
  const root = layout.name;
  const factory = new Function(...WRITER_PARAMS, 'inputFault', source) as (...args: unknown[]) => RecordWriter;
  return factory(...unit.helperArguments(), (error: unknown) => inputFault(root, error));
}

// ---------------------------------------------------------------- readers (toMap)

const READER_PARAMS = ['K', 'R', 'ROOT', 'readString', 'readInt64Number', 'readScalarArray', 'readBytesArray', 'readAnyField', 'readStructArray', 'reusable', 'isEmpty', 'dropKey', 'jsonValue', 'numberValue', 'joinPath', 'getI64', 'getU64'];

interface ReaderParts {
  readonly source: string;
  readonly consts: unknown[];
  readonly nested: (StructLayout | undefined)[];
}

/** Source of the generated reader of one struct level (nested structs get their own reader). */
export function readerSource(layout: StructLayout, mode: ReadMode): ReaderParts {
  const keys = mapKeys(layout, mode.tag);
  const consts: unknown[] = [];
  const constant = (value: unknown): string => `K[${consts.push(value) - 1}]`;
  const lines: string[] = [];
  const values: { key: string; expr: string; empty: string | undefined }[] = [];
  keys.forEach(({ key, field, omitEmpty, asString }, i) => {
    // The layout refuses these keys; `"__proto__": x` in an object literal would set the prototype.
    if (isReservedKey(key)) throw new TypeError(`map codegen: reserved key ${key}`);
    const v = `v${i}`;
    const at = `off + ${int(field.offset)}`;
    const reuse = `(into === undefined ? undefined : into[${literal(key)}])`;
    const F = constant(field);
    let read: string;
    let empty: string | undefined;
    let int64 = false;
    const number = field.kind === 'scalar' ? NUMBERS[field.scalar!] : undefined;
    if (number !== undefined) {
      read = `data.${number.get}(${at}${number.le})`;
      empty = `${v} === 0`;
    } else if (field.kind === 'scalar' && field.scalar === 'bool') {
      read = `data.getUint8(${at}) !== 0`;
      empty = `${v} === false`;
    } else if (field.kind === 'scalar' && field.asNumber) {
      read = `readInt64Number(ROOT, path, ${F}, data, ${at})`;
      empty = `${v} === 0`;
    } else if (field.kind === 'scalar') {
      read = `${field.scalar === 'i64' ? 'getI64' : 'getU64'}(data, ${at})`;
      empty = `${v} === 0n`;
      int64 = true;
    } else if (field.kind === 'str') {
      read = `readString(data, bytes, ${at}, ${int(field.size)})`;
      empty = `${v} === ''`;
    } else if (field.kind === 'bytes') {
      read = `readBytesArray(${F}, bytes, ${at}, ${reuse})`;
    } else if (field.kind === 'array') {
      read = `readScalarArray(${F}, data, ${at}, ${literal(mode.int64)}, ${reuse}, ROOT, path)`;
    } else if (field.kind === 'any') {
      read = `readAnyField(ROOT, path, ${F}, data, bytes, ${at})`;
      empty = `isEmpty(${v})`;
      int64 = true;
    } else if (field.kind === 'struct') {
      read = `R[${i}](data, bytes, ${at}, reusable(${reuse}), joinPath(path, ${literal(field.name)}))`;
    } else {
      read = `readStructArray(${F}, R[${i}], data, bytes, ${at}, ${reuse}, joinPath(path, ${literal(field.name)}))`;
    }
    lines.push(`const ${v} = ${read};`);
    const converted = mode.int64 === 'string' ? `jsonValue(${v})` : `numberValue(ROOT, path, ${literal(field.name)}, ${v})`;
    // JSON's form (toJSON, int64: 'string'): `,string` quoting and float32s at their shortest, as Go writes them (json-text.ts).
    const goJson = mode.int64 === 'string' && (asString || (field.kind === 'scalar' && field.scalar === 'f32'));
    const expr = goJson ? `${constant(jsonOutput)}(${F}, ${asString}, ${v})` : int64 && mode.int64 !== 'bigint' ? converted : v;
    values.push({ key, expr, empty: omitEmpty ? empty : undefined });
  });
  // A fresh map is one object literal up to the first omitempty key (one allocation, one shape);
  // later keys are added in field order so that key order never depends on the code path.
  const first = values.findIndex((x) => x.empty !== undefined);
  const literalPart = first < 0 ? values : values.slice(0, first);
  const rest = first < 0 ? [] : values.slice(first);
  const assign = (o: string, x: (typeof values)[number], fresh: boolean): string =>
    x.empty === undefined
      ? `${o}[${literal(x.key)}] = ${x.expr};`
      : `if (!(${x.empty})) ${o}[${literal(x.key)}] = ${x.expr};${fresh ? '' : ` else dropKey(${o}, ${literal(x.key)});`}`;
  const whole = (xs: typeof values): string => `{ ${xs.map((x) => `${literal(x.key)}: ${x.expr}`).join(', ')} }`;
  // Usually no omitempty field is empty: then the whole map is one literal (no shape changes).
  const noneEmpty = rest.filter((x) => x.empty !== undefined).map((x) => `!(${x.empty})`);
  const source = [
    '"use strict";',
    'return function toMapGenerated(data, bytes, off, into, path) {',
    ...lines.map((l) => `  ${l}`),
    '  if (into === undefined) {',
    ...(noneEmpty.length === 0 ? [] : [`    if (${noneEmpty.join(' && ')}) return ${whole(values)};`]),
    `    const o = ${whole(literalPart)};`,
    ...rest.map((x) => `    ${assign('o', x, true)}`),
    '    return o;',
    '  }',
    ...values.map((x) => `  ${assign('into', x, false)}`),
    '  return into;',
    '};',
  ].join('\n');
  return { source, consts, nested: keys.map(({ field }) => field.struct) };
}

/** A generated reader for `layout`, its errors naming `root`; nested readers are generated too. */
export function generateReader(root: string, layout: StructLayout, mode: ReadMode): RecordReader {
  const { source, consts, nested } = readerSource(layout, mode);
  const readers = nested.map((n) => (n === undefined ? undefined : generateReader(root, n, mode)));
  const factory = new Function(...READER_PARAMS, source) as (...args: unknown[]) => RecordReader;
  return factory(consts, readers, root, readString, readInt64Number, readScalarArray, readBytesArray, readAnyField, readStructArray, reusable, isEmptyAny, dropKey, jsonValue, numberValue, joinPath, getI64, getU64);
}
