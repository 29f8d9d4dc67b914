// The sync trace log: one structured record per sync step of a record (a commit, a conflict, a
// retry, a recovery, a binding's transition), with the trace and span ids that were active, kept
// in a bounded ring that the debug handler serves as JSON lines.
import { StructSyncError } from '@structsync/core';

/** One sync step of one record. */
export interface TraceLogRecord {
  /** Milliseconds since the epoch. */
  readonly time: number;
  readonly event: 'commit' | 'conflict' | 'retry' | 'recover' | 'bind';
  readonly struct: string;
  readonly record: number | string;
  readonly fields: readonly string[];
  readonly versionBefore?: number;
  readonly versionAfter?: number;
  readonly policy?: string;
  readonly retries?: number;
  /** A binding's state transition, `from → to`. */
  readonly transition?: string;
  readonly traceId?: string;
  readonly spanId?: string;
}

export interface TraceLogOptions {
  /** Records kept; the oldest go first (default 1,024). */
  readonly capacity?: number;
}

export class TraceLog {
  readonly capacity: number;
  #ring: (TraceLogRecord | undefined)[];
  #next = 0;
  #size = 0;

  constructor(options: TraceLogOptions = {}) {
    const capacity = options.capacity ?? 1024;
    if (!Number.isSafeInteger(capacity) || capacity < 1) {
      throw new StructSyncError('INVALID_OPTION', `TraceLog: capacity must be a positive integer, got ${String(capacity)}`);
    }
    this.capacity = capacity;
    this.#ring = new Array<TraceLogRecord | undefined>(capacity);
  }

  get size(): number {
    return this.#size;
  }

  push(record: TraceLogRecord): void {
    this.#ring[this.#next] = record;
    this.#next = (this.#next + 1) % this.capacity;
    if (this.#size < this.capacity) this.#size++;
  }

  /** The records kept, oldest first. */
  records(): TraceLogRecord[] {
    const out: TraceLogRecord[] = [];
    const first = (this.#next - this.#size + this.capacity) % this.capacity;
    for (let i = 0; i < this.#size; i++) out.push(this.#ring[(first + i) % this.capacity]!);
    return out;
  }

  /** One JSON object per line, oldest first, each line ending in a newline. */
  toJSONLines(): string {
    return this.records()
      .map((record) => `${JSON.stringify(record)}\n`)
      .join('');
  }

  clear(): void {
    this.#ring.fill(undefined);
    this.#next = 0;
    this.#size = 0;
  }
}
