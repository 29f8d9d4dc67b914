// Loaded into the benchmarked server with `--import`: counts GC pauses and samples RSS, and
// answers the benchmark over the fork() IPC channel ('reset' starts a line, 'read' ends it).
// The app itself carries no benchmark code.
import { PerformanceObserver } from 'node:perf_hooks';

export interface ProbeReading {
  readonly gcCount: number;
  readonly gcTotalMs: number;
  readonly gcMaxMs: number;
  readonly rssMaxBytes: number;
  /** CPU time the server used (user + system), in microseconds. */
  readonly cpuMicros: number;
}

let gcCount = 0;
let gcTotalMs = 0;
let gcMaxMs = 0;
let rssMaxBytes = 0;
let cpuStart = process.cpuUsage();

new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    gcCount++;
    gcTotalMs += entry.duration;
    gcMaxMs = Math.max(gcMaxMs, entry.duration);
  }
}).observe({ entryTypes: ['gc'] });

setInterval(() => {
  rssMaxBytes = Math.max(rssMaxBytes, process.memoryUsage.rss());
}, 50).unref();

process.on('message', (message: unknown) => {
  if (message === 'reset') {
    gcCount = 0;
    gcTotalMs = 0;
    gcMaxMs = 0;
    rssMaxBytes = process.memoryUsage.rss();
    cpuStart = process.cpuUsage();
    process.send!({ reset: true });
  } else if (message === 'read') {
    rssMaxBytes = Math.max(rssMaxBytes, process.memoryUsage.rss());
    const cpu = process.cpuUsage(cpuStart);
    const reading: ProbeReading = { gcCount, gcTotalMs, gcMaxMs, rssMaxBytes, cpuMicros: cpu.user + cpu.system };
    process.send!({ reading });
  }
});
