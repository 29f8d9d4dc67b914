// Runs every benchmark suite of bench/ once with tiny sizes (STRUCTSYNC_BENCH_SMOKE=1), and `pnpm
// bench`'s runner over two of them, so that a change that breaks a suite fails the test suite
// rather than the next benchmark run. Smoke numbers mean nothing: the checks are on what each suite
// prints (every line present, every figure a finite number) and on the report and charts written.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const bench = join(root, 'bench');

function run(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, args, { cwd: root, timeout: 150_000, maxBuffer: 16 * 2 ** 20, env: { ...process.env, STRUCTSYNC_BENCH_SMOKE: '1', ...env } }, (_e, stdout, stderr) =>
      resolve({ code: child.exitCode, stdout, stderr }),
    );
  });
}

const stale = (): boolean =>
  readdirSync(bench, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts') && !f.startsWith('dist') && !f.startsWith('node_modules'))
    .some((f) => {
      const built = join(bench, 'dist', f.replace(/\.ts$/, '.js'));
      return !existsSync(built) || statSync(built).mtimeMs < statSync(join(bench, f)).mtimeMs;
    });

/** Markdown table rows (not header or rule) of a printed table whose header starts with `header`. */
function tableRows(output: string, header: string): string[][] {
  const lines = output.split('\n');
  const start = lines.findIndex((l) => l.startsWith(header));
  expect(start, `no table headed "${header}" in:\n${output}`).toBeGreaterThanOrEqual(0);
  const rows: string[][] = [];
  for (let i = start + 2; i < lines.length && lines[i]!.startsWith('|'); i++) rows.push(lines[i]!.split('|').slice(1, -1).map((c) => c.trim()));
  return rows;
}
const finite = (cell: string): number => {
  const value = Number(cell.replace(/[^\d.eE+-].*$/, ''));
  expect(Number.isFinite(value), `"${cell}" is not a number`).toBe(true);
  return value;
};

const results = new Map<string, Promise<{ code: number | null; stdout: string; stderr: string }>>();
const suite = (file: string): Promise<{ code: number | null; stdout: string; stderr: string }> => results.get(file)!;
let out = '';

beforeAll(async () => {
  if (stale()) {
    const build = await new Promise<string>((resolve) => execFile('npx', ['-y', 'pnpm@12.4.2', '--filter', '@structsync/bench', 'run', 'build'], { cwd: root }, (e, so, se) => resolve(e ? `${so}${se}` : '')));
    expect(build).toBe('');
  }
  out = mkdtempSync(join(tmpdir(), 'bench-smoke-'));
  // Started together: the suites are separate processes, and the machine has two cores.
  for (const file of ['core', 'tables', 'peers', 'seed', 'memory', 'scaling']) results.set(file, run(['--expose-gc', `bench/dist/${file}.bench.js`]));
  results.set('run-all', run(['bench/dist/run-all.js', 'tables', 'scaling', '--runs', '2', '--out', out]));
}, 60_000);
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('benchmark suites (smoke run)', () => {
  it('core prints every line with a finite speed-up', async () => {
    const { code, stdout, stderr } = await suite('core');
    expect(code, stderr).toBe(0);
    const rows = tableRows(stdout, '| operation |');
    expect(rows.map((r) => r[0])).toEqual(expect.arrayContaining(['toMap (new object)', 'fromMap (all checks)', 'scan 10k records: records(User, buffer).at(i).age']));
    for (const r of rows) expect(finite(r[4]!)).toBeGreaterThan(0);
  });

  it('tables prints its comparisons and the contended updates', async () => {
    const { code, stdout, stderr } = await suite('tables');
    expect(code, stderr).toBe(0);
    expect(tableRows(stdout, '| operation |')).toHaveLength(5);
    const contended = tableRows(stdout, '| contended update');
    expect(contended).toHaveLength(3);
    for (const r of contended) expect(finite(r[1]!.replaceAll(',', ''))).toBeGreaterThan(0);
  });

  it('peers runs every peer on every operation it has, each peer reading back what it was given', async () => {
    const { code, stdout, stderr } = await suite('peers');
    expect(code, stderr).toBe(0);
    const peers = ['typed-struct', '@solana/buffer-layout', 'binary-parser', 'restructure', 'FlatBuffers', 'protobufjs (static code)', 'avsc', 'msgpackr', 'JSON', 'class-transformer'];
    const decode = tableRows(stdout, '| peer |');
    expect(decode.map((r) => r[0])).toEqual(peers);
    // Five operations for nine peers, three for the decode-only binary-parser, and the bigint line.
    const all = stdout.split('\n').filter((l) => peers.some((p) => l.startsWith(`| ${p} |`)));
    expect(all).toHaveLength(9 * 5 + 3 + 1);
    for (const line of all) expect(finite(line.split('|')[4]!.trim())).toBeGreaterThan(0);
  });

  it("seed reproduces the seed's table with its ratios beside ours", async () => {
    const { code, stdout, stderr } = await suite('seed');
    expect(code, stderr).toBe(0);
    const rows = tableRows(stdout, '| operation |');
    expect(rows).toHaveLength(8);
    expect(rows.map((r) => r[6]).filter((t) => t !== '')).toEqual(['seed: 4.9× faster than json.Marshal+map', 'seed: 3.6× faster than mapstructure.Decode']);
  });

  it('memory measures every form, pool and records() among them', async () => {
    const { code, stdout, stderr } = await suite('memory');
    expect(code, stderr).toBe(0);
    const rows = tableRows(stdout, '| form |');
    expect(rows.map((r) => r[0])).toEqual(expect.arrayContaining(['plain objects', 'class instances', 'records()', 'createPool (views dropped)', 'FlatBuffers buffers', 'JSON strings']));
    // In a smoke run every form shares one process, so bytes/record can even come out negative;
    // what must hold is that every figure was measured.
    for (const r of rows) for (const cell of r.slice(1, 9)) finite(cell);
  });

  it('scaling measures the four operations at each record and field count', async () => {
    const { code, stdout, stderr } = await suite('scaling');
    expect(code, stderr).toBe(0);
    expect(tableRows(stdout, '| records |').map((r) => r[0])).toEqual(['100', '1,000']);
    expect(tableRows(stdout, '| fields |').map((r) => r[0])).toEqual(['3', '8']);
    expect(stdout).toMatch(/- commit: structsync /);
  });

  it('pnpm bench writes latest.md with min/median/max over the runs and an SVG chart per metric group', async () => {
    const { code, stderr } = await suite('run-all');
    expect(code, stderr).toBe(0);
    const report = readFileSync(join(out, 'latest.md'), 'utf8');
    expect(report).toContain(`| Node | ${process.version}`);
    expect(report).toMatch(/\| tables \| 2 run\(s\), .* UTC, commit [0-9a-f]{7,}/);
    expect(report).toContain('## tables');
    const saved = JSON.parse(readFileSync(join(out, 'latest.json'), 'utf8')) as { suites: Record<string, { outcomes: unknown[] }> };
    expect(Object.keys(saved.suites).sort()).toEqual(['scaling', 'tables']);
    expect(saved.suites.tables!.outcomes).toHaveLength(2);
    expect(report).toContain('## scaling');
    expect(report).toContain('| median | min | max |');
    // Two smoke runs of the tables suite disagree somewhere: the folded table shows the range.
    expect(report).toMatch(/\(\d[\d.,]*–\d[\d.,]*\)/);
    const charts = readdirSync(out).filter((f) => f.endsWith('.svg'));
    expect(charts).toEqual(expect.arrayContaining(['tables-speed-up-over-the-baseline.svg', 'scaling-ns-per-record-by-records.svg', 'scaling-ns-per-record-by-fields.svg']));
    for (const chart of charts) {
      const svg = readFileSync(join(out, chart), 'utf8');
      expect(svg.startsWith('<svg')).toBe(true);
      expect(report).toContain(`](${chart})`);
    }
    expect(readFileSync(join(out, 'tables-speed-up-over-the-baseline.svg'), 'utf8')).toContain('fromMap (all checks, 3 keys)');
  });
});
