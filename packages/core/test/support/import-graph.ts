// Reads the import graph of packages/core/src (static imports, `import type`, re-exports and
// dynamic import()) and judges it against the pipeline's layering: table → map → view → layout,
// with a few foundation modules below them all and the entry points above.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

export type ImportGraph = ReadonlyMap<string, readonly string[]>;

/** Modules every layer may import; they import only each other. */
export const FOUNDATION = ['errors.ts', 'event-channels.ts', 'events.ts', 'int64-word.ts', 'intrinsics.ts', 'options.ts', 'utf8.ts'];
/** The public entry points: they may import anything, nothing imports them. */
export const ENTRIES = ['index.ts', 'internal.ts'];
/** The pipeline, lowest first: a module may import its own layer or a lower one. */
export const LAYERS = ['layout', 'view', 'map', 'table'];

const SPECIFIER = /(?:\bfrom|\bimport)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g;

/** Every .ts file under `root` (paths relative to it, '/'-separated) with the files it imports. */
export function importGraph(root: string): ImportGraph {
  const graph = new Map<string, string[]>();
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.ts')) {
        const text = readFileSync(path, 'utf8');
        const targets = [...text.matchAll(SPECIFIER)].map((m) => key(root, resolve(dirname(path), m[1]!.replace(/\.js$/, '.ts'))));
        graph.set(key(root, path), [...new Set(targets)]);
      }
    }
  };
  walk(root);
  return graph;
}

const key = (root: string, path: string): string => relative(root, path).split(sep).join('/');

/** The layer rank of a module: foundation 0, then layout…table, entry points last; undefined if it has no place. */
export function rankOf(module: string): number | undefined {
  if (FOUNDATION.includes(module)) return 0;
  if (ENTRIES.includes(module)) return LAYERS.length + 1;
  const slash = module.indexOf('/');
  if (slash < 0 || module.indexOf('/', slash + 1) >= 0) return undefined;
  const layer = LAYERS.indexOf(module.slice(0, slash));
  return layer < 0 ? undefined : layer + 1;
}

/** Edges that point up the pipeline (or into an entry point), and modules outside every layer. */
export function layerViolations(graph: ImportGraph): string[] {
  const problems: string[] = [];
  for (const [from, targets] of graph) {
    const rank = rankOf(from);
    if (rank === undefined) {
      problems.push(`${from} is in no layer (${[...FOUNDATION, ...ENTRIES].join(', ')} or ${LAYERS.join('/, ')}/)`);
      continue;
    }
    for (const to of targets) {
      if (!graph.has(to)) problems.push(`${from} imports ${to}, which does not exist`);
      else if ((rankOf(to) ?? Infinity) > rank || ENTRIES.includes(to)) problems.push(`${from} imports ${to}: a lower layer may not import a higher one`);
    }
  }
  return problems;
}

/** Each import cycle once, as the list of modules along it (Tarjan's strongly connected components). */
export function importCycles(graph: ImportGraph): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, next);
    low.set(node, next++);
    stack.push(node);
    onStack.add(node);
    for (const to of graph.get(node) ?? []) {
      if (!index.has(to)) {
        visit(to);
        low.set(node, Math.min(low.get(node)!, low.get(to)!));
      } else if (onStack.has(to)) low.set(node, Math.min(low.get(node)!, index.get(to)!));
    }
    if (low.get(node) !== index.get(node)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== node);
    if (component.length > 1 || (graph.get(node) ?? []).includes(node)) cycles.push(component.reverse());
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return cycles;
}
