// node-redis clients for the tests, closed at the end of each file.
import { createClient, RESP_TYPES } from 'redis';

export type Client = ReturnType<typeof createClient>;

const opened: Client[] = [];

export async function connect(url: string, options: Parameters<typeof createClient>[0] = {}): Promise<Client> {
  const client = createClient({ url, ...options });
  client.on('error', () => {}); // reconnections are part of some tests
  await client.connect();
  opened.push(client);
  return client;
}

/** The raw bytes a key holds (null when missing). */
export async function rawValue(client: Client, key: string): Promise<Buffer | null> {
  return client.sendCommand(['GET', key], { typeMapping: { [RESP_TYPES.BLOB_STRING]: Buffer } }) as Promise<Buffer | null>;
}

export async function closeClients(): Promise<void> {
  for (const client of opened.splice(0)) if (client.isOpen) await client.close().catch(() => client.destroy());
}

/** The code of the StructSyncError a promise rejects with (undefined when it resolves). */
export async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
  } catch (error) {
    return (error as { code?: string }).code ?? `not coded: ${String(error)}`;
  }
  return undefined;
}
