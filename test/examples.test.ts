// Runs the built examples as a user would (`node examples/dist/…/main.js`, a real process each)
// and checks the lines that show they did their job, so an example that breaks fails the suite.
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const examples = join(root, 'examples');
const coreDist = join(root, 'packages/core/dist/index.js');

type Run = { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string };

/** Runs a command to the end, whatever its exit code; a run past `timeout` ms is killed. */
function run(command: string, args: string[], timeout: number): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile(command, args, { cwd: root, timeout, maxBuffer: 16 * 1024 * 1024 }, (_error, stdout, stderr) => {
      resolve({ code: child.exitCode, signal: child.signalCode, stdout, stderr });
    });
  });
}

/** The example sources whose compiled file is missing or older than the source. */
function staleSources(): string[] {
  const sources = readdirSync(examples, { recursive: true, encoding: 'utf8' }).filter(
    (file) => file.endsWith('.ts') && !file.startsWith('dist') && !file.startsWith('node_modules'),
  );
  return sources.filter((file) => {
    const built = join(examples, 'dist', file.replace(/\.ts$/, '.js'));
    return !existsSync(built) || statSync(built).mtimeMs < statSync(join(examples, file)).mtimeMs;
  });
}

// `pnpm test` builds the examples first; a direct `vitest run` rebuilds them here if they are stale,
// so it never checks an old build.
beforeAll(async () => {
  expect(existsSync(coreDist), `${coreDist} is missing: run pnpm build first`).toBe(true);
  if (staleSources().length === 0) return;
  const build = await run('npx', ['-y', 'pnpm@12.4.2', '--filter', '@structsync/examples', 'run', 'build'], 60_000);
  expect(build.code, `building the examples failed:\n${build.stdout}\n${build.stderr}`).toBe(0);
  expect(staleSources()).toEqual([]);
}, 90_000);

/** Runs one built example with node and expects it to exit 0 without writing to stderr. */
async function runExample(name: string): Promise<string> {
  const result = await run(process.execPath, [join(examples, 'dist', name, 'main.js')], 60_000);
  expect(result, `examples/${name} output:\n${result.stdout}\n${result.stderr}`).toMatchObject({ code: 0, signal: null, stderr: '' });
  return result.stdout;
}

describe('examples/quickstart', () => {
  let output = '';
  beforeAll(async () => {
    output = await runExample('quickstart');
  }, 70_000);

  it("prints User's C layout: offsets 0 / 8 / 24, size 32", () => {
    expect(output).toMatch(/^ {4}i64 {5}id; {3}\/\* {6}0 {5}8 \*\/ {2}json:"id" db:"user_id"$/m);
    expect(output).toMatch(/^ {4}str\[16\] name; \/\* {6}8 {4}16 \*\/ {2}json:"name"$/m);
    expect(output).toMatch(/^ {4}i32 {5}age; {2}\/\* {5}24 {5}4 \*\/ {2}json:"age,omitempty"$/m);
    expect(output).toContain('/* size: 32, align: 8, members: 3, holes: 0, sum holes: 0, padding: 4, total padding: 4 */');
    expect(output).toContain("sizeof(User) = 32, offsetof(User, 'age') = 24\n");
  });

  it('finds the holes of the badly ordered Session and the order without them', () => {
    expect(output).toContain('/* size: 40, align: 8, members: 5, holes: 2, sum holes: 14, padding: 6, total padding: 20 */');
    expect(output).toContain('/* better order: startedAt, score, port, active, region -> size 24 (saves 16 bytes) */');
  });

  it('fills pooled views and converts them under the json and db tags, nested structs included', () => {
    expect(output).toContain('pool: 2/1024 in use, 32768 bytes; alice instanceof User: true, alice.isAdult(): true\n');
    expect(output).toContain("toMap(alice, { tag: 'json' }) = { id: 1n, name: 'alice', age: 31 }\n");
    expect(output).toContain("toMap(alice, { tag: 'db' })   = { user_id: 1n, name: 'alice', age: 31 }\n");
    expect(output).toContain("toMap(bob, { tag: 'json' })   = { id: 2n, name: 'bob' } (age 0 left out: omitempty)\n");
    expect(output).toContain(`after fromMap(bob, { user_id: 22n, … }, { tag: 'db' }): {"id":"22","name":"robert","age":42}\n`);
    expect(output).toMatch(/^json: \{\n {2}user: \{ id: 3n, name: 'carol', age: 27 \},\n {2}address: \{ street: '1 rue de Rivoli', zip: 75001 \}\n\}$/m);
    // db: the user is tagged `-` and left out; credit 0 stays (no omitempty under db).
    expect(output).toMatch(/^db: {3}\{\n {2}addr: \{ street_line: '1 rue de Rivoli', zip_code: 75001 \},\n {2}credit: 0\n\}$/m);
    expect(output).toContain('carol.address.zip = 75001 (a cached child view over the same bytes)\n');
  });

  it('refuses each bad input with its code and message, leaving the record unchanged', () => {
    const refused = output.split('\n').filter((line) => / → [A-Z_]+ +User\./.test(line));
    expect(refused).toEqual([
      'age: 1.5                   → NOT_INTEGER      User.age: 1.5 is not an integer (i32)',
      `age: '31'                  → TYPE_MISMATCH    User.age: expected a number (i32), got "31"`,
      'a 17-byte name             → STRING_TOO_LONG  User.name: 17 UTF-8 bytes do not fit in str[16]',
      `an unknown key             → UNKNOWN_KEY      User.admin: User has no field keyed "admin" under tag json (pass unknown: 'strip' to drop unknown keys)`,
      '__proto__ from JSON.parse  → FORBIDDEN_KEY    User.__proto__: the key "__proto__" is never accepted',
    ]);
    expect(output).toContain('alice unchanged: true\n');
  });

  it('measures three operations against their baselines (numbers printed, not judged: see bench/)', () => {
    const measured = output.split('\n').filter((line) => line.includes(' ns/op '));
    expect(measured.map((line) => line.replace(/\d+(\.\d)?/g, 'N').replace(/ +/g, ' '))).toEqual([
      'toMap N ns/op vs JSON.parse(JSON.stringify(obj)) N ns/op → N× faster',
      'toMap N ns/op vs class-transformer instanceToPlain N ns/op → N× faster',
      'fromMap (all checks) N ns/op vs class-transformer plainToInstance N ns/op → N× faster',
    ]);
  });

  it('holds a million users in one buffer and scans it with records().at', () => {
    expect(output).toMatch(/^plain objects: \d+ MB of GC heap; one records buffer: 32 MB, outside the GC heap$/m);
    expect(output).toMatch(/^scan, read age: records\(\)\.at\(i\) \d+\.\d ns\/record, plain objects \d+\.\d ns\/record \(same totals: true\)$/m);
  });
});

