// The consumer apps: the set-ups TypeScript backends use (module system, TypeScript version,
// decorator flavour, runner), each a folder with the package.json and tsconfig.json a user would
// write, and the README's tour as its program.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './workspace.js';

export type Decorators = 'legacy' | 'standard';
export type Build = 'tsc5' | 'tsc7' | 'tsx' | 'swc' | 'vitest';

export interface App {
  readonly name: string;
  readonly type: 'module' | 'commonjs';
  readonly decorators: Decorators;
  readonly build: Build;
  /** The module settings of its tsconfig.json. */
  readonly module: Readonly<Record<string, string>>;
}

export const apps: readonly App[] = [
  { name: 'esm-tsc5-legacy', type: 'module', decorators: 'legacy', build: 'tsc5', module: { module: 'nodenext' } },
  { name: 'esm-tsc5-standard', type: 'module', decorators: 'standard', build: 'tsc5', module: { module: 'nodenext' } },
  // What `nest new` writes: CommonJS, and node10 resolution, which ignores `exports`.
  { name: 'cjs-tsc5-legacy-node10', type: 'commonjs', decorators: 'legacy', build: 'tsc5', module: { module: 'commonjs', moduleResolution: 'node10' } },
  { name: 'cjs-tsc5-standard', type: 'commonjs', decorators: 'standard', build: 'tsc5', module: { module: 'nodenext' } },
  { name: 'esm-tsc7-standard-bundler', type: 'module', decorators: 'standard', build: 'tsc7', module: { module: 'preserve', moduleResolution: 'bundler' } },
  { name: 'cjs-tsc7-legacy', type: 'commonjs', decorators: 'legacy', build: 'tsc7', module: { module: 'nodenext' } },
  { name: 'esm-tsx-standard', type: 'module', decorators: 'standard', build: 'tsx', module: { module: 'nodenext' } },
  { name: 'cjs-tsx-legacy', type: 'commonjs', decorators: 'legacy', build: 'tsx', module: { module: 'nodenext' } },
  // What `nest start -b swc` does (legacy), and SWC's standard decorators.
  { name: 'cjs-swc-legacy', type: 'commonjs', decorators: 'legacy', build: 'swc', module: { module: 'nodenext' } },
  { name: 'esm-swc-standard', type: 'module', decorators: 'standard', build: 'swc', module: { module: 'nodenext' } },
  // Vite 8's transformer lowers only experimentalDecorators; standard ones reach Node as syntax.
  { name: 'esm-vitest-legacy', type: 'module', decorators: 'legacy', build: 'vitest', module: { module: 'nodenext' } },
];

/** The README's tour program and the output it shows: the first ts and text blocks under "## Tour". */
export function readmeTour(): { readonly source: string; readonly output: string } {
  const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('\n## Tour\n'));
  const source = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
  const output = /```text\n([\s\S]*?)```/.exec(section)?.[1];
  if (source === undefined || output === undefined) throw new Error('README.md: no ```ts program and ```text output under "## Tour"');
  return { source, output };
}

/** A struct with mistyped fields among correct ones: the lines whose @Field must not compile, in either flavour. */
export const mistyped = {
  source: `import { Field, Struct } from '@structsync/core';

@Struct()
class Address {
  @Field({ type: 'u16' }) zip!: number;
}

@Struct()
export class User {
  @Field({ type: 'i64' }) id!: number;
  @Field({ type: 'str', size: 16 }) name!: string;
  @Field({ type: 'i32' }) age!: string;
  @Field({ type: Address }) home!: User;
  @Field({ type: 'i64', as: 'number' }) small!: number;
  @Field({ type: Address }) address!: Address;
  @Field({ type: 'f64', length: 3 }) position!: Float32Array;
  @Field({ type: 'i32' }) maybe?: number;
  @Field({ type: 'i64', as: 'number' }) big!: bigint;
  @Field({ type: 'u8' }) kind!: 1 | 2 | 3;
  @Field({ type: 'f64', length: 3 }) velocity!: Float64Array;
}
`,
  errorLines: [10, 12, 13, 16, 17, 18],
};

// A vitest test that runs the tour and compares what it logs with the README's output.
const tourTest = `import { readFileSync } from 'node:fs';
import { format } from 'node:util';
import { expect, it, vi } from 'vitest';

it('runs the README tour', async () => {
  const lines: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void lines.push(format(...args)));
  await import('./tour.js');
  log.mockRestore();
  expect(lines.map((line) => line + '\\n').join('')).toBe(readFileSync(new URL('../expected.txt', import.meta.url), 'utf8'));
});
`;

/** The .swcrc a user writes for the app's module system and decorator flavour. */
function swcrc(app: App): object {
  const transform = app.decorators === 'legacy' ? { legacyDecorator: true, decoratorMetadata: true } : { decoratorVersion: '2022-03' };
  return {
    jsc: { parser: { syntax: 'typescript', decorators: true }, target: 'es2022', transform },
    module: { type: app.type === 'module' ? 'es6' : 'commonjs' },
    sourceMaps: false,
  };
}

/** A program of an app: `src/<file>`, and whether it uses Node's API (so needs @types/node). */
export interface Program {
  readonly file: string;
  readonly source: string;
  readonly node: boolean;
}

/** Writes the app's files under `parent/<name><suffix>`. */
export function writeApp(parent: string, app: App, suffix: string, program: Program, expected: string): string {
  const dir = join(parent, app.name + suffix);
  mkdirSync(join(dir, 'src'), { recursive: true });
  const legacy = app.decorators === 'legacy';
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: app.name, private: true, type: app.type }, null, 2));
  const compilerOptions = {
    target: 'es2022',
    ...app.module,
    strict: true,
    esModuleInterop: true,
    types: program.node ? ['node'] : [],
    rootDir: 'src',
    outDir: 'dist',
    // As `nest new` writes it for TypeScript 5 (which then spends seconds less per build); the
    // TypeScript 7 apps check every declaration file, core's included.
    skipLibCheck: app.build === 'tsc5',
    // NestJS apps set both; with standard decorators neither is set.
    ...(legacy ? { experimentalDecorators: true, emitDecoratorMetadata: true } : {}),
  };
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, include: ['src'] }, null, 2));
  writeFileSync(join(dir, 'src', program.file), program.source);
  writeFileSync(join(dir, 'expected.txt'), expected);
  if (app.build === 'vitest') writeFileSync(join(dir, 'src/tour.test.ts'), tourTest);
  if (app.build === 'swc') writeFileSync(join(dir, '.swcrc'), JSON.stringify(swcrc(app), null, 2));
  return dir;
}
