// @structsync/core as a user gets it: the tarball `pnpm pack` makes is linted (publint,
// arethetypeswrong) and installed into real apps — ESM and CommonJS, TypeScript 5.9 and 7, legacy
// and standard decorators, tsx, SWC and vitest — that compile, run the README's tour and print the
// output the README shows. A mistyped @Field must fail to compile in both decorator flavours.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { transformFileSync, type Options } from '@swc/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apps, mistyped, readmeTour, writeApp, type App } from './apps.js';
import { createWorkspace, repoRoot, run, runTool, type Run, type Workspace } from './workspace.js';

let workspace: Workspace;

beforeAll(async () => {
  workspace = await createWorkspace();
}, 60_000);

afterAll(() => {
  if (workspace !== undefined) rmSync(workspace.dir, { recursive: true, force: true });
});

// Two apps build at a time: the machine is shared, and tsc 5 alone keeps a core busy.
let running = 0;
const waiting: Array<() => void> = [];
async function limited<T>(task: () => Promise<T>): Promise<T> {
  if (running >= 2) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  try {
    return await task();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

const shown = (result: Run): string => `exit ${result.code}\n${result.stdout}\n${result.stderr}`;

const tsc = { tsc5: 'typescript5/bin/tsc', tsc7: 'typescript/bin/tsc' } as const;

describe('the packed tarball', () => {
  it('holds README.md, LICENSE and dist; every source map carries its sources', async () => {
    const listing = await run('tar', ['-tzf', workspace.tarball], workspace.dir);
    const files = listing.stdout.split('\n').filter(Boolean);
    expect(files.filter((file) => !file.startsWith('package/dist/')).sort()).toEqual(['package/LICENSE', 'package/README.md', 'package/package.json']);
    expect(files).toEqual(expect.arrayContaining(['package/dist/index.js', 'package/dist/index.d.ts']));
    const core = join(workspace.dir, 'node_modules/@structsync/core');
    const maps = files.filter((file) => file.endsWith('.js.map'));
    expect(maps.length).toBe(files.filter((file) => file.endsWith('.js')).length);
    for (const file of maps) {
      const map = JSON.parse(readFileSync(join(core, file.slice('package/'.length)), 'utf8')) as { sources: string[]; sourcesContent?: string[] };
      expect(map.sourcesContent?.length, file).toBe(map.sources.length);
      expect(map.sourcesContent!.every((source) => source.length > 0), file).toBe(true);
    }
    expect(readFileSync(join(core, 'LICENSE'), 'utf8')).toContain('MIT License');
  });

  it('maps stack traces to its TypeScript sources (node --enable-source-maps), source line included', async () => {
    const app = join(workspace.dir, 'stack-trace.cjs');
    writeFileSync(app, "require('@structsync/core').sizeof(class Plain {});\n");
    const result = await run(process.execPath, ['--enable-source-maps', app], workspace.dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("@structsync/core/src/layout/layout.ts:");
    expect(result.stderr).toContain("throw new DefinitionError('NOT_A_STRUCT'");
    expect(result.stderr).toMatch(/DefinitionError: Plain is not decorated with @Struct\n +at layoutOf \(.*@structsync\/core\/src\/layout\/layout\.ts:\d+:\d+\)/);
  });

  it('passes publint (strict: warnings count)', async () => {
    const result = await limited(() => runTool('publint/src/cli.js', ['run', workspace.tarball, '--strict'], workspace.dir));
    expect(result.code, shown(result)).toBe(0);
    expect(result.stdout).toContain('All good!');
  });

  it('passes arethetypeswrong for node10, node16 from ESM and bundler; from CJS it is require(esm), which attw does not model', async () => {
    // attw treats every require() of ESM as an error; Node >= 20.19 (our engines floor) loads it,
    // and TypeScript accepts it under nodenext (>= 5.8) — the CommonJS apps below do exactly that.
    // `@structsync/core/internal` serves structsync's own packages (@structsync/redis), not users: not checked here.
    const internal = ['--exclude-entrypoints', './internal'];
    const result = await limited(() => runTool('@arethetypeswrong/cli/dist/index.js', [workspace.tarball, '--format', 'json', ...internal], workspace.dir));
    const report = JSON.parse(result.stdout) as { analysis: { problems: Array<{ kind: string; resolutionKind?: string }> } };
    // The one problem, nothing else (`attw --ignore-rules cjs-resolves-to-esm` exits 0).
    expect(report.analysis.problems.map((p) => `${p.kind} ${p.resolutionKind}`)).toEqual(['CJSResolvesToESM node16-cjs']);
  });
});

/** Compiles or runs one app; returns what its program printed. */
async function buildAndRun(app: App, dir: string): Promise<string> {
  if (app.build === 'tsc5' || app.build === 'tsc7') {
    const compile = await runTool(tsc[app.build], ['-p', dir], dir);
    expect(compile.code, shown(compile)).toBe(0);
    const program = await run(process.execPath, ['dist/tour.js'], dir);
    expect(program.code, shown(program)).toBe(0);
    return program.stdout;
  }
  // tsx, SWC and vitest do not type-check: the app's tsconfig is checked by tsc 7, as an editor would.
  const check = await runTool(tsc.tsc7, ['-p', dir, '--noEmit'], dir);
  expect(check.code, shown(check)).toBe(0);
  if (app.build === 'swc') {
    const options = JSON.parse(readFileSync(join(dir, '.swcrc'), 'utf8')) as Options;
    mkdirSync(join(dir, 'dist'));
    writeFileSync(join(dir, 'dist/tour.js'), transformFileSync(join(dir, 'src/tour.ts'), { ...options, swcrc: false }).code);
    const program = await run(process.execPath, ['dist/tour.js'], dir);
    expect(program.code, shown(program)).toBe(0);
    return program.stdout;
  }
  if (app.build === 'tsx') {
    const program = await runTool('tsx/dist/cli.mjs', ['src/tour.ts'], dir);
    expect(program.code, shown(program)).toBe(0);
    return program.stdout;
  }
  const tests = await runTool('vitest/vitest.mjs', ['run'], dir);
  expect(tests.code, shown(tests)).toBe(0);
  expect(tests.stdout).toMatch(/Tests\s+1 passed \(1\)/);
  return readFileSync(join(dir, 'expected.txt'), 'utf8');
}

describe.concurrent('consumer apps run the README tour', () => {
  const tour = readmeTour();
  it.each(apps)('$name', async (app) => {
    const dir = writeApp(workspace.dir, app, '', { file: 'tour.ts', source: tour.source, node: true }, tour.output);
    expect(await limited(() => buildAndRun(app, dir))).toBe(tour.output);
  }, 240_000);
});

describe.concurrent('a mistyped @Field does not compile', () => {
  const typeApps = apps.filter((app) => ['esm-tsc5-legacy', 'esm-tsc5-standard', 'cjs-tsc7-legacy', 'esm-tsc7-standard-bundler'].includes(app.name));
  it.each(typeApps)('$build, $decorators decorators', async (app) => {
    const dir = writeApp(workspace.dir, app, '-mistyped', { file: 'mistyped.ts', source: mistyped.source, node: false }, '');
    const compile = await limited(() => runTool(tsc[app.build as 'tsc5' | 'tsc7'], ['-p', dir, '--noEmit'], dir));
    expect(compile.code, shown(compile)).not.toBe(0);
    const errors = [...compile.stdout.matchAll(/^src\/mistyped\.ts\((\d+),\d+\): error (TS\d+)/gm)].map((m) => `${m[1]} ${m[2]}`);
    expect(errors).toEqual(mistyped.errorLines.map((line) => `${line} TS1240`));
    expect(compile.stdout.match(/^\S.*error TS/gm)).toHaveLength(mistyped.errorLines.length);
  }, 240_000);
});
