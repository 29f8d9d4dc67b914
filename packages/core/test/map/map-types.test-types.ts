// Type-level tests for the map options and errors users name in their own code: checked by
// `tsc -p tsconfig.json` (part of `pnpm test`), never run.
import { expectTypeOf } from 'vitest';
import { ValueError, type Int64Mode, type ToMapOptions, type ValueProblem } from '@structsync/core';

expectTypeOf<Int64Mode>().toEqualTypeOf<'bigint' | 'string' | 'number'>();
expectTypeOf<NonNullable<ToMapOptions['int64']>>().toEqualTypeOf<Int64Mode>();
expectTypeOf<ValueError['errors']>().toEqualTypeOf<readonly ValueProblem[] | undefined>();
expectTypeOf<ValueProblem>().toHaveProperty('path');
expectTypeOf<ValueProblem>().toHaveProperty('code');
// @ts-expect-error 'decimal' is not an int64 mode
const mode: Int64Mode = 'decimal';
void mode;
