// Runs the Go oracle's program: `go vet` (its struct-tag check judges every tag) and one
// `go build`, in a fresh temp directory, with a build cache kept across runs in the temp folder
// so that only the first run on a machine compiles the standard library.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface GoRun {
  /** stdout of the program. */
  readonly output: string;
  /** Line number → go vet's complaint about the struct tag on that line. */
  readonly vet: ReadonlyMap<number, string>;
  readonly ms: number;
}

export function runGo(source: string): GoRun {
  const started = performance.now();
  const dir = mkdtempSync(join(tmpdir(), 'structsync-go-oracle-'));
  const cache = join(tmpdir(), 'structsync-go-cache');
  mkdirSync(cache, { recursive: true });
  const env = { ...process.env, GOCACHE: cache, GOPATH: join(dir, 'gopath'), GO111MODULE: 'off', GOFLAGS: '', CGO_ENABLED: '0', HOME: process.env.HOME ?? dir };
  try {
    const file = join(dir, 'main.go');
    writeFileSync(file, source);
    if (process.env.STRUCTSYNC_GO_ORACLE_KEEP !== undefined) writeFileSync(process.env.STRUCTSYNC_GO_ORACLE_KEEP, source);
    // go vet exits non-zero when it reports: its findings are data here, read from stderr.
    const vetted = spawnSync('go', ['vet', '-structtag', 'main.go'], { cwd: dir, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    if (vetted.error !== undefined) throw vetted.error;
    const vet = new Map<number, string>();
    for (const line of vetted.stderr.split('\n')) {
      const match = /^\.?\/?main\.go:(\d+):\d+: struct field tag .* not compatible with reflect\.StructTag\.Get: (.*)$/.exec(line);
      if (match !== null) vet.set(Number(match[1]), match[2]!);
      else if (line !== '' && !line.startsWith('#') && !line.includes('repeats json tag')) throw new Error(`unexpected go vet output: ${line}`);
    }
    execFileSync('go', ['build', '-o', 'oracle', 'main.go'], { cwd: dir, env, stdio: ['ignore', 'ignore', 'pipe'] });
    const output = execFileSync(join(dir, 'oracle'), { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    return { output, vet, ms: performance.now() - started };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
