// The stable code of the StructSyncError a call throws (undefined when it throws nothing), after
// checking that the error is of the expected class: tests assert codes, never message wording.
import { expect } from 'vitest';
import { StructSyncError, type StructSyncErrorCode } from '@structsync/core';

export function codeOf(fn: () => unknown, errorClass: abstract new (...args: never[]) => StructSyncError = StructSyncError): StructSyncErrorCode | undefined {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(errorClass);
    return (error as StructSyncError).code;
  }
  return undefined;
}
