// Builds pprof profiles (profile.proto, the format `go tool pprof`, Pyroscope and Grafana read)
// from stacks of named frames, deduplicating strings, functions and locations.
import { gzipSync } from 'node:zlib';
import { Function as PprofFunction, Line, Location, Profile, Sample, StringTable, ValueType } from 'pprof-format';

/** One frame of a stack: a function name, and where it is when known. */
export interface Frame {
  readonly name: string;
  readonly file?: string;
  /** 1-based. */
  readonly line?: number;
}

export class PprofBuilder {
  readonly #strings = new StringTable();
  readonly #functions = new Map<string, PprofFunction>();
  readonly #locations = new Map<string, Location>();
  readonly #samples: Sample[] = [];
  readonly #sampleTypes: ValueType[];
  readonly #period: { type: ValueType; value: number } | undefined;

  /** `sampleTypes`: [type, unit] pairs, e.g. ['samples', 'count'], ['cpu', 'nanoseconds']. */
  constructor(sampleTypes: readonly (readonly [string, string])[], period?: { readonly type: readonly [string, string]; readonly value: number }) {
    this.#sampleTypes = sampleTypes.map(([type, unit]) => this.#valueType(type, unit));
    this.#period = period === undefined ? undefined : { type: this.#valueType(...period.type), value: period.value };
  }

  /** Adds a sample: `stack` leaf first, one value per sample type. */
  add(stack: readonly Frame[], values: readonly number[]): void {
    this.#samples.push(new Sample({ locationId: stack.map((frame) => this.#location(frame).id), value: [...values] }));
  }

  /** The profile: `durationNanos` long, ending now. */
  build(durationNanos: number): Profile {
    const now = BigInt(Date.now()) * 1_000_000n;
    return new Profile({
      sampleType: this.#sampleTypes,
      sample: this.#samples,
      location: [...this.#locations.values()],
      function: [...this.#functions.values()],
      stringTable: this.#strings,
      timeNanos: now - BigInt(Math.round(durationNanos)),
      durationNanos: Math.round(durationNanos),
      periodType: this.#period?.type,
      period: this.#period?.value ?? 0,
    });
  }

  /** The profile encoded and gzipped, as pprof files and `/debug/pprof` responses are. */
  gzipped(durationNanos: number): Buffer {
    return gzipSync(this.build(durationNanos).encode());
  }

  #valueType(type: string, unit: string): ValueType {
    return new ValueType({ type: this.#strings.dedup(type), unit: this.#strings.dedup(unit) });
  }

  #location(frame: Frame): Location {
    const key = `${frame.name}\0${frame.file ?? ''}\0${frame.line ?? 0}`;
    let location = this.#locations.get(key);
    if (location === undefined) {
      const fn = this.#function(frame);
      location = new Location({ id: this.#locations.size + 1, line: [new Line({ functionId: fn.id, line: frame.line ?? 0 })] });
      this.#locations.set(key, location);
    }
    return location;
  }

  #function(frame: Frame): PprofFunction {
    const key = `${frame.name}\0${frame.file ?? ''}`;
    let fn = this.#functions.get(key);
    if (fn === undefined) {
      const name = this.#strings.dedup(frame.name);
      fn = new PprofFunction({ id: this.#functions.size + 1, name, systemName: name, filename: this.#strings.dedup(frame.file ?? '') });
      this.#functions.set(key, fn);
    }
    return fn;
  }
}
