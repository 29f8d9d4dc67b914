// The Go oracle, beside gcc's: random struct tags and Go-expressible structs are compiled by Go
// (one `go vet` and one `go build` per run), and structsync must read every tag as
// reflect.StructTag.Lookup and encoding/json do (refusing exactly what go vet calls malformed, and
// json names encoding/json would not use), lay every struct out as Go does (sizes, alignments,
// offsets, zero-length fields included), write the bytes Go holds for the same values, read the
// bytes back into the Go value, and print the JSON json.Marshal prints. Go's side of structsync's
// JSON conventions is spelled out in Go: i64/u64 as decimal strings, `str` as a NUL-padded byte
// array that marshals as a string. Strings and names leave out <, > and & (Go escapes them in
// JSON) and control characters (Go and JavaScript escape them differently).
// STRUCTSYNC_GO_ORACLE_SEED=<seed> replays a run; STRUCTSYNC_GO_ORACLE_RUNS scales it.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { Field, layoutOf, parseTags, sizeof, Struct, StructSyncError, view, fromMap, type FieldSpec, type StructClass, type StructLayout } from '@structsync/core';
import { goDependencyOrder, goStructShape, nameGoShapes, tagArb, type GoFieldDef, type GoStructDef } from './oracle/go-arbitrary.js';
import { goProgram, goType, type RecordCase, type TagCase } from './oracle/go-source.js';
import { runGo, type GoRun } from './oracle/go.js';

const RUNS = Number(process.env.STRUCTSYNC_GO_ORACLE_RUNS ?? 1);
const TAGS = 1000 * RUNS;
const STRUCTS = 300 * RUNS;
const SEED = process.env.STRUCTSYNC_GO_ORACLE_SEED === undefined ? Date.now() % 2 ** 31 : Number(process.env.STRUCTSYNC_GO_ORACLE_SEED);
const replay = `seed ${SEED} (replay with STRUCTSYNC_GO_ORACLE_SEED=${SEED})`;

