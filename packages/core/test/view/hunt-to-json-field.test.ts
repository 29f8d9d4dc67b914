// Regression test (found in review): a field named `toJSON` hid the view's own toJSON, so
// JSON.stringify(view) silently gave '{}' (a number is not a toJSON to call, and a view's fields
// are prototype accessors). The name is refused when the layout is computed, like `constructor`.
import { describe, expect, it } from 'vitest';
import { DefinitionError, layoutOf } from '@structsync/core';
import { defineStruct } from '../support/define-struct.js';
import { codeOf } from '../support/error-code.js';

describe('to_json_field_name_is_reserved', () => {
  it('refuses a field named toJSON', () => {
    const Report = defineStruct('Report', [
      ['toJSON', { type: 'i32' }],
      ['x', { type: 'i32' }],
    ]);
    expect(codeOf(() => layoutOf(Report), DefinitionError)).toBe('RESERVED_NAME');
  });

  it('still takes toJSON as a tag key, which only names a map key', () => {
    const Report = defineStruct('Report', [['payload', { type: 'i32', tag: 'json:toJSON' }]]);
    expect(layoutOf(Report).fields[0]!.name).toBe('payload');
  });
});
