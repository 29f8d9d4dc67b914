// What record.lua answered, as values or as the coded errors they stand for.
import { LayoutMismatchError, StructSyncError } from '@structsync/core';
import { RedisTableError } from './errors.js';
import type { RecordFormat } from './record-format.js';

export type ScriptReply =
  | { readonly status: 'ok'; readonly version: number; readonly previous: number }
  | { readonly status: 'conflict'; readonly version: number; readonly stamps: Buffer; readonly value: Buffer }
  | { readonly status: 'missing' | 'exists' };

/** Reads the reply; a reply naming a key that holds no record of this layout throws. */
export function readReply(format: RecordFormat, key: string, raw: unknown): ScriptReply {
  const name = format.layout.name;
  if (!Array.isArray(raw) || !Buffer.isBuffer(raw[0])) throw unexpected(name, key, raw);
  const status = raw[0].toString();
  switch (status) {
    case 'ok':
      return { status, version: Number(raw[1]), previous: Number(raw[2]) };
    case 'conflict':
      return { status, version: Number(raw[1]), stamps: raw[2] as Buffer, value: raw[3] as Buffer };
    case 'missing':
    case 'exists':
      return { status };
    case 'invalid':
      throw new RedisTableError('INVALID_RECORD', `${name} record at ${key}: ${String(raw[1])}; the key was left as it is`, { struct: name, key });
    case 'layout':
      throw new LayoutMismatchError(
        `${name} record at ${key}: the record was written under another layout (fingerprint word ${Number(raw[1]).toString(16).padStart(8, '0')}, ${name} has ${format.fingerprint}); the key was left as it is`,
        { struct: name },
      );
    default:
      throw unexpected(name, key, raw);
  }
}

function unexpected(name: string, key: string, raw: unknown): StructSyncError {
  return new StructSyncError('INVALID_STATE', `${name} record at ${key}: the record script gave an unexpected reply (${typeof raw})`, { struct: name });
}
