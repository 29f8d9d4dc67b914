// pnpm bench — runs every suite (every `bench:<name>` script of the root package.json; a suite is
// added there with one line, its last `&&` command running it) several times in fresh processes,
// the suites taking turns, and writes bench/results/latest.md: machine, load, Node, date, commit,
// every metric's median/min/max over the runs, the suites' tables folded over the runs, and SVG
// charts. The raw results go to latest.json beside it; with --keep, suites not run this time keep
// their last results from there (each section says when and at which commit it ran).
//   node bench/dist/run-all.js [suite ...] [--runs N] [--out DIR] [--keep]   (default: all, 3, bench/results)
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Metric } from './metrics.js';
import { renderChart, type Folded } from './report-charts.js';
import { foldOutputs } from './report-tables.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const args = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const at = args.indexOf(name);
  return at < 0 ? undefined : args.splice(at, 2)[1];
};
const flag = (name: string): boolean => {
  const at = args.indexOf(name);
  if (at >= 0) args.splice(at, 1);
  return at >= 0;
};
const runs = Number(option('--runs') ?? process.env.STRUCTSYNC_BENCH_RUNS ?? 3);
const out = option('--out') ?? join(root, 'bench/results');
const keep = flag('--keep');
const scripts = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
const allSuites = Object.entries(scripts)
  .filter(([key]) => key.startsWith('bench:'))
  .map(([key, script]) => ({ name: key.slice('bench:'.length), command: script.split('&&').at(-1)!.trim() }));
const suites = allSuites.filter((s) => args.length === 0 || args.includes(s.name));
if (suites.length === 0 || !Number.isInteger(runs) || runs < 1) {
  console.error(`usage: run-all [suite ...] [--runs N] [--out DIR] [--keep]; suites: ${allSuites.map((s) => s.name).join(', ')}`);
  process.exit(2);
}

interface Outcome {
  readonly output: string;
  readonly seconds: number;
  readonly failed?: string;
}
/** One suite's runs, as saved in latest.json. */
interface SuiteResult {
  readonly command: string;
  readonly date: string;
  readonly commit: string;
  readonly load: string;
  readonly outcomes: Outcome[];
  readonly metrics: Metric[];
}

const git = (...a: string[]): string => execFileSync('git', a, { cwd: root, encoding: 'utf8' }).trim();
const commit = `${git('rev-parse', '--short', 'HEAD')}${git('status', '--porcelain', '--untracked-files=no') === '' ? '' : ' (with uncommitted changes)'}`;
const load = (): string => loadavg().map((l) => l.toFixed(2)).join(', ');
const machine = { node: `${process.version} (${process.arch})`, cpu: `${cpus()[0]?.model ?? 'unknown CPU'} × ${cpus().length}`, memory: `${Math.round(totalmem() / 2 ** 30)} GiB` };
const saved = join(out, 'latest.json');
const results: Record<string, SuiteResult> = keep && existsSync(saved) ? (JSON.parse(readFileSync(saved, 'utf8')) as { suites: Record<string, SuiteResult> }).suites : {};

const scratch = mkdtempSync(join(tmpdir(), 'structsync-bench-'));
const started = performance.now();
const loadBefore = load();
for (const suite of suites) results[suite.name] = { command: suite.command, date: new Date().toISOString(), commit, load: `${loadBefore} before`, outcomes: [], metrics: [] };
// Run by run, every suite in turn: a slow spell of the machine then lands on one run of each suite.
for (let run = 0; run < runs; run++) {
  for (const suite of suites) {
    const file = join(scratch, `${suite.name}-${run}.jsonl`);
    console.error(`[bench] run ${run + 1}/${runs}: ${suite.name} (${suite.command})`);
    const t = performance.now();
    const child = spawnSync('sh', ['-c', suite.command], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      maxBuffer: 64 * 2 ** 20,
      env: { ...process.env, STRUCTSYNC_BENCH_SUITE: suite.name, STRUCTSYNC_BENCH_METRICS: file },
    });
    const seconds = (performance.now() - t) / 1000;
    const failed = child.status === 0 ? undefined : `exit ${child.status ?? child.signal}`;
    const result = results[suite.name]!;
    result.outcomes.push({ output: child.stdout ?? '', seconds, ...(failed === undefined ? {} : { failed }) });
    if (existsSync(file)) for (const line of readFileSync(file, 'utf8').split('\n')) if (line !== '') result.metrics.push({ ...(JSON.parse(line) as Metric), suite: suite.name });
    console.error(`[bench] ${suite.name}: ${seconds.toFixed(0)} s${failed === undefined ? '' : `, FAILED (${failed})`}`);
  }
}
rmSync(scratch, { recursive: true, force: true });
for (const suite of suites) results[suite.name] = { ...results[suite.name]!, load: `${loadBefore} before, ${load()} after` };

