// The contention profile, the analogue of Go's mutex profile for shared-table commits: where
// commits retried and waited for a record another commit held (structsync:retry), and where
// readers waited for a commit in flight (structsync:wait, kind 'lock'); counts and delays by
// struct, record and field, in pprof form (contentions/count, delay/nanoseconds).
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { channels, type RetryEvent, type WaitEvent } from '@structsync/core';
import { PprofBuilder, type Frame } from './pprof-builder.js';

interface Tally {
  readonly stack: readonly Frame[];
  count: number;
  delayNanos: number;
}

export class ContentionProfiler {
  readonly #tallies = new Map<string, Tally>();
  #started = 0;
  #active = false;
  readonly #onRetry = (message: unknown): void => this.#retry(message as RetryEvent);
  readonly #onWait = (message: unknown): void => this.#wait(message as WaitEvent);

  get active(): boolean {
    return this.#active;
  }

  /** Starts counting (this thread's commits and reads). */
  start(): void {
    if (this.#active) return;
    this.#active = true;
    this.#started = performance.now();
    subscribe(channels.retry, this.#onRetry);
    subscribe(channels.wait, this.#onWait);
  }

  stop(): void {
    if (!this.#active) return;
    this.#active = false;
    unsubscribe(channels.retry, this.#onRetry);
    unsubscribe(channels.wait, this.#onWait);
  }

  reset(): void {
    this.#tallies.clear();
    this.#started = performance.now();
  }

  /**
   * The profile so far, gzipped pprof. Each stack is `Struct#record.field` → `Struct#record` →
   * `Struct` → the operation (`structsync.commit (locked|cas|conflict)` or `structsync.read`); a
   * retry of a commit writing several fields counts once under each of them.
   */
  profile(): Buffer {
    const builder = new PprofBuilder(
      [
        ['contentions', 'count'],
        ['delay', 'nanoseconds'],
      ],
      { type: ['contentions', 'count'], value: 1 },
    );
    for (const tally of this.#tallies.values()) builder.add(tally.stack, [tally.count, Math.round(tally.delayNanos)]);
    return builder.gzipped((performance.now() - this.#started) * 1e6);
  }

  #retry(event: RetryEvent): void {
    const operation = `structsync.commit (${event.reason})`;
    const fields = event.fields.length > 0 ? event.fields : [undefined];
    for (const field of fields) this.#add(operation, event.struct, event.record, field, event.wait);
  }

  #wait(event: WaitEvent): void {
    if (event.kind === 'lock') this.#add('structsync.read', event.struct, event.record, undefined, event.wait);
  }

  #add(operation: string, struct: string, record: number, field: string | undefined, seconds: number): void {
    const key = `${operation}\0${struct}\0${record}\0${field ?? ''}`;
    let tally = this.#tallies.get(key);
    if (tally === undefined) {
      const stack: Frame[] = [{ name: `${struct}#${record}` }, { name: struct }, { name: operation }];
      if (field !== undefined) stack.unshift({ name: `${struct}#${record}.${field}` });
      tally = { stack, count: 0, delayNanos: 0 };
      this.#tallies.set(key, tally);
    }
    tally.count++;
    tally.delayNanos += seconds * 1e9;
  }
}
