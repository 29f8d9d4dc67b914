// record.lua, read once and run with EVALSHA; a server that does not hold it yet (a fresh or
// restarted server, another cluster node) answers NOSCRIPT, and EVAL then runs and caches it.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { CommandArgument, RecordCommands } from './commands.js';

const source = readFileSync(new URL('./record.lua', import.meta.url), 'utf8');
const sha = createHash('sha1').update(source).digest('hex');

/** Runs record.lua on `key`. A NOSCRIPT reply means the script did not run, so EVAL is safe. */
export async function runRecordScript(commands: RecordCommands, key: string, args: readonly CommandArgument[]): Promise<unknown> {
  try {
    return await commands.evalSha(sha, key, args);
  } catch (error) {
    if (!commands.isNoScript(error)) throw error;
    return commands.eval(source, key, args);
  }
}