const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
const slug = (s: string): string => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60);
const fmt = (v: number): string => (Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 10 ? v.toFixed(1) : v.toFixed(2));

/** A suite's metrics grouped by chart, each metric folded over the runs. */
function fold(metrics: readonly Metric[]): Map<string, Folded[]> {
  const charts = new Map<string, Map<string, Metric[]>>();
  for (const m of metrics) {
    const byKey = charts.get(m.chart) ?? charts.set(m.chart, new Map()).get(m.chart)!;
    const key = JSON.stringify([m.label, m.series, m.x]);
    (byKey.get(key) ?? byKey.set(key, []).get(key)!).push(m);
  }
  return new Map(
    [...charts].map(([chart, byKey]) => [
      chart,
      [...byKey.values()].map((ms) => {
        const values = ms.map((m) => m.value);
        const { label, series, x, unit } = ms[0]!;
        return { label, unit, median: median(values), min: Math.min(...values), max: Math.max(...values), ...(series === undefined ? {} : { series }), ...(x === undefined ? {} : { x }) };
      }),
    ]),
  );
}

mkdirSync(out, { recursive: true });
writeFileSync(saved, `${JSON.stringify({ machine, suites: results }, null, 1)}\n`);
const reported = allSuites.filter((s) => results[s.name] !== undefined);
const md: string[] = [
  '# structsync benchmark report',
  '',
  'Written by `pnpm bench` (bench/run-all.ts). Each suite ran several times in fresh processes, the suites taking turns; every ' +
    'comparison runs its baseline in the same process, interleaved, so read the ratios rather than the absolute times.',
  '',
  '| | |',
  '|---|---|',
  `| Node | ${machine.node} |`,
  `| machine | ${machine.cpu}, ${machine.memory} |`,
  ...reported.map((s) => {
    const r = results[s.name]!;
    const seconds = r.outcomes.reduce((t, o) => t + o.seconds, 0);
    return `| ${s.name} | ${r.outcomes.length} run(s), ${r.date.slice(0, 16).replace('T', ' ')} UTC, commit ${r.commit}, ${seconds.toFixed(0)} s; load average (1, 5, 15 min) ${r.load} |`;
  }),
  '',
];
let failures = 0;
for (const suite of reported) {
  const result = results[suite.name]!;
  md.push(`## ${suite.name}`, '', `\`${result.command}\``, '');
  for (const [i, r] of result.outcomes.entries()) if (r.failed !== undefined) md.push(`**Run ${i + 1} failed (${r.failed}).**`, '');
  if (suites.includes(suite)) failures += result.outcomes.filter((r) => r.failed !== undefined).length;
  for (const [chart, rows] of fold(result.metrics)) {
    const file = `${suite.name}-${slug(chart)}.svg`;
    const axis = chart.includes(' by ') ? chart.slice(chart.lastIndexOf(' by ') + 4) : '';
    writeFileSync(join(out, file), await renderChart(`${suite.name}: ${chart}`, rows, axis));
    const hasX = rows.some((r) => r.x !== undefined);
    const hasSeries = rows.some((r) => r.series !== undefined);
    md.push(`### ${chart}`, '', `![${suite.name}: ${chart}](${file})`, '');
    md.push(`| ${hasX ? 'x | ' : ''}what | ${hasSeries ? 'series | ' : ''}median | min | max |`);
    md.push(`|${hasX ? '---:|' : ''}---|${hasSeries ? '---|' : ''}---:|---:|---:|`);
    for (const r of rows) md.push(`| ${r.x === undefined ? '' : `${r.x.toLocaleString('en-US')} | `}${r.label} | ${r.series === undefined ? '' : `${r.series} | `}${fmt(r.median)} ${r.unit} | ${fmt(r.min)} | ${fmt(r.max)} |`);
    md.push('');
  }
  const printed = result.outcomes.filter((r) => r.failed === undefined).map((r) => r.output);
  if (printed.length > 0) md.push('### What the suite printed (numbers: median over the runs, min–max where they differ)', '', foldOutputs(printed).trimEnd().replace(/^#{1,3} /gm, '#### '), '');
}
writeFileSync(join(out, 'latest.md'), `${md.join('\n')}\n`);
console.error(`[bench] wrote ${relative(process.cwd(), join(out, 'latest.md'))} in ${((performance.now() - started) / 60000).toFixed(1)} min`);
if (failures > 0) process.exit(1);
