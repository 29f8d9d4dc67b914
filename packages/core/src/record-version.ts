// Version-word arithmetic for shared records. Versions are u32 counters that wrap around: even
// means stable, odd means a commit is writing. Comparisons use modular (serial-number) arithmetic.

/** True when a commit is in progress on a record holding this version word. */
export function isWriting(version: number): boolean {
  return (version & 1) !== 0;
}

/** The version word after `version`, wrapping at 2^32 (kept as an int32, as Int32Array stores it). */
export function nextVersion(version: number, step: number): number {
  return (version + step) | 0;
}

/** The version as the u32 users see. */
export function publicVersion(version: number): number {
  return version >>> 0;
}

/**
 * True when a field stamped `stamp` was written by a commit after `since` and no later than
 * `current`. Working in the window (since, current] instead of comparing magnitudes keeps the
 * answer right across the 2^32 wrap, as long as fewer than 2^32 commits separate since and current.
 */
export function writtenSince(stamp: number, since: number, current: number): boolean {
  const age = (stamp - since) >>> 0;
  return age !== 0 && age <= (current - since) >>> 0;
}