describe('examples/workers', () => {
  let output = '';
  beforeAll(async () => {
    output = await runExample('workers');
  }, 70_000);

  type Report = { id: number; reserved: number; repriced: number; conflicts: number };
  const reports = (): Report[] =>
    [...output.matchAll(/^ +(\d+) +(\d+) +(\d+) +(\d+)$/gm)].map(([, id, reserved, repriced, conflicts]) => ({
      id: Number(id),
      reserved: Number(reserved),
      repriced: Number(repriced),
      conflicts: Number(conflicts),
    }));

  it('each of the three workers reserves 40 × 3 units and tries 40 re-pricings, accepted or rejected', () => {
    expect(output).toContain('\nworker  reserved  repriced  conflicts\n');
    const rows = reports();
    expect(rows.map((r) => r.id)).toEqual([1, 2, 3]);
    for (const row of rows) {
      expect(row.reserved).toBe(120);
      expect(row.repriced + row.conflicts).toBe(40);
    }
  });

  it('loses no reservation: 360 made, 360 in the table, 120 on each product', () => {
    expect(output).toMatch(/^\d+ changes of product 0 watched; reservations made 360, in the table 360$/m);
    expect(output).toContain('\nfinal: apple stock 880 reserved 0; pear stock 1000 reserved 120; plum stock 1000 reserved 120\n');
  });

  it('shows conflicts, and the price proves that rejected re-pricings wrote nothing', () => {
    const rows = reports();
    const accepted = rows.reduce((n, r) => n + r.repriced, 0);
    const rejected = rows.reduce((n, r) => n + r.conflicts, 0);
    expect(rejected).toBeGreaterThan(0);
    expect(output).toMatch(/^ {2}conflict seen by a worker: StockLine record 0: another commit wrote price \(written at version \d+\)/m);
    const price = /^apple price (\d+\.\d\d) after (\d+) accepted re-pricings \(expected (\d+\.\d\d)\); (\d+) rejected, nothing written$/m.exec(output);
    expect(price?.slice(2)).toEqual([String(accepted), price?.[1], String(rejected)]);
    let expected = 1.0;
    for (let i = 0; i < accepted; i++) expected = Math.round(expected * 101) / 100;
    expect(price?.[1]).toBe(expected.toFixed(2));
  });

  it('the main thread watched product 0 change', () => {
    const watched = Number(/^(\d+) changes of product 0 watched/m.exec(output)?.[1]);
    expect(watched).toBeGreaterThan(0);
    const versions = [...output.matchAll(/^ {2}watch: v(\d+) apple price \d+\.\d\d \(by worker [123]\)$/gm)].map(([, version]) => Number(version));
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
  });

  it('a bound plain object pushes its changed fields through IDLE → PENDING_WRITE → ACK → COMMITTED', () => {
    const transitions = [...output.matchAll(/^ {2}bind: (.+) \(v\d+\) (.+)$/gm)].map(([, transition, fields]) => `${transition} ${fields}`);
    expect(transitions).toEqual([
      'IDLE → PENDING_WRITE stock, reserved',
      'PENDING_WRITE → ACK stock, reserved',
      'ACK → COMMITTED stock, reserved',
    ]);
  });
});

