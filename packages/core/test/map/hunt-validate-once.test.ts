// Regression tests (found in review): fromMap with validate: true read the input twice — once for
// the class-validator rules, once for the structural checks and the write — so a getter or Proxy
// could show the rules a valid value and the write an invalid one, which was then stored.
import { Max, ValidateNested } from 'class-validator';
import { describe, expect, it } from 'vitest';
import { Field, fromMap, sizeof, Struct, ValueError, view } from '@structsync/core';
import { codeOf } from '../support/error-code.js';

@Struct()
class Gauge {
  @Max(100)
  @Field({ type: 'i32', tag: 'json:level' })
  level!: number;
}

@Struct()
class Panel {
  @Max(10)
  @Field({ type: 'u8', tag: 'json:count' })
  count!: number;
  @ValidateNested()
  @Field({ type: Gauge, tag: 'json:main' })
  main!: Gauge;
  @ValidateNested({ each: true })
  @Field({ type: Gauge, length: 2, tag: 'json:spares' })
  spares!: Gauge[];
}

/** An object whose `key` reads `first` once, then `later` for ever. */
function changing(key: string, first: unknown, later: unknown, rest: Record<string, unknown> = {}): Record<string, unknown> {
  let reads = 0;
  return Object.defineProperty({ ...rest }, key, { get: () => (reads++ === 0 ? first : later), enumerable: true });
}

describe.each([true, false])('validate_reads_the_input_once (codegen %s)', (codegen) => {
  const setup = (): { panel: Panel; bytes: Uint8Array; before: Uint8Array } => {
    const buffer = new ArrayBuffer(sizeof(Panel));
    const panel = view(Panel, buffer, 0, { codegen });
    fromMap(panel, { count: 1, main: { level: 2 }, spares: [{ level: 3 }, { level: 4 }] }, { tag: 'json' });
    const bytes = new Uint8Array(buffer);
    return { panel, bytes, before: bytes.slice() };
  };
  const options = { tag: 'json', validate: true, codegen } as const;

  it('a getter that answers the rules with a valid value writes that value', () => {
    const { panel } = setup();
    fromMap(panel, changing('count', 5, 200, { main: { level: 2 }, spares: [{ level: 3 }, { level: 4 }] }), options);
    expect(panel.count).toBe(5);
  });

  it('a getter that answers the rules with an invalid value is refused, bytes unchanged', () => {
    const { panel, bytes, before } = setup();
    expect(codeOf(() => fromMap(panel, changing('count', 200, 5, { main: { level: 2 }, spares: [{ level: 3 }, { level: 4 }] }), options), ValueError)).toBe(
      'VALIDATION_FAILED',
    );
    expect(bytes).toEqual(before);
  });

  it('a nested getter cannot slip a value past a nested rule', () => {
    const { panel } = setup();
    fromMap(panel, { main: changing('level', 50, 1000) }, { ...options, partial: true });
    expect(panel.main.level).toBe(50);
  });

  it('a struct array element read twice cannot slip a value past its rule', () => {
    const { panel } = setup();
    let reads = 0;
    const spares = new Proxy([{ level: 3 }, { level: 4 }], {
      get(target, key, receiver) {
        if (key === '1') return reads++ === 0 ? { level: 60 } : { level: 6000 };
        return Reflect.get(target, key, receiver) as unknown;
      },
    });
    fromMap(panel, { spares }, { ...options, partial: true });
    expect(panel.spares.map((s) => s.level)).toEqual([3, 60]);
  });

  it('an input whose reading throws is INVALID_INPUT, bytes unchanged', () => {
    const { panel, bytes, before } = setup();
    const input = Object.defineProperty({}, 'count', {
      get: () => {
        throw new Error('boom');
      },
      enumerable: true,
    });
    expect(codeOf(() => fromMap(panel, input, { ...options, partial: true }), ValueError)).toBe('INVALID_INPUT');
    expect(bytes).toEqual(before);
  });

  it('keys the write refuses are still refused after validation', () => {
    const { panel, bytes, before } = setup();
    expect(codeOf(() => fromMap(panel, { count: 1, extra: 1 }, { ...options, partial: true }), ValueError)).toBe('UNKNOWN_KEY');
    expect(codeOf(() => fromMap(panel, JSON.parse('{"count": 1, "__proto__": {"x": 1}}'), { ...options, partial: true }), ValueError)).toBe('FORBIDDEN_KEY');
    expect(bytes).toEqual(before);
  });
});
