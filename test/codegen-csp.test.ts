// The no-eval path for real: a Node process started with --disallow-code-generation-from-strings
// (what a CSP without 'unsafe-eval' does) loads the built package, and views, maps and pools work
// there through the interpreted accessors. Needs `pnpm build` (as `pnpm test` runs first).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const dist = fileURLToPath(new URL('../packages/core/dist/index.js', import.meta.url));

const program = `
const core = await import(${JSON.stringify(dist)});
class Point {}
core.Field({ type: 'i32', tag: 'json:px' })(Point.prototype, 'x');
core.Field({ type: 'str', size: 8 })(Point.prototype, 'label');
core.Struct()(Point);
let evalBlocked = false;
try { new Function('return 1'); } catch { evalBlocked = true; }
const pool = core.createPool(Point, { capacity: 2 });
const p = pool.acquire();
p.x = 41;
p.label = 'héllo';
let refused;
try { p.x = 1.5; } catch (error) { refused = error.code; }
core.fromMap(p, { px: 42 }, { tag: 'json', partial: true });
const getter = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(p), 'x').get.toString();
console.log(JSON.stringify({ evalBlocked, x: p.x, json: JSON.stringify(p), map: core.toMap(p, { tag: 'json' }), refused,
  generated: getter.includes('s.offset + 0'), instance: p instanceof Point }));
`;

it('views, maps and pools work where new Function is forbidden', () => {
  expect(existsSync(dist), `${dist} is missing: run pnpm build first`).toBe(true);
  const output = execFileSync(process.execPath, ['--disallow-code-generation-from-strings', '--input-type=module', '-e', program], {
    encoding: 'utf8',
  });
  expect(JSON.parse(output)).toEqual({
    evalBlocked: true,
    x: 42,
    json: '{"px":42,"label":"héllo"}',
    map: { px: 42, label: 'héllo' },
    refused: 'NOT_INTEGER',
    generated: false,
    instance: true,
  });
});
