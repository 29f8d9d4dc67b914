// Regression tests (found in review): a quoted Go tag value dropped the backslash of every escape
// and kept the next character, so `json:"a\tb"` keyed the map "atb" and `json:"\u00e9"` "u00e9",
// where Go (strconv.Unquote) reads a tab and "é": a struct shared with Go code silently used other
// map keys. Escapes are now Go's; one Go refuses is INVALID_TAG.
import { describe, expect, it } from 'vitest';
import { DefinitionError, layoutOf, mapKeys, parseTags } from '@structsync/core';
import { defineStruct } from '../support/define-struct.js';
import { codeOf } from '../support/error-code.js';

describe('go_tag_escapes', () => {
  // db: any text names a key; json names are held to encoding/json's rules (below).
  it.each([
    ['db:"a\\tb"', 'a\tb'],
    ['db:"a\\nb"', 'a\nb'],
    ['db:"\\u00e9t\\u00e9"', 'été'],
    ['db:"\\U0001F600"', '😀'],
    ['db:"\\x41\\101"', 'AA'],
    ['db:"q\\"q\\\\b"', 'q"q\\b'],
    ['db:"\\a\\b\\f\\r\\v"', '\x07\b\f\r\v'],
    ['json:"\\u00e9t\\u00e9"', 'été'],
    ['json:"\\x41\\101"', 'AA'],
  ])('%s names the key as Go reads it', (tag, key) => {
    const [name] = Object.values(parseTags(tag));
    expect(name!.name).toBe(key);
  });

  it.each(['json:"a\\tb"', 'json:"\\U0001F600"', 'json:"q\\"q"'])('%s: a json name encoding/json would not use is INVALID_TAG', (tag) => {
    const Tagged = defineStruct('Tagged', [['x', { type: 'i32', tag }]]);
    expect(codeOf(() => layoutOf(Tagged), DefinitionError)).toBe('INVALID_TAG');
  });

  it.each(['json:"a\\qb"', 'json:"\\u00e"', 'json:"\\x4"', "json:\"\\'\"", 'json:"\\400"', 'json:"\\uD800"'])('%s is INVALID_TAG, as Go refuses it', (tag) => {
    const Tagged = defineStruct('Tagged', [['x', { type: 'i32', tag }]]);
    expect(codeOf(() => layoutOf(Tagged), DefinitionError)).toBe('INVALID_TAG');
  });

  it('the decoded key is the map key', () => {
    const Tagged = defineStruct('Tagged', [['x', { type: 'i32', tag: 'json:"caf\\u00e9"' }]]);
    expect(mapKeys(layoutOf(Tagged), 'json').map((k) => k.key)).toEqual(['café']);
  });
});
