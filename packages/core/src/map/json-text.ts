// JSON text as Go's encoding/json writes and reads it, where it differs from JavaScript's:
// float32 values printed as the shortest text that reads back as the same float32 (Go's `0.1`, not
// `0.10000000149011612`), and the `,string` option (a value written as a JSON string of its JSON
// text, and taken from one).
import type { FieldLayout } from '../layout/layout.js';

/**
 * The shortest decimal (as a number) that reads back as the float32 `value`, as Go prints it:
 * the nearest one of the fewest digits, an exact tie rounded to an even last digit (strconv's
 * rule; toPrecision rounds a tie up).
 */
export function shortestF32(value: number): number {
  if (value === 0 || !Number.isFinite(value)) return value;
  for (let digits = 1; digits <= 9; digits++) {
    const text = value.toPrecision(digits);
    if (Math.fround(Number(text)) !== value) continue;
    const even = tieToEven(value, digits);
    return even !== undefined && Math.fround(even) === value ? even : Number(text);
  }
  return value;
}

/** When `value` lies exactly halfway between two `digits`-digit decimals and the lower one ends in an even digit: that one. */
function tieToEven(value: number, digits: number): number | undefined {
  // A float32's exact decimal expansion fits in toExponential's 100 digits but for subnormals.
  const [mantissa, exponent] = Math.abs(value).toExponential(99).split('e') as [string, string];
  const all = mantissa.replace('.', '');
  if (!/^50*$/.test(all.slice(digits))) return undefined;
  const down = all.slice(0, digits);
  if (Number(down[digits - 1]) % 2 !== 0) return undefined;
  const lower = Number(`${down[0]}.${down.slice(1)}e${exponent}`);
  return value < 0 ? -lower : lower;
}

/**
 * A value of a `,string` field as JSON output holds it: a number or boolean as the string of its
 * JSON text, a `str` as the string of its JSON string (Go quotes twice). A 64-bit integer is a
 * decimal string in JSON already (structsync's convention), and stays one.
 */
export function quotedJson(field: FieldLayout, value: unknown): unknown {
  if (field.kind === 'str') return JSON.stringify(value);
  switch (typeof value) {
    case 'number':
      return JSON.stringify(field.scalar === 'f32' ? shortestF32(value) : value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      return value.toString();
    default:
      return value;
  }
}

/** A value as JSON output holds it: bigints as decimal strings, float32s at their shortest, `,string` quoting. */
export function jsonOutput(field: FieldLayout, asString: boolean, value: unknown): unknown {
  if (asString) return quotedJson(field, value);
  if (typeof value === 'bigint') return value.toString();
  return field.scalar === 'f32' && field.kind === 'scalar' ? shortestF32(value as number) : value;
}

/** A JSON string literal's content, or undefined when `text` is not one. */
function unquote(text: string): string | undefined {
  if (text.length < 2 || text[0] !== '"') return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'string' ? parsed : undefined;
  } catch {
    return undefined;
  }
}

const JSON_NUMBER = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?$/;
const JSON_INTEGER = /^-?(?:0|[1-9][0-9]*)$/;

/**
 * What fromMap takes from a string given to a `,string` field: the value its JSON text stands
 * for (`"5"` → 5, `"true"` → true, `"\"ab\""` → "ab"), as Go's decoder reads it. A string that is
 * no such text is passed on as is, for the field's own check to refuse (or, for a `str` field, to
 * take as the value itself, as toMap gives it).
 */
export function fromQuotedJson(field: FieldLayout, text: string): unknown {
  if (field.kind === 'str') return unquote(text) ?? text;
  switch (field.scalar) {
    case 'bool':
      return text === 'true' ? true : text === 'false' ? false : text;
    case 'i64':
    case 'u64':
      if (!JSON_INTEGER.test(text)) return text;
      return field.asNumber ? Number(text) : BigInt(text);
    default:
      return JSON_NUMBER.test(text) ? Number(text) : text;
  }
}
