// formatLayout: a pahole-style table of a struct (offset, size, type, tags, every padding hole)
// plus the field order that minimises its size — the seed's alignment analysis as a tool.
import { layoutOf, type FieldLayout, type StructLayout } from './layout.js';
import type { StructClass } from './types.js';

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
    .map(([k, t]) => `${k}:"${t.skip ? '-' : (t.name ?? '')}${t.options.map((o) => `,${o}`).join('')}"`)
    .join(' ');
}

/** Size of the struct if its fields were laid out in `order` under the same rules. */
function sizeInOrder(layout: StructLayout, order: readonly FieldLayout[]): number {
  let offset = 0;
  for (const f of order) offset = roundUp(offset, f.align) + f.size;
  return roundUp(offset, layout.align);
}

/**
 * The order that minimises the size: decreasing alignment (stable). Optimal whenever each
 * field's size is a multiple of its alignment, which holds for every type but a short `any`.
 */
export function bestFieldOrder(layout: StructLayout): readonly FieldLayout[] {
  return [...layout.fields].sort((a, b) => b.align - a.align);
}

export interface FormatLayoutOptions {
  /** Append the size-minimising field order when it is smaller. Default true. */
  readonly suggest?: boolean;
}

/** A pahole-style description of the struct's layout, with holes and a better field order. */
export function formatLayout(type: StructClass, options: FormatLayoutOptions = {}): string {
  const layout = layoutOf(type);
  const rows = layout.fields.map((f) => ({ f, type: typeLabel(f), tags: tagLabel(f) }));
  const typeWidth = Math.max(4, ...rows.map((r) => r.type.length));
  const nameWidth = Math.max(4, ...rows.map((r) => r.f.name.length + 1));
  const lines = [`struct ${layout.name} {${' '.repeat(Math.max(1, typeWidth + nameWidth - layout.name.length - 3))}/* offset  size */`];
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
  if (options.suggest !== false && !layout.packed) {
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
