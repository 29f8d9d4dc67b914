// Detaching any ArrayBuffer switches off a V8 protector for the whole process, and from then on
// every typed-array and DataView access in it, the user's included, pays an extra detachment
// check. structsync must never do that on its own: this runs the built package through all its
// parts under --trace-protector-invalidation and looks for the invalidation.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const script = fileURLToPath(new URL('./protector/exercise.mjs', import.meta.url));
const run = (...args: string[]): string =>
  execFileSync(process.execPath, ['--trace-protector-invalidation', script, ...args], { encoding: 'utf8', timeout: 30_000 });

describe('V8 protectors', () => {
  it('using structsync never invalidates the ArrayBufferDetaching protector', () => {
    const output = run();
    expect(output).toContain('done');
    expect(output).not.toContain('ArrayBufferDetaching');
  });

  it('the trace does show an invalidation when a buffer is detached', () => {
    const output = run('detach');
    expect(output).toContain('done');
    expect(output).toContain('Invalidating protector cell ArrayBufferDetaching');
  });
});
