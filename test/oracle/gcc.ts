// Compiles one C program with the system gcc in a fresh temp directory, runs it and parses its
// tab-separated measurements. One compiler invocation per test run keeps the oracle fast.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Measure {
  readonly offset: number;
  readonly size: number;
  readonly align: number;
}

/** Key of one measurement: struct name and dotted path (empty for the whole struct). */
export const measureKey = (struct: string, path: string): string => `${struct}\t${path}`;

export function measureWithGcc(source: string): Map<string, Measure> {
  const dir = mkdtempSync(join(tmpdir(), 'structsync-oracle-'));
  try {
    const file = join(dir, 'oracle.c');
    const binary = join(dir, 'oracle');
    writeFileSync(file, source);
    // -Werror: a C mistake in the generator must fail loudly, not measure something else.
    // -Wno-packed-not-aligned: packed structs holding aligned members are exactly what we test.
    execFileSync('gcc', ['-std=c11', '-O0', '-Wall', '-Werror', '-Wno-packed-not-aligned', '-o', binary, file], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const output = execFileSync(binary, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    const measures = new Map<string, Measure>();
    for (const line of output.split('\n')) {
      if (line === '') continue;
      const [struct, path, offset, size, align] = line.split('\t');
      measures.set(measureKey(struct!, path!), { offset: Number(offset), size: Number(size), align: Number(align) });
    }
    return measures;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
