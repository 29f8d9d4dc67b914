// role 'writer': commits Mixed records whose fields all derive from one number until told to
// stop. role 'reader': takes at least `snapshots` snapshots, seeing at least `minVersions`
// versions, and counts those that break the invariant.
import { parentPort, workerData } from 'node:worker_threads';
import { attachTable } from '@structsync/core';
import { fillMixed, isConsistent, Mixed } from './structs.mjs';

const { buffer, control, role, snapshots, minVersions, seed } = workerData;
const table = attachTable(Mixed, buffer, { timeout: 2000 });
const stop = new Int32Array(control);

if (role === 'writer') {
  let n = seed;
  let commits = 0;
  while (Atomics.load(stop, 0) === 0) {
    n = (n * 1103515245 + 12345) & 0x7fffffff;
    const value = n;
    table.update(0, (record) => fillMixed(record, value), { maxRetries: Infinity });
    commits++;
  }
  parentPort.postMessage({ commits });
} else {
  const into = table.read(0);
  let torn = 0;
  let firstTorn;
  const versions = new Set();
  // Keep reading until the writers have visibly been at work during the reads (bounded in time),
  // so that a busy machine cannot run the whole loop between two writer time slices.
  const deadline = performance.now() + 20_000;
  let taken = 0;
  while (taken < snapshots || (versions.size < minVersions && performance.now() < deadline)) {
    const { version } = table.snapshot(0, into);
    taken++;
    if (!isConsistent(into)) {
      torn++;
      firstTorn ??= { small: into.small, big: String(into.big), real: into.real, text: into.text };
    }
    if (versions.size < 100_000) versions.add(version);
  }
  parentPort.postMessage({ torn, firstTorn, distinctVersions: versions.size, snapshots: taken });
}
