// Tag parsing, read exactly as Go reads struct tags: `reflect.StructTag.Lookup` for the pairs,
// `encoding/json` for a json value's name and options. A tag `go vet` calls malformed is refused,
// naming what is wrong. Beside Go syntax: the short form (`json:id`) and the object form
// ({ json: 'id' }). Pure; errors name no struct, the layout adds it.
import { DefinitionError } from '../errors.js';
import type { TagInput } from './types.js';

export interface TagInfo {
  /** The value as Go's `reflect.StructTag.Lookup` returns it (`id,omitempty`). */
  readonly value: string;
  /** The map key under this tag; undefined means "use the property name" (Go's `json:",omitempty"`). */
  readonly name: string | undefined;
  /** `-`: the field is left out of maps under this tag. */
  readonly skip: boolean;
  /** `omitempty`: zero values are dropped from `toMap` output. */
  readonly omitEmpty: boolean;
  /** `string`: JSON output writes the value as a JSON string, and `fromMap` takes that string (Go's `,string`). */
  readonly asString: boolean;
  /** Every option after the name, as written (`omitempty` included, an empty one too). */
  readonly options: readonly string[];
}

export type ParsedTags = Readonly<Record<string, TagInfo>>;

/** A malformed tag: INVALID_TAG (the layout re-throws it naming struct and field). */
export class TagSyntaxError extends DefinitionError {
  constructor(message: string) {
    super('INVALID_TAG', message);
  }
}

/**
 * Whether `key` can name a tag, as Go scans one: at least one character, none of them a space, a
 * control character, `:`, `"` or DEL (`json`, `db`, `x-api`, `é` all can).
 */