describe('examples/json-http', () => {
  let output = '';
  beforeAll(async () => {
    output = await runExample('json-http');
  }, 70_000);

  it('answers a valid body with the record as JSON (json names, 64-bit integers as text, omitempty applied)', () => {
    expect(output).toContain('POST {"id":1,"name":"alice","age":31}\n  → 200 {"id":"1","name":"alice","age":31}\n');
    expect(output).toContain('POST {"id":2,"name":"bob"}\n  → 200 {"id":"2","name":"bob"}\n');
  });

  it('takes its own answer back unchanged, and an i64 past 2^53 as decimal text', () => {
    expect(output).toContain('POST {"id":"1","name":"alice","age":31}\n  → 200 {"id":"1","name":"alice","age":31}\n');
    expect(output).toContain('POST {"id":"1152921504606846976","name":"big","age":60}\n  → 200 {"id":"1152921504606846976","name":"big","age":60}\n');
  });

  it('answers bad input with a 400 listing every problem (allErrors), and returns every pooled record', () => {
    expect(output).toContain('  → 400 4 problems: admin UNKNOWN_KEY, id TYPE_MISMATCH, name STRING_TOO_LONG, age TYPE_MISMATCH\n');
    expect(output).toContain('records in use after the requests: 0\n');
  });

  it('is what the README shows: the handler and its output', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const source = readFileSync(join(examples, 'json-http/main.ts'), 'utf8');
    const handler = source.slice(source.indexOf('async function handle('), source.indexOf('\n}\n', source.indexOf('async function handle(')) + 3);
    expect(handler).toContain('fromMap(user');
    expect(readme).toContain(handler);
    expect(readme).toContain(output);
  });
});

describe('examples/otel', () => {
  let output = '';
  beforeAll(async () => {
    output = await runExample('otel');
  }, 70_000);

  it('nests each commit span under its request span, the forced conflict as an ERROR', () => {
    // Request 3's block: its lines up to the next trace (a reservation that raced a worker adds a retry).
    const lines = output.slice(output.indexOf('POST /orders #3')).split('\n').slice(1);
    const block = lines.slice(0, lines.findIndex((line) => !line.startsWith('  ')));
    expect(block).toContainEqual(expect.stringMatching(/^ {2}└ structsync\.commit StockLine#0 \[reserved\] version \d+ → \d+ retries \d$/));
    const price = block.filter((line) => line.includes('[price]'));
    expect(price).toHaveLength(2);
    expect(price[0]).toMatch(/^ {2}└ structsync\.commit StockLine#2 \[price\] version \d+ → \d+ retries 0$/);
    expect(price[1]).toMatch(/^ {2}└ structsync\.commit StockLine#2 \[price\] version \d+ → - retries - ERROR ConflictError$/);
  });

  it('counts every commit (3 set-up, 30 requests, 1 price) and one conflict more than the retries', () => {
    const value = (name: string): number => Number(output.match(new RegExp(`^metric ${name} \\S+ (\\d+) `, 'm'))?.[1] ?? 0);
    expect(value('structsync.commit.count')).toBe(34);
    expect(value('structsync.conflict.count')).toBe(1 + value('structsync.retry.count'));
    expect(output).toMatch(/^metric structsync\.commit\.duration .* count 34 s$/m);
  });

  it('logs each sync step with its span id, and keeps them in the trace-log ring as JSON lines', () => {
    expect(output).toMatch(/^log structsync\.commit span [0-9a-f]{16}: StockLine record 0: committed sku, stock, price \(version 0 → 2\)$/m);
    const ring = output.split('\n').filter((line) => line.startsWith('trace-log '));
    expect(ring).toHaveLength(3);
    for (const line of ring) expect(JSON.parse(line.slice('trace-log '.length))).toMatchObject({ event: 'commit', struct: 'StockLine', traceId: expect.stringMatching(/^[0-9a-f]{32}$/) });
  });

  it('writes a CPU profile that go tool pprof reads', async () => {
    const file = output.match(/^cpu profile: (\S+) /m)?.[1];
    expect(file).toBeDefined();
    const top = await run('go', ['tool', 'pprof', '-top', file!], 60_000);
    expect(top.code, top.stderr).toBe(0);
    expect(top.stdout).toMatch(/flat%/);
  });
});
