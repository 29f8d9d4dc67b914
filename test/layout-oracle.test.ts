// The layout oracle: every struct here, hand-picked and random, is also written as a C struct,
// compiled by the system gcc in one program, and its sizeof/_Alignof/offsetof must match layoutOf.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { Field, layoutOf, offsetof, sizeof, Struct, type StructClass } from '@structsync/core';
import { nameShapes, structShape } from './oracle/arbitrary.js';
import { programFor, structDeclaration } from './oracle/c-source.js';
import { compareWithGcc } from './oracle/compare.js';
import { measureKey, measureWithGcc, type Measure } from './oracle/gcc.js';
import { buildClass, dependencyOrder, type StructDef } from './oracle/struct-def.js';
import { Example, User } from '../packages/core/test/support/seed-structs.js';

// STRUCTSYNC_ORACLE_RUNS raises the count for a longer local sweep.
const RANDOM_STRUCTS = Number(process.env.STRUCTSYNC_ORACLE_RUNS ?? 400);
// A fresh seed each run widens coverage over time; a failure prints it, and the variable replays it.
const SEED = process.env.STRUCTSYNC_ORACLE_SEED === undefined ? Date.now() % 2 ** 31 : Number(process.env.STRUCTSYNC_ORACLE_SEED);

// ---- hand-picked: real decorator syntax, paired with the same struct described for C ----

const userDef: StructDef = {
  name: 'User',
  fields: [
    { name: 'id', type: 'i64' },
    { name: 'name', type: 'str', size: 16 },
    { name: 'age', type: 'i32' },
  ],
};

const exampleDef: StructDef = {
  name: 'Example',
  fields: [
    { name: 'a', type: 'bool' },
    { name: 'b', type: 'i64' },
    { name: 'c', type: 'i32' },
  ],
};

@Struct()
class Wide {
  @Field({ type: 'u16' }) small!: number;
  @Field({ type: 'u64', as: 'number' }) big!: number;
  @Field({ type: 'u32' }) middle!: number;
}
const wideDef: StructDef = {
  name: 'Wide',
  fields: [
    { name: 'small', type: 'u16' },
    { name: 'big', type: 'u64' },
    { name: 'middle', type: 'u32' },
  ],
};

class Timestamped {
  @Field({ type: 'u8' }) version!: number;
  @Field({ type: 'f64' }) createdAt!: number;
}
@Struct()
class Account extends Timestamped {
  @Field({ type: 'u16' }) flags!: number;
  @Field({ type: 'i64', length: 2 }) balances!: BigInt64Array;
}
const accountDef: StructDef = {
  name: 'Account',
  base: {
    name: 'Timestamped',
    decorated: false,
    fields: [
      { name: 'version', type: 'u8' },
      { name: 'createdAt', type: 'f64' },
    ],
  },
  fields: [
    { name: 'flags', type: 'u16' },
    { name: 'balances', type: 'i64', length: 2 },
  ],
};

// Described only: built at runtime with plain decorator calls, like the random ones.
const addressDef: StructDef = {
  name: 'Address',
  fields: [
    { name: 'zip', type: 'u16' },
    { name: 'city', type: 'str', size: 5 },
  ],
};
const vectorDef: StructDef = { name: 'Vector', align: 16, fields: [{ name: 'x', type: 'f32', length: 3 }] };
const handPicked: readonly StructDef[] = [
  userDef,
  exampleDef,
  wideDef,
  accountDef,
  {
    name: 'Customer',
    fields: [
      { name: 'flags', type: 'u8' },
      { name: 'addr', type: addressDef },
      { name: 'old', type: addressDef, length: 3 },
      { name: 'pos', type: 'f64', length: 2 },
    ],
  },
  {
    name: 'PackedHeader',
    packed: true,
    fields: [
      { name: 'kind', type: 'u8' },
      { name: 'length', type: 'u32' },
      { name: 'checksum', type: 'u64' },
      { name: 'payload', type: 'any', size: 20 },
    ],
  },
  { name: 'PackedAligned', packed: true, align: 4, fields: [{ name: 'a', type: 'u8' }, { name: 'b', type: 'i64' }, { name: 'c', type: 'u8' }] },
  { name: 'PackedFieldAlign', packed: true, fields: [{ name: 'a', type: 'u8' }, { name: 'b', type: 'i64', align: 2 }, { name: 'c', type: 'i16' }] },
  { name: 'FieldAlign', fields: [{ name: 'a', type: 'u8' }, { name: 'b', type: 'i32', align: 16 }, { name: 'c', type: 'i64', align: 2 }] },
  { name: 'Particles', fields: [{ name: 'count', type: 'u8' }, { name: 'velocity', type: vectorDef, length: 2 }] },
  { name: 'PackedParticles', packed: true, fields: [{ name: 'count', type: 'u8' }, { name: 'velocity', type: vectorDef, length: 2 }] },
  { name: 'Dynamic', fields: [{ name: 'flag', type: 'bool' }, { name: 'value', type: 'any', size: 17 }, { name: 'tail', type: 'u8' }] },
  { name: 'Flags', fields: [{ name: 'bits', type: 'bool', length: 5 }, { name: 'raw', type: 'bytes', size: 3 }] },
  { name: 'PageAligned', align: 4096, fields: [{ name: 'used', type: 'u32' }, { name: 'cacheLine', type: 'u8', align: 64 }] },
  {
    name: 'PackedNestedAny',
    packed: true,
    align: 2,
    fields: [
      { name: 'tag', type: 'u8' },
      { name: 'inner', type: { name: 'AnyHolder', fields: [{ name: 'kind', type: 'u8' }, { name: 'value', type: 'any', size: 18 }] } },
      { name: 'wide', type: 'f64', length: 2, align: 8 },
    ],
  },
];

