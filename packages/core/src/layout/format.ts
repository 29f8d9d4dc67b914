// formatLayout: a pahole-style table of a struct (offset, size, type, tags, every padding hole)
// plus the field order that minimises its size — the seed's alignment analysis as a tool.
import { layoutOf, type FieldLayout, type StructLayout } from './layout.js';
import type { StructClass } from './types.js';
import { describeValue, StructSyncError } from '../errors.js';
import { readOptions } from '../options.js';

const roundUp = (n: number, a: number): number => Math.ceil(n / a) * a;

function typeLabel(f: FieldLayout): string {
  switch (f.kind) {
    case 'scalar':
      return f.asNumber ? `${f.type}(number)` : f.type;
    case 'array':
    case 'structArray':
      return `${f.type}[${f.length}]`;
    case 'str':
    case 'bytes':
    case 'any':
      return `${f.type}[${f.size}]`;
    case 'struct':
      return f.type;
  }
}

function tagLabel(f: FieldLayout): string {
  return Object.entries(f.tags)
    // Go's quoting (JSON's escapes are a subset of Go's), whatever form the tag was given in.
    .map(([k, t]) => `${k}:${JSON.stringify(t.value)}`)
    .join(' ');
}

/** Size of the struct if its fields were laid out in `order` under the same rules. */
function sizeInOrder(layout: StructLayout, order: readonly FieldLayout[]): number {
  let offset = 0;
  let lastZero = -1;
  for (const f of order) {
    offset = roundUp(offset, f.align);
    if (f.size === 0) lastZero = offset;
    offset += f.size;
  }
  // Go's byte after trailing zero-size fields, as layout.ts adds it.
  if (!layout.packed && offset > 0 && offset === lastZero) offset++;
  return roundUp(offset, layout.align);
}

// Beyond this many fields the exact search (2^n subsets) is skipped for decreasing alignment.
const MAX_EXACT_FIELDS = 16;

/**
 * Exact minimum over all orders by dynamic programming on subsets: placing a field only moves
 * the end forward, so the smallest end offset of each subset of fields is all that matters.
 */
function exactBestOrder(fields: readonly FieldLayout[]): FieldLayout[] {
  const count = fields.length;
  const full = (1 << count) - 1;
  const end = new Float64Array(full + 1).fill(Infinity);
  const last = new Int8Array(full + 1).fill(-1);
  end[0] = 0;
  for (let placed = 0; placed < full; placed++) {
    const from = end[placed]!;
    if (from === Infinity) continue;
    for (let i = 0; i < count; i++) {
      const bit = 1 << i;
      if ((placed & bit) !== 0) continue;
      const to = roundUp(from, fields[i]!.align) + fields[i]!.size;
      if (to < end[placed | bit]!) {
        end[placed | bit] = to;
        last[placed | bit] = i;
      }
    }
  }
  const order: FieldLayout[] = [];
  for (let placed = full; placed !== 0; placed &= ~(1 << last[placed]!)) order.unshift(fields[last[placed]!]!);
  return order;
}

/**
 * The field order that minimises the struct's size. Decreasing alignment (stable) is optimal when
 * every field's size is a multiple of its alignment; otherwise (a short `any`, a raised `align`)
 * an exact search finds the best order for up to 16 fields.
 */
export function bestFieldOrder(layout: StructLayout): readonly FieldLayout[] {
  // Zero-size fields first: at offset 0 they need no hole, and they never end the struct (Go pads
  // after trailing ones).
  const zero = layout.fields.filter((f) => f.size === 0).sort((a, b) => b.align - a.align);
  const sized = layout.fields.filter((f) => f.size > 0);
  return [...zero, ...bestSizedOrder(layout, sized)];
}

function bestSizedOrder(layout: StructLayout, fields: readonly FieldLayout[]): readonly FieldLayout[] {
  const byAlign = [...fields].sort((a, b) => b.align - a.align);
  const withoutHoles = roundUp(
    fields.reduce((sum, f) => sum + f.size, 0),
    layout.align,
  );
  if (sizeInOrder(layout, byAlign) === withoutHoles || byAlign.length > MAX_EXACT_FIELDS) return byAlign;
  return exactBestOrder(byAlign);
}

export interface FormatLayoutOptions {
  /** Append the size-minimising field order when it is smaller. Default true. */
  readonly suggest?: boolean;
}

/** A pahole-style description of the struct's layout, with holes and a better field order. */
export function formatLayout(type: StructClass, options: FormatLayoutOptions = {}): string {
  const layout = layoutOf(type);
  if (typeof options !== 'object' || options === null) {
    throw new StructSyncError('INVALID_OPTION', `${layout.name}: formatLayout: options must be an object like { suggest: false }, got ${describeValue(options)}`, {
      struct: layout.name,
    });
  }
  const { suggest } = readOptions(options, ['suggest'], 'formatLayout', layout.name);
  const rows = layout.fields.map((f) => ({ f, type: typeLabel(f), tags: tagLabel(f) }));
  const typeWidth = Math.max(4, ...rows.map((r) => r.type.length));
  const header = `struct ${layout.name} { `;
  // The offset/size comments start in one column, after the longest field or the header.
  const nameWidth = Math.max(4, ...rows.map((r) => r.f.name.length + 1), header.length - typeWidth - 6);
  const lines = [`${header.padEnd(typeWidth + nameWidth + 6)}/* offset  size */`];
  let end = 0;
  let holes = 0;
  let holeBytes = 0;
  for (const { f, type, tags } of rows) {
    if (f.offset > end) {
      holes++;
      holeBytes += f.offset - end;
      lines.push(`    /* XXX ${f.offset - end} byte${f.offset - end === 1 ? '' : 's'} hole, try to pack */`);
    }
    const cols = `    ${type.padEnd(typeWidth)} ${`${f.name};`.padEnd(nameWidth)} /* ${String(f.offset).padStart(6)} ${String(f.size).padStart(5)} */`;
    lines.push(tags === '' ? cols : `${cols}  ${tags}`);
    end = f.offset + f.size;
  }
  const tail = layout.size - end;
  if (tail > 0) lines.push(`    /* XXX ${tail} byte${tail === 1 ? '' : 's'} padding at the end */`);
  lines.push(
    `    /* size: ${layout.size}, align: ${layout.align}${layout.packed ? ', packed' : ''}, members: ${layout.fields.length}, ` +
      `holes: ${holes}, sum holes: ${holeBytes}, padding: ${tail}, total padding: ${holeBytes + tail} */`,
  );
  lines.push('};');
  if (suggest !== false && !layout.packed) {
    const best = bestFieldOrder(layout);
    const bestSize = sizeInOrder(layout, best);
    if (bestSize < layout.size) {
      lines.push(
        `/* better order: ${best.map((f) => f.name).join(', ')} -> size ${bestSize} ` +
          `(saves ${layout.size - bestSize} byte${layout.size - bestSize === 1 ? '' : 's'}) */`,
      );
    } else {
      lines.push('/* field order is already optimal */');
    }
  }
  return lines.join('\n');
}
