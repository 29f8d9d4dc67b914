// Tag parsing: Go struct-tag syntax (`json:"id,omitempty" db:"user_id"`), the short form
// (`json:id`) and the object form ({ json: 'id' }). Pure; errors carry no struct name, the
// layout adds it.
import type { TagInput } from './types.js';

export interface TagInfo {
  /** The map key under this tag; undefined means "use the property name" (Go's `json:",omitempty"`). */
  readonly name: string | undefined;
  /** `-`: the field is left out of maps under this tag. */
  readonly skip: boolean;
  /** `omitempty`: zero values are dropped from `toMap` output. */
  readonly omitEmpty: boolean;
  /** Every option after the name, as written (`omitempty` included). */
  readonly options: readonly string[];
}

export type ParsedTags = Readonly<Record<string, TagInfo>>;

const TAG_KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** Whether `key` can name a tag (`json`, `db`, `yaml`, `my_tag`, `x-api`). */
export const isTagKey = (key: string): boolean => TAG_KEY.test(key);

/** Keys that would reach an object's prototype machinery; never accepted as map keys. */
export const RESERVED_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

export class TagSyntaxError extends Error {}

function parseValue(key: string, raw: string): TagInfo {
  if (raw === '-') return Object.freeze({ name: undefined, skip: true, omitEmpty: false, options: Object.freeze([]) });
  // As in Go, `-,` names the key "-" itself instead of skipping the field.
  if (raw === '-,') return Object.freeze({ name: '-', skip: false, omitEmpty: false, options: Object.freeze([]) });
  const [name = '', ...options] = raw.split(',');
  for (const option of options) {
    if (option === '' || /\s/.test(option)) throw new TagSyntaxError(`tag ${key}: empty or blank option in ${JSON.stringify(raw)}`);
  }
  return Object.freeze({
    name: name === '' ? undefined : name,
    skip: false,
    omitEmpty: options.includes('omitempty'),
    options: Object.freeze(options),
  });
}

const SIMPLE_ESCAPES: Readonly<Record<string, number>> = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, '\\': 92, '"': 34 };
const utf8 = new TextEncoder();
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * The text of a double-quoted Go string literal (without its quotes), as strconv.Unquote reads
 * it: `\t`, `\u00e9`, `\x41`, `\101`… Dropping the backslash and keeping the next character
 * (`\t` as "t") gave other map keys than Go code sharing the struct uses (found in review).
 * Go's escapes produce bytes (`\xc3\xa9` is "é"), so the value is built as UTF-8 and decoded
 * strictly; an escape or a byte sequence Go refuses is a TagSyntaxError.
 */
function unquoteGo(key: string, raw: string): string {
  if (!raw.includes('\\')) return raw;
  const bad = (why: string): never => {
    throw new TagSyntaxError(`tag ${key}: ${why} in ${JSON.stringify(raw)}`);
  };
  const bytes: number[] = [];
  const digits = (from: number, count: number, radix: number): number => {
    const text = raw.slice(from, from + count);
    const pattern = radix === 16 ? /^[0-9A-Fa-f]+$/ : /^[0-7]+$/;
    if (text.length !== count || !pattern.test(text)) bad(`an escape needs ${count} ${radix === 16 ? 'hex' : 'octal'} digits`);
    return parseInt(text, radix);
  };
  for (let i = 0; i < raw.length; i++) {
    if (raw[i] !== '\\') {
      const point = raw.codePointAt(i)!;
      if (point > 0xffff) i++;
      else if (point >= 0xd800 && point <= 0xdfff) bad('a lone surrogate');
      bytes.push(...utf8.encode(String.fromCodePoint(point)));
      continue;
    }
    const escape = raw[++i]!;
    const simple = SIMPLE_ESCAPES[escape];
    if (simple !== undefined) {
      bytes.push(simple);
    } else if (escape === 'x') {
      bytes.push(digits(i + 1, 2, 16));
      i += 2;
    } else if (escape >= '0' && escape <= '7') {
      const value = digits(i, 3, 8);
      if (value > 255) bad('an octal escape above \\377');
      bytes.push(value);
      i += 2;
    } else if (escape === 'u' || escape === 'U') {
      const count = escape === 'u' ? 4 : 8;
      const point = digits(i + 1, count, 16);
      if (point > 0x10ffff || (point >= 0xd800 && point <= 0xdfff)) bad(`\\${escape} escape of no Unicode character`);
      bytes.push(...utf8.encode(String.fromCodePoint(point)));
      i += count;
    } else {
      bad(`unknown escape \\${escape}`);
    }
  }
  try {
    return strictUtf8.decode(new Uint8Array(bytes));
  } catch {
    return bad('escapes that are not UTF-8');
  }
}

/** Parses one tag input into a frozen, null-prototype record keyed by tag key (json, db, yaml, …). */
export function parseTags(input: TagInput | undefined): ParsedTags {
  const out: Record<string, TagInfo> = Object.create(null) as Record<string, TagInfo>;
  if (input === undefined) return Object.freeze(out);
  const add = (key: string, value: string): void => {
    if (!isTagKey(key)) throw new TagSyntaxError(`invalid tag key ${JSON.stringify(key)}`);
    if (key in out) throw new TagSyntaxError(`tag key ${key} given twice`);
    out[key] = parseValue(key, value);
  };
  if (typeof input === 'object' && input !== null) {
    for (const key of Object.keys(input)) {
      const value = input[key];
      if (typeof value !== 'string') throw new TagSyntaxError(`tag ${key} must be a string, got ${typeof value}`);
      add(key, value);
    }
    return Object.freeze(out);
  }
  if (typeof input !== 'string') throw new TagSyntaxError(`a tag must be a string or an object, got ${typeof input}`);
  let i = 0;
  const s = input;
  while (i < s.length) {
    while (i < s.length && /\s/.test(s[i]!)) i++;
    if (i >= s.length) break;
    const colon = s.indexOf(':', i);
    if (colon < 0) throw new TagSyntaxError(`expected key:value at ${JSON.stringify(s.slice(i))}`);
    const key = s.slice(i, colon);
    i = colon + 1;
    let value: string;
    if (s[i] === '"') {
      // Go syntax: a double-quoted value with backslash escapes, read as Go reads them.
      let j = i + 1;
      for (; j < s.length && s[j] !== '"'; j++) if (s[j] === '\\') j++;
      if (j >= s.length) throw new TagSyntaxError(`unterminated quote in tag ${key}`);
      value = unquoteGo(key, s.slice(i + 1, j));
      i = j + 1;
      if (i < s.length && !/\s/.test(s[i]!)) throw new TagSyntaxError(`expected a space after tag ${key}`);
    } else {
      // Short form: the value runs to the next blank.
      let j = i;
      while (j < s.length && !/\s/.test(s[j]!)) j++;
      value = s.slice(i, j);
      if (value === '') throw new TagSyntaxError(`tag ${key} has no value (write ${key}:"" for the property name)`);
      i = j;
    }
    add(key, value);
  }
  return Object.freeze(out);
}