const built = new Map<StructDef, StructClass>([
  [userDef, User],
  [exampleDef, Example],
  [wideDef, Wide],
  [accountDef, Account],
]);

const randomDefs = nameShapes(fc.sample(structShape(2), { numRuns: RANDOM_STRUCTS, seed: SEED }));
let measures: Map<string, Measure>;
let compileMs = 0;

beforeAll(() => {
  const started = performance.now();
  measures = measureWithGcc(programFor([...handPicked, ...randomDefs]).source);
  compileMs = performance.now() - started;
}, 120_000);

function disagreements(defs: readonly StructDef[]): string[] {
  return dependencyOrder(defs).flatMap((def) => {
    const problems = compareWithGcc(def, buildClass(def, built), measures);
    return problems.length === 0 ? [] : [`${structDeclaration(def)}\n  ${problems.join('\n  ')}`];
  });
}

describe('layout oracle (gcc)', () => {
  it('gcc agrees with the seed numbers: User 0/8/24 size 32, Example 0/8/16 size 24, u16/u64/u32 size 24', () => {
    const gcc = (struct: string, path: string): Measure => measures.get(measureKey(struct, path))!;
    expect(['id', 'name', 'age'].map((f) => gcc('User', f).offset)).toEqual([0, 8, 24]);
    expect(gcc('User', '').size).toBe(32);
    expect(['a', 'b', 'c'].map((f) => gcc('Example', f).offset)).toEqual([0, 8, 16]);
    expect(gcc('Example', '').size).toBe(24);
    expect(gcc('Wide', '').size).toBe(24);
    expect(layoutOf(User).fields.map((f) => f.offset)).toEqual([0, 8, 24]);
    expect(sizeof(Example)).toBe(24);
    expect(sizeof(Wide)).toBe(24);
  });

  it('matches gcc on every hand-picked struct (nested, packed, aligned, any, inheritance)', () => {
    expect(disagreements(handPicked)).toEqual([]);
  });

  it('lays a subclass out with its base fields first, as the flattened C struct', () => {
    expect(layoutOf(Account).fields.map((f) => f.name)).toEqual(['version', 'createdAt', 'flags', 'balances']);
    expect(offsetof(Account, 'flags')).toBe(measures.get(measureKey('Account', 'flags'))!.offset);
    expect(sizeof(Account)).toBe(measures.get(measureKey('Account', ''))!.size);
  });

  it(`matches gcc on ${RANDOM_STRUCTS} random struct definitions (seed ${SEED})`, () => {
    const all = dependencyOrder(randomDefs);
    // The generator must actually reach the interesting cases, or the comparison proves little.
    expect(all.filter((d) => d.packed === true).length).toBeGreaterThan(50);
    expect(all.filter((d) => d.align !== undefined).length).toBeGreaterThan(50);
    expect(all.filter((d) => d.base !== undefined).length).toBeGreaterThan(50);
    expect(all.filter((d) => d.fields.some((f) => typeof f.type === 'object' && f.length !== undefined)).length).toBeGreaterThan(20);
    expect(all.length).toBeGreaterThan(RANDOM_STRUCTS);
    const problems = disagreements(randomDefs);
    expect(problems.slice(0, 3), `seed ${SEED}: ${problems.length} structs disagree with gcc (replay with STRUCTSYNC_ORACLE_SEED=${SEED})`).toEqual([]);
    console.info(`layout oracle: ${all.length} random structs (${RANDOM_STRUCTS} top-level) checked against gcc in one compile (${compileMs.toFixed(0)} ms, seed ${SEED})`);
  });
});
