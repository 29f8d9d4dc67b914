// Random input for the Go oracle: struct tags (well-formed and malformed, as go vet judges them)
// and Go-expressible structs (no packed, no align, no any, no base classes) with tags and values.
import fc from 'fast-check';
import type { ScalarType } from '@structsync/core';

// ---- tags ----

/** Characters of json names encoding/json accepts, minus <>& (Go escapes them in JSON output). */
const NAME_CHARS = ['a', 'b', 'z', 'A', 'Q', '_', '0', '7', '-', '.', ' ', '!', '#', '$', '%', '(', ')', '*', '+', '/', ':', ';', '=', '?', '@', '[', ']', '^', '{', '|', '}', '~', 'é', 'ß', '中', 'Ж', '٣'];
/** Characters that make a json name one encoding/json refuses (it then uses the field name). */
const BAD_NAME_CHARS = ["'", '\\\\', '\\"', '`', ',x', '\\t', '€'];
const KEYS = ['json', 'db', 'yaml', 'xml', 'asn1', 'é', 'x-api', '9k'];
const OPTIONS = ['omitempty', 'string', '', 'flow', 'inline', 'omitempty', 'string'];
/** Go escapes whose text is valid UTF-8 (a JavaScript string cannot hold other bytes). */
const ESCAPES = ['\\u00e9', '\\x41', '\\101', '\\U0001F600', '\\u4e2d'];

const nameArb = fc.array(fc.constantFrom(...NAME_CHARS), { minLength: 1, maxLength: 6 }).map((cs) => cs.join(''));

/** A value as written between the quotes (Go escapes included). */
const valueArb = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(fc.oneof(nameArb, fc.constant('')), fc.array(fc.constantFrom(...OPTIONS), { maxLength: 3 })).map(([n, o]) => [n, ...o].join(',')) },
  { weight: 1, arbitrary: fc.constantFrom('-', '-,', '-,omitempty') },
  { weight: 1, arbitrary: fc.tuple(nameArb, fc.constantFrom(...ESCAPES), nameArb).map((p) => p.join('')) },
  { weight: 1, arbitrary: fc.tuple(nameArb, fc.constantFrom(...BAD_NAME_CHARS)).map((p) => p.join('')) },
);

const pairArb = fc.tuple(fc.constantFrom(...KEYS), valueArb).map(([k, v]) => `${k}:"${v}"`);