export function isTagKey(key: string): boolean {
  return key.length > 0 && !/[\x00-\x20:"\x7f]/.test(key) && !LONE_SURROGATE.test(key);
}

/** Keys that would reach an object's prototype machinery; never accepted as map keys. */
export const RESERVED_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

const LONE_SURROGATE = /\p{Cs}/u;
/** Tag keys whose values `go vet` checks for stray spaces. */
const SPACE_CHECKED = new Set(['json', 'xml', 'asn1']);
/** encoding/json's isValidTag: letters, digits, and this punctuation (a space included). */
const JSON_NAME = /^[\p{L}\p{Nd}!#$%&()*+\-./:;<=>?@[\]^_{|}~ ]+$/u;

/** `go vet`'s complaints about spaces in a value (its checkTagSpaces), or undefined. */
function spaceProblem(key: string, value: string): string | undefined {
  if (!SPACE_CHECKED.has(key)) return undefined;
  const comma = value.indexOf(',');
  let rest = value;
  if (key === 'xml') {
    if (value.replace(/^ +| +$/g, '') !== value) return 'a space at the start or end';
    if (value.split(' ').length > 2) return 'more than one space';
    if (comma < 0) return undefined;
    if (comma > 0 && value[comma - 1] === ' ') return 'a space before a comma';
    rest = value.slice(comma + 1);
  } else if (key === 'json') {
    // A json name may hold spaces; its options may not.
    if (comma < 0) return undefined;
    rest = value.slice(comma + 1);
  }
  return rest.includes(' ') ? (key === 'json' ? 'a space in the options' : 'a space in the value') : undefined;
}

/** go vet's checks of one pair's value (every pair, a repeated key's too). */
function checkValue(key: string, value: string): void {
  const where = `tag ${key}:${JSON.stringify(value)}`;
  if (LONE_SURROGATE.test(value)) throw new TagSyntaxError(`${where}: a lone surrogate has no UTF-8 form`);
  const space = spaceProblem(key, value);
  if (space !== undefined) throw new TagSyntaxError(`${where}: ${space} (go vet: suspicious space in struct tag value)`);
}

/** Reads one value as encoding/json reads it (name, then comma-separated options). */
function tagInfo(key: string, value: string): TagInfo {
  const where = `tag ${key}:${JSON.stringify(value)}`;
  checkValue(key, value);
  if (value === '-') return Object.freeze({ value, name: undefined, skip: true, omitEmpty: false, asString: false, options: Object.freeze([]) });
  const [name = '', ...options] = value.split(',');
  // encoding/json falls back to the field name for a name it rejects: a key Go would never produce.
  if (key === 'json' && name !== '' && !JSON_NAME.test(name)) {
    throw new TagSyntaxError(`${where}: encoding/json does not accept the name ${JSON.stringify(name)} (letters, digits, spaces and !#$%&()*+-./:;<=>?@[]^_{|}~ only)`);
  }
  return Object.freeze({
    value,
    name: name === '' ? undefined : name,
    skip: false,
    omitEmpty: options.includes('omitempty'),
    asString: options.includes('string'),
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
 * strictly; an escape or a byte sequence Go refuses is a TagSyntaxError, as is a raw newline.
 */
function unquoteGo(key: string, raw: string): string {
  const bad = (why: string): never => {
    throw new TagSyntaxError(`tag ${key}: ${why} in ${JSON.stringify(raw)} (go vet: bad syntax for struct tag value)`);
  };
  if (raw.includes('\n')) bad('a raw newline');
  if (!raw.includes('\\')) return raw;
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

/** The pairs of a tag string, in order (a key may come twice), with `go vet`'s syntax checks. */
function scanPairs(s: string): [key: string, value: string][] {
  const pairs: [string, string][] = [];
  let i = 0;
  while (i < s.length) {
    // As go vet: pairs are separated by spaces (one or more); nothing else separates them.
    if (pairs.length > 0 && s[i] !== ' ') throw new TagSyntaxError(`expected a space before ${JSON.stringify(s.slice(i))} (go vet: key:"value" pairs not separated by spaces)`);
    while (s[i] === ' ') i++;
    if (i >= s.length) break;
    let end = i;
    while (end < s.length && s[end]! > ' ' && s[end] !== ':' && s[end] !== '"' && s[end] !== '\x7f') end++;
    const key = s.slice(i, end);
    if (key === '' || LONE_SURROGATE.test(key)) {
      const what = s[i] === '\t' ? 'a tab' : s[i] === '\n' ? 'a newline' : s[i]! < ' ' || s[i] === '\x7f' ? 'a control character' : JSON.stringify(s[i]);
      throw new TagSyntaxError(`${what} where a key should start at ${JSON.stringify(s.slice(i))} (go vet: bad syntax for struct tag key)`);
    }
    if (s[end] !== ':' || end + 1 >= s.length) throw new TagSyntaxError(`expected key:"value" at ${JSON.stringify(s.slice(i))} (go vet: bad syntax for struct tag pair)`);
    i = end + 1;
    if (s[i] === '"') {
      let j = i + 1;
      for (; j < s.length && s[j] !== '"'; j++) if (s[j] === '\\') j++;
      if (j >= s.length) throw new TagSyntaxError(`unterminated quote in tag ${key}`);
      pairs.push([key, unquoteGo(key, s.slice(i + 1, j))]);
      i = j + 1;
    } else {
      // The short form (a structsync extension): the value runs to the next space.
      let j = i;
      while (j < s.length && s[j] !== ' ') j++;
      const value = s.slice(i, j);
      if (value === '') throw new TagSyntaxError(`tag ${key} has no value (write ${key}:"" for the property name)`);
      if (/[\x00-\x1f"\x7f]/.test(value)) throw new TagSyntaxError(`tag ${key}: a quote or control character in the short form ${JSON.stringify(value)}; quote the value`);
      pairs.push([key, value]);
      i = j;
    }
  }
  return pairs;
}

/** Parses one tag input into a frozen, null-prototype record keyed by tag key (json, db, yaml, …). */
export function parseTags(input: TagInput | undefined): ParsedTags {
  const out: Record<string, TagInfo> = Object.create(null) as Record<string, TagInfo>;
  if (input === undefined) return Object.freeze(out);
  if (typeof input === 'string') {
    // A key given twice: the first wins, as reflect.StructTag.Lookup finds it; go vet checks both.
    for (const [key, value] of scanPairs(input)) {
      if (key in out) checkValue(key, value);
      else out[key] = tagInfo(key, value);
    }
    return Object.freeze(out);
  }
  if (typeof input !== 'object' || input === null) throw new TagSyntaxError(`a tag must be a string or an object, got ${input === null ? 'null' : typeof input}`);
  const entries: [string, unknown][] = [];
  try {
    for (const key of Object.keys(input)) entries.push([key, input[key]]);
  } catch {
    throw new TagSyntaxError('the tag object cannot be read (a revoked Proxy, or a getter that throws)');
  }
  for (const [key, value] of entries) {
    if (!isTagKey(key)) throw new TagSyntaxError(`invalid tag key ${JSON.stringify(key)}: Go keys have no spaces, control characters, ':' or '"'`);
    if (typeof value !== 'string') throw new TagSyntaxError(`tag ${key} must be a string, got ${typeof value}`);
    out[key] = tagInfo(key, value);
  }
  return Object.freeze(out);
}
