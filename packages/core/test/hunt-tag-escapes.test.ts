// Regression tests (found in review): a quoted Go tag value dropped the backslash of every escape
// and kept the next character, so `json:"a\tb"` keyed the map "atb" and `json:"\u00e9"` "u00e9",
// where Go (strconv.Unquote) reads a tab and "é": a struct shared with Go code silently used other
// map keys. Escapes are now Go's; one Go refuses is INVALID_TAG.
import { describe, expect, it } from 'vitest';
import { DefinitionError, layoutOf, mapKeys, parseTags } from '@structsync/core';
import { defineStruct } from './support/define-struct.js';
import { codeOf } from './support/error-code.js';

describe('go_tag_escapes', () => {
  it.each([
    ['json:"a\\tb"', 'a\tb'],
    ['json:"a\\nb"', 'a\nb'],
    ['json:"\\u00e9t\\u00e9"', 'été'],
    ['json:"\\U0001F600"', '😀'],
    ['json:"\\x41\\101"', 'AA'],
    ['json:"q\\"q\\\\b"', 'q"q\\b'],
    ['json:"\\a\\b\\f\\r\\v"', '\x07\b\f\r\v'],
  ])('%s names the key as Go reads it', (tag, key) => {
    expect(parseTags(tag).json!.name).toBe(key);
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
