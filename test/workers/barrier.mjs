// A reusable barrier over a SharedArrayBuffer: workers block until all parties have arrived.
// Words: [arrived, generation].
export function arriveAndWait(control, parties) {
  const generation = Atomics.load(control, 1);
  if (Atomics.add(control, 0, 1) === parties - 1) {
    Atomics.store(control, 0, 0);
    Atomics.add(control, 1, 1);
    Atomics.notify(control, 1);
    return;
  }
  while (Atomics.load(control, 1) === generation) Atomics.wait(control, 1, generation, 1000);
}
