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
 * The stamp of a field not written for more than 2^30 commits (and of a field never written): odd,
 * so it can never equal a published version, and older than any snapshot still in use.
 */
export const ANCIENT_STAMP = 1;

/** Stamps older than this many versions are aged out to ANCIENT_STAMP, see RecordStore.ageStamps. */
export const STAMP_HORIZON = 2 ** 30;

/**
 * True when a field stamped `stamp` was written by a commit after `since` and no later than
 * `current`. Working in the window (since, current] instead of comparing magnitudes keeps the
 * answer right across the 2^32 wrap. Stamps are aged out (RecordStore.ageStamps) before they fall
 * 2^31 behind, so this holds for any transaction spanning fewer than 2^29 commits.
 */
export function writtenSince(stamp: number, since: number, current: number): boolean {
  if ((stamp & 1) !== 0) return false;
  const age = (stamp - since) >>> 0;
  return age !== 0 && age <= (current - since) >>> 0;
}
