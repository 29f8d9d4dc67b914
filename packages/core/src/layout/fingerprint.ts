// A stable hash of a layout (names, types, offsets, sizes, alignments, tags, nested layouts), so
// bytes written under one layout are never read under another. FNV-1a, 64-bit: no crypto needed,
// the same in every runtime.
import { layoutOf, supplyFingerprint, type StructLayout } from './layout.js';
import type { StructClass } from './types.js';

const cache = new WeakMap<StructLayout, string>();

function canonical(layout: StructLayout): string {
  const fields = layout.fields.map((f) => {
    const tags = Object.keys(f.tags)
      .sort()
      .map((k) => {
        const t = f.tags[k]!;
        return [k, t.skip ? '-' : (t.name ?? ''), ...t.options];
      });
    return [f.name, f.kind, f.scalar ?? '', f.offset, f.size, f.align, f.length ?? 0, f.asNumber, tags, f.struct ? canonical(f.struct) : ''];
  });
  return JSON.stringify([layout.name, layout.size, layout.align, layout.packed, fields]);
}

const FNV_OFFSET = 0xcbf29ce484222325n;
const FNV_PRIME = 0x100000001b3n;
const MASK = 0xffffffffffffffffn;

/** The layout fingerprint as 16 hex digits. */
export function fingerprintOf(layout: StructLayout): string {
  let cached = cache.get(layout);
  if (cached === undefined) {
    let h = FNV_OFFSET;
    for (const byte of new TextEncoder().encode(canonical(layout))) h = ((h ^ BigInt(byte)) * FNV_PRIME) & MASK;
    cached = h.toString(16).padStart(16, '0');
    cache.set(layout, cached);
  }
  return cached;
}

supplyFingerprint(fingerprintOf);

/** Stable hash of a struct's layout; equal fingerprints mean byte-compatible records. */
export function fingerprint(type: StructClass): string {
  return fingerprintOf(layoutOf(type));
}
