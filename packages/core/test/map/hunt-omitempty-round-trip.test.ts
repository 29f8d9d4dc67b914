// Regression tests (found in review): toMap leaves an omitempty key out when its field holds the
// zero value, but fromMap refused that very map (MISSING_KEY) — and with partial: true kept the
// old value instead of the zero — so no option wrote toMap's (or JSON.stringify's) output back
// faithfully. An absent omitempty key now means the zero value toMap left out (partial: true still
// keeps the current value); kinds toMap never leaves out (arrays, bytes, structs) stay required.
import { IsIn, Max } from 'class-validator';
import { describe, expect, it } from 'vitest';
import { Field, fromMap, sizeof, Struct, toMap, ValueError, view } from '@structsync/core';
import { codeOf } from '../support/error-code.js';

@Struct()
class Profile {
  @Field({ type: 'i64', tag: 'json:id' }) id!: bigint;
  @Max(150)
  @Field({ type: 'i32', tag: 'json:"age,omitempty"' })
  age!: number;
  @Field({ type: 'bool', tag: 'json:"admin,omitempty"' }) admin!: boolean;
  @Field({ type: 'str', size: 12, tag: 'json:"nick,omitempty"' }) nick!: string;
  // The rule compares with ===: the zero an absent key stands for must be 0n here, not 0.
  @IsIn([0n, 5n])
  @Field({ type: 'u64', tag: 'json:"credits,omitempty"' })
  credits!: bigint;
  @Field({ type: 'f64', tag: 'json:"score,omitempty"' }) score!: number;
  @Field({ type: 'any', size: 24, tag: 'json:"extra,omitempty"' }) extra!: unknown;
  @Field({ type: 'u8', length: 2, tag: 'json:"pair,omitempty"' }) pair!: Uint8Array;
}

const full = { id: 1n, age: 40, admin: true, nick: 'ann', credits: 5n, score: 1.5, extra: { a: 1 }, pair: [1, 2] };

describe.each([true, false])('omitempty_absence_is_the_zero_value (codegen %s)', (codegen) => {
  const fresh = (): { profile: Profile; bytes: Uint8Array } => {
    const buffer = new ArrayBuffer(sizeof(Profile));
    return { profile: view(Profile, buffer, 0, { codegen }), bytes: new Uint8Array(buffer) };
  };
  const options = { tag: 'json', codegen } as const;

  it('writes toMap’s output back byte for byte when omitempty fields hold zeros', () => {
    const source = fresh();
    fromMap(source.profile, { ...full, age: 0, admin: false, nick: '', credits: 0n, score: 0, extra: null }, options);
    const target = fresh();
    fromMap(target.profile, full, options);
    const out = toMap(source.profile, options);
    expect(Object.keys(out).sort()).toEqual(['id', 'pair']);
    fromMap(target.profile, out, options);
    expect(target.bytes).toEqual(source.bytes);
  });

  it('takes a JSON round trip back', () => {
    const source = fresh();
    fromMap(source.profile, { ...full, age: 0, nick: '' }, options);
    const parsed = JSON.parse(JSON.stringify(source.profile)) as Record<string, unknown>;
    const target = fresh();
    fromMap(target.profile, full, options);
    fromMap(target.profile, { ...parsed, id: BigInt(parsed.id as string), credits: BigInt(parsed.credits as string) }, options);
    expect(target.bytes).toEqual(source.bytes);
  });

  it('with partial: true an absent omitempty key still keeps the current value', () => {
    const { profile } = fresh();
    fromMap(profile, full, options);
    fromMap(profile, { id: 2n }, { ...options, partial: true });
    expect([profile.age, profile.nick, profile.admin]).toEqual([40, 'ann', true]);
  });

  it('an absent key toMap never leaves out (an array, a key without omitempty) is still MISSING_KEY, bytes unchanged', () => {
    const { profile, bytes } = fresh();
    fromMap(profile, full, options);
    const before = bytes.slice();
    const { pair: _pair, ...withoutPair } = full;
    expect(codeOf(() => fromMap(profile, withoutPair, options), ValueError)).toBe('MISSING_KEY');
    const { id: _id, ...withoutId } = full;
    expect(codeOf(() => fromMap(profile, withoutId, options), ValueError)).toBe('MISSING_KEY');
    expect(bytes).toEqual(before);
  });

  it('validate: true judges the zero an absent omitempty key stands for', () => {
    const { profile } = fresh();
    fromMap(profile, full, options);
    fromMap(profile, { id: 3n, pair: [0, 0] }, { ...options, validate: true });
    expect([profile.age, profile.nick, profile.credits]).toEqual([0, '', 0n]);
  });
});