/** Ways to break a tag that go vet catches (and the short form, which is structsync's own). */
const MANGLES = [
  (t: string) => t.replace(' ', '\t'), // a tab between pairs
  (t: string) => t.replace('" ', '"'), // pairs not separated
  (t: string) => t.replace(',', ', '), // a space in options
  (t: string) => t.replace(/"$/, ''), // unterminated
  (t: string) => t.replace(':', ''), // no colon
  (t: string) => `${t} x:"a\nb"`, // a raw newline in a value
  (t: string) => `${t} asn1:"a b"`, // asn1 takes no space
  (t: string) => `${t} xml:" a"`, // xml: a leading space
  (t: string) => `${t} y:"\\q"`, // an unknown escape
  (t: string) => `\t${t}`,
];

/** A random tag string: mostly well-formed, sometimes mangled, sometimes with a key twice. */
export const tagArb: fc.Arbitrary<string> = fc
  .tuple(fc.array(pairArb, { minLength: 1, maxLength: 4 }), fc.nat({ max: 3 }), fc.integer({ min: -1, max: MANGLES.length * 3 - 1 }), fc.constantFrom(' ', '  ', ' '))
  .map(([pairs, leading, mangle, space]) => {
    const tag = ' '.repeat(leading === 3 ? 1 : 0) + pairs.join(space);
    return mangle >= 0 && mangle < MANGLES.length ? MANGLES[mangle]!(tag) : tag;
  });

// ---- structs ----

export type GoScalar = Exclude<ScalarType, never>;
const SCALARS: readonly GoScalar[] = ['i8', 'u8', 'i16', 'u16', 'i32', 'u32', 'i64', 'u64', 'f32', 'f64', 'bool'];

export interface GoFieldDef {
  readonly name: string;
  readonly type: GoScalar | 'str' | 'bytes' | GoStructDef;
  readonly length?: number;
  readonly size?: number;
  readonly tag?: string;
}

export interface GoStructDef {
  readonly name: string;
  readonly fields: readonly GoFieldDef[];
}

type FieldShape = Omit<GoFieldDef, 'name' | 'type' | 'tag'> & { readonly type: GoScalar | 'str' | 'bytes' | StructShape; readonly tag?: TagShape };
interface StructShape {
  readonly fields: readonly FieldShape[];
}
/** A json tag for a record field: a name (or none, or another field's name) and options. */
interface TagShape {
  readonly name: string | 'other-field' | '';
  readonly options: readonly string[];
}

const tagShape: fc.Arbitrary<TagShape> = fc.record({
  name: fc.oneof({ weight: 5, arbitrary: nameArb }, { weight: 1, arbitrary: fc.constant('') }, { weight: 1, arbitrary: fc.constant('other-field' as const) }),
  options: fc.array(fc.constantFrom('omitempty', 'string', '', 'flow'), { maxLength: 2 }),
});

function fieldShape(depth: number): fc.Arbitrary<FieldShape> {
  const tag = fc.option(tagShape, { nil: undefined, freq: 3 });
  const scalar = fc.record({ type: fc.constantFrom(...SCALARS), tag }, { requiredKeys: ['type'] });
  const array = fc.record({ type: fc.constantFrom(...SCALARS), length: fc.integer({ min: 0, max: 4 }), tag }, { requiredKeys: ['type', 'length'] });
  const sized = fc.record({ type: fc.constantFrom('str' as const, 'bytes' as const), size: fc.integer({ min: 0, max: 12 }), tag }, { requiredKeys: ['type', 'size'] });
  const arms: fc.WeightedArbitrary<FieldShape>[] = [
    { weight: 8, arbitrary: scalar },
    { weight: 2, arbitrary: array },
    { weight: 2, arbitrary: sized },
  ];
  if (depth > 0) {
    const nested = fc.record({ type: goStructShape(depth - 1), length: fc.option(fc.integer({ min: 0, max: 3 }), { nil: undefined }), tag }, { requiredKeys: ['type'] });
    arms.push({ weight: 2, arbitrary: nested.map((f) => (f.length === undefined ? { type: f.type, tag: f.tag } : f)) });
  }
  return fc.oneof(...arms);
}

/** A struct shape; its first field is a scalar, so that no struct is all zero-size fields (EMPTY_STRUCT). */
export function goStructShape(depth: number): fc.Arbitrary<StructShape> {
  const first = fc.record({ type: fc.constantFrom(...SCALARS), tag: fc.option(tagShape, { nil: undefined, freq: 3 }) }, { requiredKeys: ['type'] });
  return fc.tuple(first, fc.array(fieldShape(depth), { maxLength: 6 })).map(([head, rest]) => ({ fields: [head, ...rest] }));
}

/** Go has no `,string` or omitempty rule that matches structsync for these kinds (see the test's header). */
function tagFor(shape: FieldShape, index: number, fields: readonly FieldShape[]): string | undefined {
  const tag = shape.tag;
  if (tag === undefined) return undefined;
  const scalar = typeof shape.type === 'string' && shape.type !== 'str' && shape.type !== 'bytes' && shape.length === undefined;
  const options = scalar ? tag.options : tag.options.filter((o) => o !== 'omitempty' && o !== 'string');
  // Another field's Go name: a tagged field dominating an untagged one (or, if that one is
  // tagged too, two fields whose keys only look alike).
  const name = tag.name === 'other-field' ? `F${(index + 1) % fields.length}` : tag.name;
  return `json:"${[name, ...options].join(',')}"`;
}

/** Names every struct `G<n>` and field `F<i>` (Go-exported, so encoding/json sees them). */
export function nameGoShapes(shapes: readonly StructShape[]): GoStructDef[] {
  let next = 0;
  const nameStruct = (shape: StructShape): GoStructDef => {
    const name = `G${next++}`;
    const fields = shape.fields.map((f, i): GoFieldDef => {
      const type = typeof f.type === 'object' ? nameStruct(f.type) : f.type;
      const tag = tagFor(f, i, shape.fields);
      return { name: `F${i}`, type, ...(f.length === undefined ? {} : { length: f.length }), ...(f.size === undefined ? {} : { size: f.size }), ...(tag === undefined ? {} : { tag }) };
    });
    // Two tagged fields on one key: go vet refuses (repeats json tag), structsync too; keep the first.
    const seen = new Set<string>();
    const unique = fields.map((f) => {
      const key = jsonKeyOf(f);
      if (key === undefined || !seen.has(key)) {
        if (key !== undefined) seen.add(key);
        return f;
      }
      const { tag: _dropped, ...rest } = f;
      return rest;
    });
    return { name, fields: unique };
  };
  return shapes.map(nameStruct);
}

/** The key a field's json tag names, or undefined (untagged, `-`, or an empty name). */
function jsonKeyOf(field: GoFieldDef): string | undefined {
  const match = /^json:"([^,"]*)/.exec(field.tag ?? '');
  return match === null || match[1] === '' || match[1] === '-' ? undefined : match[1];
}

/** Every struct reachable from `defs`, each once, dependencies first. */
export function goDependencyOrder(defs: readonly GoStructDef[]): GoStructDef[] {
  const out: GoStructDef[] = [];
  const seen = new Set<GoStructDef>();
  const visit = (def: GoStructDef): void => {
    if (seen.has(def)) return;
    seen.add(def);
    for (const field of def.fields) if (typeof field.type === 'object') visit(field.type);
    out.push(def);
  };
  defs.forEach(visit);
  return out;
}