/** mulberry32: the values' generator, seeded from the run's seed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = random(SEED ^ 0x5eed);
const pick = <T,>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;
const int = (min: number, max: number): number => min + Math.floor(rand() * (max - min + 1));

// ---- values: each as structsync takes it and as a Go literal ----

type Value = { readonly js: unknown; readonly go: string };
const F64_SPECIALS = [0.1, 1e21, 1e-7, 123456789.125, 5e-324, 1.7976931348623157e308, 1e20, 0.000001, 2.5];
const STR_CHARS = ['a', 'Z', '0', ' ', '-', '_', '.', '!', '"', '\\', 'é', '中', '😀'];

function scalarValue(type: string): Value {
  switch (type) {
    case 'bool': {
      const b = rand() < 0.5;
      return { js: b, go: String(b) };
    }
    case 'i8':
    case 'u8':
    case 'i16':
    case 'u16':
    case 'i32':
    case 'u32': {
      const bits = Number(type.slice(1));
      const n = rand() < 0.2 ? 0 : type[0] === 'i' ? int(-(2 ** (bits - 1)), 2 ** (bits - 1) - 1) : int(0, 2 ** bits - 1);
      return { js: n, go: String(n) };
    }
    case 'i64':
    case 'u64': {
      let n = (BigInt(int(0, 2 ** 32 - 1)) << 32n) | BigInt(int(0, 2 ** 32 - 1));
      if (type === 'i64') n = BigInt.asIntN(64, n);
      if (rand() < 0.2) n = 0n;
      return { js: n, go: n.toString() };
    }
    case 'f32': {
      const f = Math.fround(rand() < 0.5 ? Number((rand() * 1000).toFixed(int(0, 3))) : (rand() - 0.5) * 10 ** int(-8, 30));
      return { js: f, go: String(f) };
    }
    default: {
      const d = rand() < 0.3 ? pick(F64_SPECIALS) * (rand() < 0.5 ? -1 : 1) : rand() < 0.5 ? Number((rand() * 1e4).toFixed(int(0, 4))) : (rand() - 0.5) * 10 ** int(-30, 30);
      return { js: d, go: String(d) };
    }
  }
}

const utf8 = new TextEncoder();

function fieldValue(field: GoFieldDef): Value {
  const { type } = field;
  const go = goType(field);
  if (typeof type === 'object') {
    if (field.length === undefined) return structValue(type);
    const items = Array.from({ length: field.length }, () => structValue(type));
    return { js: items.map((v) => v.js), go: `${go}{${items.map((v) => v.go).join(', ')}}` };
  }
  if (type === 'str') {
    let s = '';
    for (let n = int(0, field.size!); n > 0; n--) {
      const next = s + pick(STR_CHARS);
      if (utf8.encode(next).length <= field.size!) s = next;
    }
    return { js: s, go: `${go}{${Array.from(utf8.encode(s)).join(', ')}}` };
  }
  if (type === 'bytes') {
    const bytes = Array.from({ length: int(0, field.size!) }, () => int(0, 255));
    return { js: bytes, go: `${go}{${bytes.join(', ')}}` };
  }
  if (field.length === undefined) return scalarValue(type);
  const items = Array.from({ length: field.length }, () => scalarValue(type));
  return { js: items.map((v) => v.js), go: `${go}{${items.map((v) => v.go).join(', ')}}` };
}

function structValue(def: GoStructDef): Value {
  const values = def.fields.map((f) => [f.name, fieldValue(f)] as const);
  return { js: Object.fromEntries(values.map(([k, v]) => [k, v.js])), go: `${def.name}{${values.map(([k, v]) => `${k}: ${v.go}`).join(', ')}}` };
}

// ---- the same structs as structsync classes ----

type PropertyDecorator = (target: object, key: string) => void;

function buildGoClass(def: GoStructDef, built: Map<GoStructDef, StructClass>): StructClass {
  const existing = built.get(def);
  if (existing !== undefined) return existing;
  const cls = { [def.name]: class {} }[def.name]!;
  for (const f of def.fields) {
    const tag = f.tag === undefined ? {} : { tag: f.tag };
    const spec: FieldSpec =
      typeof f.type === 'object'
        ? { type: buildGoClass(f.type, built), ...(f.length === undefined ? {} : { length: f.length }), ...tag }
        : f.type === 'str' || f.type === 'bytes'
          ? { type: f.type, size: f.size!, ...tag }
          : { type: f.type, ...(f.length === undefined ? {} : { length: f.length }), ...tag };
    (Field(spec) as PropertyDecorator)(cls.prototype, f.name);
  }
  Struct()(cls);
  built.set(def, cls);
  return cls;
}

/** Which bytes of a record hold field data (padding is unspecified in Go and in C). */
function dataBytes(layout: StructLayout, mask: Uint8Array, base: number): void {
  for (const f of layout.fields) {
    if (f.struct === undefined) mask.fill(1, base + f.offset, base + f.offset + f.size);
    else for (let i = 0; i < (f.length ?? 1); i++) dataBytes(f.struct, mask, base + f.offset + i * f.elementSize);
  }
}

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

/** JSON with every object's keys sorted, for texts that differ only in key order. */
function sortedJson(text: string): string {
  const sort = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(sort) : typeof v === 'object' && v !== null ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, x]) => [k, sort(x)])) : v;
  return JSON.stringify(sort(JSON.parse(text)));
}

/**
 * The same JSON text, or (only where Go's object has an integer-like key, which a JavaScript
 * object always lists first) the same text once keys are sorted. Number texts still must match.
 */
function sameJson(go: string, ours: string): boolean {
  if (go === ours) return true;
  return /"(?:0|[1-9][0-9]*)":/.test(go) && sortedJson(go) === sortedJson(ours);
}

// ---- tag cases ----

const TAG_TYPES = [
  { goType: 'int32', spec: 'i32', value: () => int(-1000, 1000) },
  { goType: 'uint8', spec: 'u8', value: () => int(0, 255) },
  { goType: 'bool', spec: 'bool', value: () => rand() < 0.5 },
  { goType: 'float64', spec: 'f64', value: () => Number((rand() * 100).toFixed(int(0, 3))) },
  { goType: 'float32', spec: 'f32', value: () => Math.fround(Number((rand() * 100).toFixed(int(0, 3)))) },
] as const;

interface TagRun extends TagCase {
  readonly spec: string;
  readonly value: number | boolean;
}

