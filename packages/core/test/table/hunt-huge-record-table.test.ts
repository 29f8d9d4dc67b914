// Regression test (issue 12): createTable with one huge record built per-word tables of the
// record in set-up (an array per 32-bit word, and a generated test with a term per word): a
// 16 MiB record took ~17 s and one near 2^31 bytes ran the process out of memory. Set-up now costs
// the buffer and a table per field, whatever a field's size. Run in child processes with a 64 MB
// heap, so that the old failure is an out-of-memory exit there, not in the test runner.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const child = fileURLToPath(new URL('../support/huge-record-child.mjs', import.meta.url));

function createInChild(size: number, mode = ''): { ms: number; heapGrowth: number; bytes: number; fields?: string[]; last?: number } {
  const out = execFileSync(process.execPath, ['--max-old-space-size=64', child, String(size), mode], { encoding: 'utf8', timeout: 60_000 });
  return JSON.parse(out) as never;
}

describe('huge_record_table_setup', () => {
  it('a record near 2^31 bytes: set-up allocates no more heap than a small table', () => {
    const size = 2 ** 31 - 256;
    const report = createInChild(size);
    expect(report.bytes).toBeGreaterThan(size);
    expect(report.heapGrowth).toBeLessThan(1 << 20);
  });

  it('a 16 MiB record: set-up allocates no per-word tables, and a commit to its last byte is found', () => {
    const size = 16 * 2 ** 20;
    const report = createInChild(size, 'commit');
    expect(report.heapGrowth).toBeLessThan(1 << 20);
    expect(report.fields).toEqual(['blob']);
    expect(report.last).toBe(7);
  });
});
