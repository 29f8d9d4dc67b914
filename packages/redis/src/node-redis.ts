// RecordCommands over node-redis (`redis` 6.x), for a standalone client or a cluster client.
import { ClientClosedError, ClientOfflineError, ErrorReply, RESP_TYPES } from 'redis';
import type { CommandArgument, FailureKind, FeedConnection, RecordCommands } from './commands.js';

/** What this adapter uses of a node-redis client (RedisClientType) or cluster (RedisClusterType). */
export interface NodeRedisLike {
  readonly isOpen: boolean;
  duplicate(): NodeRedisLike;
  connect(): Promise<unknown>;
  close(): Promise<void>;
  on(event: string, listener: (...args: unknown[]) => void): unknown;
  sSubscribe(channels: string, listener: (message: Buffer, channel: Buffer) => void, bufferMode: true): Promise<void>;
  sUnsubscribe(channels: string, listener: (message: Buffer, channel: Buffer) => void, bufferMode: true): Promise<void>;
  sendCommand(...args: unknown[]): Promise<unknown>;
}

// Bulk strings as Buffers: records are bytes.
const AS_BUFFERS = { typeMapping: { [RESP_TYPES.BLOB_STRING]: Buffer } };

/** True for a cluster client, whose sendCommand takes the key that routes the command first. */
function isCluster(client: NodeRedisLike): boolean {
  return 'masters' in client;
}

export function isNodeRedisClient(client: unknown): client is NodeRedisLike {
  const c = client as Partial<NodeRedisLike> | null;
  return typeof c === 'object' && c !== null && typeof c.sendCommand === 'function' && typeof c.duplicate === 'function' && typeof c.sSubscribe === 'function';
}

export function nodeRedisCommands(client: NodeRedisLike): RecordCommands {
  const cluster = isCluster(client);
  const send = (key: string, readonly: boolean, args: CommandArgument[]): Promise<unknown> =>
    cluster ? client.sendCommand(key, readonly, args, AS_BUFFERS) : client.sendCommand(args, AS_BUFFERS);
  return {
    get: (key) => send(key, true, ['GET', key]) as Promise<Buffer | null>,
    setIfAbsent: async (key, value) => (await send(key, false, ['SET', key, value, 'NX'])) !== null,
    evalSha: (sha, key, args) => send(key, false, ['EVALSHA', sha, '1', key, ...args]),
    eval: (script, key, args) => send(key, false, ['EVAL', script, '1', key, ...args]),
    subscriber: () => feedConnection(client),
    classify,
    isNoScript: (error) => error instanceof ErrorReply && error.message.startsWith('NOSCRIPT'),
    get isOpen() {
      return client.isOpen;
    },
  };
}

// Replies with which a server refuses a command without running it, while it cannot serve.
const UNAVAILABLE = /^(LOADING|BUSY|TRYAGAIN|CLUSTERDOWN|MASTERDOWN|READONLY) /;

function classify(error: unknown): FailureKind {
  if (error instanceof ErrorReply) return UNAVAILABLE.test(error.message) ? 'unavailable' : 'server';
  if (error instanceof ClientClosedError || error instanceof ClientOfflineError) return 'not-sent';
  return 'lost';
}

async function feedConnection(client: NodeRedisLike): Promise<FeedConnection> {
  const connection = client.duplicate();
  const reconnected: (() => void)[] = [];
  let connected = false;
  // node-redis re-subscribes by itself after a reconnection; the feed re-reads to learn what it missed.
  const ready = (): void => {
    if (connected) for (const listener of reconnected) listener();
  };
  connection.on('ready', ready);
  connection.on('node-ready', ready);
  // Errors are reported through the watch iterators (a reconnect, then a re-read), not as an unhandled 'error' event.
  connection.on('error', () => {});
  await connection.connect();
  connected = true;
  return {
    subscribe: (channel, listener) => connection.sSubscribe(channel, listener, true),
    unsubscribe: (channel, listener) => connection.sUnsubscribe(channel, listener, true),
    onReconnect: (listener) => void reconnected.push(listener),
    close: () => connection.close(),
  };
}
