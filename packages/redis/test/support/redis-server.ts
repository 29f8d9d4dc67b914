// Starts real redis-server processes on free loopback ports for the tests, and stops them.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RedisServer {
  readonly port: number;
  readonly url: string;
  readonly dir: string;
  /** Stops the server: SIGTERM (an orderly shutdown) or SIGKILL (a crash). */
  stop(signal?: 'SIGTERM' | 'SIGKILL'): Promise<void>;
  /** Starts it again on the same port and directory (AOF files are read back). */
  restart(): Promise<void>;
  /** Sends a signal to the server process (SIGSTOP freezes it: commands are sent and never answered). */
  signal(signal: NodeJS.Signals): void;
}

/** A port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });
}

function launch(port: number, dir: string, args: readonly string[]): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--dir', dir, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`redis-server on port ${port} did not start:\n${output}`));
    }, 10_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`could not run redis-server (install it: apt-get install redis-server): ${error.message}`));
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`redis-server on port ${port} exited with ${code}:\n${output}`));
    });
  });
}

/** Starts redis-server with `--save ''` (and whatever `args` add, e.g. `--appendonly yes`). */
export async function startRedis(args: readonly string[] = [], fixedPort?: number): Promise<RedisServer> {
  const dir = mkdtempSync(join(tmpdir(), 'structsync-redis-'));
  const port = fixedPort ?? (await freePort());
  let child = await launch(port, dir, args);
  const stop = (signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): Promise<void> =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.removeAllListeners('exit');
      child.once('exit', () => resolve());
      child.kill(signal);
    });
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    dir,
    stop: async (signal) => {
      await stop(signal);
    },
    restart: async () => {
      await stop();
      child = await launch(port, dir, args);
    },
    signal: (signal) => void child.kill(signal),
  };
}

/** Stops a server and removes its directory. */
export async function removeRedis(server: RedisServer | undefined): Promise<void> {
  if (server === undefined) return;
  await server.stop('SIGKILL');
  rmSync(server.dir, { recursive: true, force: true });
}