function tagCases(): TagRun[] {
  return fc.sample(tagArb, { numRuns: TAGS, seed: SEED }).map((tag) => {
    const type = pick(TAG_TYPES);
    const value = rand() < 0.25 ? (type.spec === 'bool' ? false : 0) : type.value();
    // The keys the tag names, and two it may not.
    const keys = [...new Set([...tag.matchAll(/(?:^|\s)([^\s:"]+):/g)].map((m) => m[1]!)), 'json', 'nokey'];
    return { tag, goType: type.goType, literal: String(value), keys: [...new Set(keys)], spec: type.spec, value };
  });
}

// ---- the run ----

const tags = tagCases();
const topLevel = nameGoShapes(fc.sample(goStructShape(2), { numRuns: STRUCTS, seed: SEED + 1 }));
const structs = goDependencyOrder(topLevel);
const classes = new Map<GoStructDef, StructClass>();
const records: (RecordCase & { readonly json: string })[] = topLevel.map((def) => {
  const type = buildGoClass(def, classes);
  const value = structValue(def);
  const buffer = new ArrayBuffer(sizeof(type));
  const record = view(type, buffer);
  // Property names (yaml is untagged here): every field, a json-dominated one too.
  fromMap(record, value.js, { tag: 'yaml' });
  return { def, literal: value.go, bytes: hex(new Uint8Array(buffer)), json: JSON.stringify(record) };
});
let go: GoRun;
const lines = new Map<string, string[][]>();

beforeAll(() => {
  for (const def of structs) buildGoClass(def, classes);
  const program = goProgram(structs, records, tags);
  go = runGo(program.source);
  for (const line of go.output.split('\n')) {
    if (line === '') continue;
    const [kind, ...rest] = line.split('\t');
    if (!lines.has(kind!)) lines.set(kind!, []);
    lines.get(kind!)!.push(rest);
  }
  // Each tag case's vet verdict, by the line its field is on.
  for (const [line, index] of program.tagLines) vetByCase.set(index, go.vet.get(line));
  console.info(`go oracle: ${TAGS} tags, ${structs.length} structs (${STRUCTS} top-level), go vet + go build + run in ${go.ms.toFixed(0)} ms, ${replay}`);
}, 300_000);
const vetByCase = new Map<number, string | undefined>();

/**
 * encoding/json's isValidTag (encode.go), transcribed for the one case Go's output cannot show:
 * a name it rejects on a field that omitempty left out. Letters and digits are Unicode's L and Nd.
 */
function goAcceptsJsonName(name: string): boolean {
  if (name === '') return false;
  for (const c of name) {
    if ('!#$%&()*+-./:;<=>?@[]^_{|}~ '.includes(c)) continue;
    if (!/^[\p{L}\p{Nd}]$/u.test(c)) return false;
  }
  return true;
}

describe('Go oracle', () => {
  it(`reads ${TAGS} random tags as reflect.StructTag.Lookup and encoding/json, refusing what go vet refuses`, () => {
    const problems: string[] = [];
    const goTags = lines.get('T') ?? [];
    expect(goTags).toHaveLength(TAGS);
    let refusedByVet = 0;
    let jsonChecked = 0;
    for (const [indexText, lookupText, goJson] of goTags) {
      const index = Number(indexText);
      const c = tags[index]!;
      const vet = vetByCase.get(index);
      let parsed: ReturnType<typeof parseTags> | undefined;
      let refusal: StructSyncError | undefined;
      try {
        parsed = parseTags(c.tag);
      } catch (error) {
        if (!(error instanceof StructSyncError) || error.code !== 'INVALID_TAG') throw error;
        refusal = error;
      }
      const where = `tag ${JSON.stringify(c.tag)}`;
      if (vet !== undefined) {
        refusedByVet++;
        if (refusal === undefined) problems.push(`${where}: go vet says "${vet}", structsync accepts it`);
        continue;
      }
      const lookups = JSON.parse(lookupText!) as [string, boolean, string][];
      const jsonLookup = lookups.find(([k]) => k === 'json')!;
      if (refusal !== undefined) {
        // Allowed only for a json name encoding/json does not use (it falls back to the field name):
        // Go's output shows the field under F, or, when omitempty dropped the field, Go's own rule says so.
        const name = jsonLookup[2].split(',')[0]!;
        const goKeys = Object.keys(JSON.parse(goJson!) as object);
        const fellBack = goKeys.includes('F') || (goKeys.length === 0 && !goAcceptsJsonName(name));
        if (!(jsonLookup[1] && name !== '' && name !== '-' && fellBack && name !== 'F')) problems.push(`${where}: go vet accepts it, structsync refuses: ${refusal.message}`);
        continue;
      }
      for (const [key, ok, value] of lookups) {
        const ours = parsed![key]?.value;
        if ((ours !== undefined) !== ok || (ok && ours !== value)) problems.push(`${where}: Lookup(${JSON.stringify(key)}) is ${ok ? JSON.stringify(value) : 'absent'} in Go, ${ours === undefined ? 'absent' : JSON.stringify(ours)} here`);
      }
      const type = { [`T${index}`]: class {} }[`T${index}`]!;
      (Field({ type: c.spec, tag: c.tag } as FieldSpec) as PropertyDecorator)(type.prototype, 'F');
      Struct()(type);
      const record = view(type, new ArrayBuffer(sizeof(type))) as { F: unknown };
      record.F = c.value;
      const ours = JSON.stringify(record);
      jsonChecked++;
      if (!sameJson(goJson!, ours)) problems.push(`${where}: json.Marshal gives ${goJson}, structsync ${ours}`);
    }
    expect(problems.slice(0, 10), `${problems.length} of ${TAGS} tags differ from Go, ${replay}`).toEqual([]);
    // The generator must reach both sides of go vet's judgement.
    expect(refusedByVet).toBeGreaterThan(TAGS / 10);
    expect(jsonChecked).toBeGreaterThan(TAGS / 3);
  });

  it(`lays out ${STRUCTS} random structs (and those they nest) as Go: sizes, alignments, offsets`, () => {
    const problems: string[] = [];
    const byName = new Map(structs.map((d) => [d.name, layoutOf(classes.get(d)!)]));
    for (const [name, size, align] of lines.get('L') ?? []) {
      const layout = byName.get(name!)!;
      if (layout.size !== Number(size) || layout.align !== Number(align)) problems.push(`${name}: Go size ${size} align ${align}, structsync ${layout.size} / ${layout.align}`);
    }
    for (const [name, field, offset] of lines.get('O') ?? []) {
      const ours = byName.get(name!)!.fields.find((f) => f.name === field)!.offset;
      if (ours !== Number(offset)) problems.push(`${name}.${field}: Go offset ${offset}, structsync ${ours}`);
    }
    expect(lines.get('L')).toHaveLength(structs.length);
    expect(problems.slice(0, 10), `${problems.length} layout differences, ${replay}`).toEqual([]);
    expect(structs.some((d) => d.fields.some((f) => f.length === 0 || f.size === 0))).toBe(true);
  });

  it('writes the bytes Go holds for the same values, and Go reads structsync\'s bytes as that value', () => {
    const problems: string[] = [];
    const goBytes = new Map((lines.get('B') ?? []).map(([name, bytes]) => [name!, bytes!]));
    const goReads = new Map((lines.get('J') ?? []).map(([name, equal, json]) => [name!, { equal: equal === 'true', json: json! }]));
    for (const r of records) {
      const layout = layoutOf(classes.get(r.def)!);
      const mask = new Uint8Array(layout.size);
      dataBytes(layout, mask, 0);
      const theirs = Buffer.from(goBytes.get(r.def.name)!, 'hex');
      const ours = Buffer.from(r.bytes, 'hex');
      const differing = [...mask.keys()].filter((i) => mask[i] === 1 && theirs[i] !== ours[i]);
      if (differing.length > 0) problems.push(`${r.def.name}: bytes ${differing.slice(0, 8).join(', ')} differ (${r.literal})`);
      if (!goReads.get(r.def.name)!.equal) problems.push(`${r.def.name}: Go reads structsync's bytes as another value than ${r.literal}`);
    }
    expect(goBytes.size).toBe(records.length);
    expect(problems.slice(0, 10), `${problems.length} records differ, ${replay}`).toEqual([]);
  });

  it('prints the JSON json.Marshal prints (key order, dominated fields, omitempty, ,string, floats)', () => {
    const goReads = new Map((lines.get('J') ?? []).map(([name, , json]) => [name!, json!]));
    const problems = records.filter((r) => !sameJson(goReads.get(r.def.name)!, r.json)).map((r) => `${r.def.name}: Go ${goReads.get(r.def.name)}\n  structsync ${r.json}`);
    expect(problems.slice(0, 5), `${problems.length} records print other JSON, ${replay}`).toEqual([]);
  });
});
