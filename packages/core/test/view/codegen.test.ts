// Generated accessor classes: literal offsets in inspectable source, safety against hostile field
// names and tag values, caching, and the interpreted fallback when `new Function` is forbidden.
import { describe, expect, it, vi } from 'vitest';
import { generatedSource, layoutOf, offsetof, toMap, view, viewMemory } from '@structsync/core';
import { literal } from '../../src/view/codegen.js';
import { defineStruct } from '../support/define-struct.js';
import { User } from '../support/seed-structs.js';

const HOSTILE_NAMES = [
  'a"]};process.exit()//',
  "'];globalThis.__pwned=1;//",
  '*/ globalThis.__pwned=2; /*',
  '${globalThis.__pwned=3}',
  '`+(globalThis.__pwned=4)+`',
  'line\u2028separator',
  'para\u2029separator',
  '\\',
  '}',
  'with space',
  '1digit',
  '#private',
  '😀',
  'get',
  'set',
  'static',
  'return',
  'await',
  'toString',
];

const Hostile = defineStruct(
  'Hostile',
  HOSTILE_NAMES.map((name, i) => [name, i % 2 === 0 ? { type: 'i32' } : { type: 'str', size: 8 }] as const),
);

const HOSTILE_TAG = 'a"]};process.exit()//\u2028';
const Tagged = defineStruct('Tagged', [
  // yaml and db, not json: encoding/json would refuse these names (INVALID_TAG); other keys take any text.
  ['plain', { type: 'u8', tag: { yaml: HOSTILE_TAG, db: "x'];globalThis.__pwned=5;//" } }],
  ['other', { type: 'u8', tag: { yaml: '__pwned', json: '__pwned' } }],
]);

describe('generated source', () => {
  it('reads and writes at literal offsets, little-endian, and can be inspected', () => {
    const source = generatedSource(User);
    expect(source).toContain(`get age() { const s = this[STATE]; if (s.live !== undefined && s.live[s.slot] !== s.generation) throw fault(this, null); try { return s.data.getInt32(s.offset + ${offsetof(User, 'age')}, true); }`);
    expect(source).toContain('return getI64(s.data, s.offset + 0);');
    expect(source).toContain(`readUtf8(b, at, 16)`);
    expect(source).toBe(generatedSource(User));
    // Tags never reach the source: the map code reads them from the layout.
    expect(source).not.toContain('user_id');
  });

  it('escapes every string it emits, U+2028 and U+2029 included', () => {
    expect(literal('a"b\\c')).toBe('"a\\"b\\\\c"');
    expect(literal('x\u2028y\u2029z')).toBe('"x\\u2028y\\u2029z"');
    expect(() => new Function(`return ${literal('\u2028"\'`${}\\')};`)).not.toThrow();
  });
});

describe.each([true, false])('hostile names and tags (codegen %s)', (codegen) => {
  it('are ordinary fields: each reads and writes its own bytes, and nothing is executed', () => {
    const layout = layoutOf(Hostile);
    const v = view(Hostile, new ArrayBuffer(layout.size), 0, { codegen }) as Record<string, unknown>;
    const { data, bytes, offset } = viewMemory(v);
    HOSTILE_NAMES.forEach((name, i) => {
      if (i % 2 === 0) v[name] = i * 1000 + 1;
      else v[name] = `s${i}`;
    });
    HOSTILE_NAMES.forEach((name, i) => {
      const at = offset + layout.fields.find((f) => f.name === name)!.offset;
      if (i % 2 === 0) {
        expect(v[name]).toBe(i * 1000 + 1);
        expect(data.getInt32(at, true)).toBe(i * 1000 + 1);
      } else {
        expect(v[name]).toBe(`s${i}`);
        expect(new TextDecoder().decode(bytes.subarray(at, at + `s${i}`.length))).toBe(`s${i}`);
      }
    });
    expect((globalThis as { __pwned?: unknown }).__pwned).toBeUndefined();
    const own = Object.getOwnPropertyNames(Object.getPrototypeOf(v)).filter((k) => k !== 'constructor' && k !== 'toJSON');
    expect(own.sort()).toEqual([...HOSTILE_NAMES].sort());
  });

  it('hostile tag values key maps without reaching any source', () => {
    const v = view(Tagged, new ArrayBuffer(2), 0, { codegen }) as Record<string, number>;
    v.plain = 7;
    v.other = 8;
    expect(toMap(v, { tag: 'yaml' })).toEqual({ [HOSTILE_TAG]: 7, __pwned: 8 });
    expect(JSON.parse(JSON.stringify(v))).toEqual({ plain: 7, __pwned: 8 });
    expect(generatedSource(Tagged)).not.toContain('__pwned');
    expect((globalThis as { __pwned?: unknown }).__pwned).toBeUndefined();
  });
});

describe('generated source of hostile names', () => {
  it('holds non-identifiers only as escaped computed keys', () => {
    const source = generatedSource(Hostile);
    expect(source).not.toMatch(/[\u2028\u2029]/);
    for (const name of HOSTILE_NAMES) {
      if (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name)) expect(source).toContain(`get ${name}() {`);
      else expect(source).toContain(`get [${literal(name)}]() {`);
    }
  });
});

describe('when the runtime forbids new Function (CSP)', () => {
  it('falls back to interpreted accessors with the same behaviour', async () => {
    vi.resetModules();
    const core = await import('../../src/index.js');
    class Point {
      x!: number;
    }
    core.Field({ type: 'i32' })(Point.prototype, 'x');
    core.Struct()(Point);
    core.layoutOf(Point); // computed now: reflect-metadata needs the real Function
    // What a CSP without 'unsafe-eval' does: the Function constructor throws EvalError. The
    // runtime is probed once, on the first view this fresh module instance makes.
    vi.stubGlobal('Function', function Function(): never {
      throw new EvalError('Code generation from strings disallowed for this context');
    });
    let p: Point;
    try {
      p = core.view(Point, new ArrayBuffer(4));
    } finally {
      vi.unstubAllGlobals();
    }
    p.x = 41;
    expect(p.x).toBe(41);
    const getter = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(p), 'x')!.get!;
    expect(getter.toString()).not.toContain('s.offset + 0');
    expect(() => (p.x = 1.5)).toThrow(expect.objectContaining({ code: 'NOT_INTEGER' }));
    expect(p).toBeInstanceOf(Point);
    vi.resetModules();
  });
});
