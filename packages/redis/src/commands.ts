// The handful of Redis commands a table needs, behind one small interface, so that a client other
// than node-redis (iovalkey, ioredis) can be added with an adapter and no change to the table code.

/** How a failed command failed, which decides between CONNECTION_LOST and UNKNOWN_OUTCOME. */
export type FailureKind =
  /** The server answered with an error: the command ran (or was refused) on the server. */
  | 'server'
  /** The client refused to send it (closed, offline): it cannot have reached the server. */
  | 'not-sent'
  /** The server refused to run it for now (LOADING after a restart, BUSY, TRYAGAIN, CLUSTERDOWN…): nothing ran. */
  | 'unavailable'
  /** Sent, or perhaps sent, and no reply came back (connection dropped, timeout). */
  | 'lost';

export type CommandArgument = string | Buffer;

export interface RecordCommands {
  /** GET key: the value's bytes, or null when the key does not exist. */
  get(key: string): Promise<Buffer | null>;
  /** SET key value NX: true when it was set. */
  setIfAbsent(key: string, value: string): Promise<boolean>;
  /** EVALSHA sha 1 key ...args (strings come back as Buffers, integers as numbers). */
  evalSha(sha: string, key: string, args: readonly CommandArgument[]): Promise<unknown>;
  /** EVAL script 1 key ...args. */
  eval(script: string, key: string, args: readonly CommandArgument[]): Promise<unknown>;
  /** A connection for change feeds (sharded pub/sub: SSUBSCRIBE, which works on Redis Cluster as is). */
  subscriber(): Promise<FeedConnection>;
  classify(error: unknown): FailureKind;
  /** The server's error message was NOSCRIPT (the script cache does not hold the script). */
  isNoScript(error: unknown): boolean;
  /** False once the user's client was closed. */
  readonly isOpen: boolean;
}

export interface FeedConnection {
  subscribe(channel: string, listener: (message: Buffer) => void): Promise<void>;
  unsubscribe(channel: string, listener: (message: Buffer) => void): Promise<void>;
  /** Called after the connection came back from a disconnection: messages may have been missed. */
  onReconnect(listener: () => void): void;
  close(): Promise<void>;
}
