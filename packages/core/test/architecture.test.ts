// The source tree shows the pipeline (layout → view → map → table): every module sits in one
// layer, imports point down only, and no module imports itself through others.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { importCycles, importGraph, layerViolations, type ImportGraph } from './support/import-graph.js';

const graph = importGraph(fileURLToPath(new URL('../src', import.meta.url)));

describe('packages/core/src', () => {
  it('has every module in a layer and every import pointing down the pipeline', () => {
    expect(graph.size).toBeGreaterThan(40);
    expect(layerViolations(graph)).toEqual([]);
  });

  it('has no import cycles (type-only imports included)', () => {
    expect(importCycles(graph)).toEqual([]);
  });
});

describe('the checks themselves', () => {
  const fake = (edges: Record<string, string[]>): ImportGraph => new Map(Object.entries(edges));

  it('find a cycle through three modules and a module importing itself', () => {
    const cycles = importCycles(fake({ 'map/a.ts': ['map/b.ts'], 'map/b.ts': ['map/c.ts'], 'map/c.ts': ['map/a.ts'], 'view/d.ts': ['view/d.ts'], 'view/e.ts': [] }));
    expect(cycles.map((c) => [...c].sort())).toEqual([['map/a.ts', 'map/b.ts', 'map/c.ts'], ['view/d.ts']]);
  });

  it('refuse an upward import, a foundation module importing a layer, an import of an entry point, and a module outside the layers', () => {
    const problems = layerViolations(
      fake({
        'view/v.ts': ['map/m.ts'],
        'map/m.ts': ['view/v.ts', 'index.ts'],
        'errors.ts': ['layout/l.ts'],
        'layout/l.ts': [],
        'index.ts': ['map/m.ts'],
        'misc/x.ts': [],
      }),
    );
    expect(problems).toEqual([
      'view/v.ts imports map/m.ts: a lower layer may not import a higher one',
      'map/m.ts imports index.ts: a lower layer may not import a higher one',
      'errors.ts imports layout/l.ts: a lower layer may not import a higher one',
      expect.stringContaining('misc/x.ts is in no layer'),
    ]);
  });
});
