// A 3-master Redis Cluster on loopback for the tests: three redis-server processes in cluster
// mode (each with its bus on port + 10000), joined by `redis-cli --cluster create`.
import { execFile } from 'node:child_process';
import { createServer } from 'node:net';
import { promisify } from 'node:util';
import { createClient } from 'redis';
import { freePort, removeRedis, startRedis, type RedisServer } from './redis-server.js';

const run = promisify(execFile);

export interface RedisCluster {
  readonly nodes: readonly RedisServer[];
  stop(): Promise<void>;
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A free port whose cluster bus port (port + 10000) is free too. */
async function clusterPort(): Promise<number> {
  for (;;) {
    const port = await freePort();
    if (port + 10000 < 65536 && (await isFree(port + 10000))) return port;
  }
}

export async function startCluster(): Promise<RedisCluster> {
  const nodes: RedisServer[] = [];
  try {
    for (let i = 0; i < 3; i++) {
      const port = await clusterPort();
      nodes.push(await startRedis(['--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf', '--cluster-node-timeout', '5000', '--appendonly', 'no'], port));
    }
    const addresses = nodes.map((n) => `127.0.0.1:${n.port}`);
    await run('redis-cli', ['--cluster', 'create', ...addresses, '--cluster-replicas', '0', '--cluster-yes'], { timeout: 30_000 });
    // Every node must agree the cluster is up before clients ask it for slots.
    for (const node of nodes) {
      const client = createClient({ url: node.url });
      await client.connect();
      for (let i = 0; ; i++) {
        if (String(await client.sendCommand(['CLUSTER', 'INFO'])).includes('cluster_state:ok')) break;
        if (i > 300) throw new Error(`cluster node ${node.port} never reached cluster_state:ok`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await client.close();
    }
  } catch (error) {
    for (const node of nodes) await removeRedis(node);
    throw error;
  }
  return {
    nodes,
    stop: async () => {
      for (const node of nodes) await removeRedis(node);
    },
  };
}
