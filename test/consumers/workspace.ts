// The place consumer apps are built in: a temporary folder whose node_modules holds
// @structsync/core unpacked from the tarball `pnpm pack` makes, and the toolchains this workspace
// package installed once (test/consumers/package.json), linked rather than installed per run.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const tools = fileURLToPath(new URL('./node_modules', import.meta.url));

export type Run = { code: number | null; stdout: string; stderr: string };

/** Runs a command to the end, whatever its exit code; a run past `timeout` ms is killed. */
export function run(command: string, args: readonly string[], cwd: string, timeout = 120_000): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile(command, args, { cwd, timeout, maxBuffer: 16 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } }, (_error, stdout, stderr) => {
      resolve({ code: child.exitCode, stdout, stderr });
    });
  });
}

/** Runs a package's own bin script (from the linked toolchains) with this Node. */
export function runTool(bin: string, args: readonly string[], cwd: string): Promise<Run> {
  return run(process.execPath, [join(tools, bin), ...args], cwd);
}

export interface Workspace {
  readonly dir: string;
  readonly tarball: string;
}

/** Packs packages/core as `pnpm pack` does for publishing and lays out node_modules around it. */
export async function createWorkspace(): Promise<Workspace> {
  const dir = mkdtempSync(join(tmpdir(), 'structsync-consumers-'));
  const pack = await run('npx', ['-y', 'pnpm@12.4.2', 'pack', '--pack-destination', dir], join(repoRoot, 'packages/core'));
  if (pack.code !== 0) throw new Error(`pnpm pack failed:\n${pack.stdout}\n${pack.stderr}`);
  const tarball = join(dir, readdirSync(dir).find((file) => file.endsWith('.tgz'))!);
  const core = join(dir, 'node_modules/@structsync/core');
  mkdirSync(core, { recursive: true });
  const untar = await run('tar', ['-xzf', tarball, '--strip-components=1', '-C', core], dir);
  if (untar.code !== 0) throw new Error(`unpacking ${tarball} failed:\n${untar.stderr}`);
  for (const name of ['reflect-metadata', '@types', 'typescript', 'typescript5', 'tsx', 'vitest']) {
    symlinkSync(join(tools, name), join(dir, 'node_modules', name));
  }
  return { dir, tarball };
}
