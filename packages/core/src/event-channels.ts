// The diagnostics channel objects core publishes on, created once here so every layer publishes on
// the same objects. Each publisher checks `hasSubscribers` first: a program nobody observes pays one
// property load per event site.
import { channel, tracingChannel } from 'node:diagnostics_channel';
import { channels, type ConversionContext } from './events.js';

export const commitChannel = channel(channels.commit);
export const conflictChannel = channel(channels.conflict);
export const recoverChannel = channel(channels.recover);
export const bindChannel = channel(channels.bind);
export const retryChannel = channel(channels.retry);
export const waitChannel = channel(channels.wait);
export const layoutChannel = channel(channels.layout);
export const rejectChannel = channel(channels.reject);
export const poolCreateChannel = channel(channels.poolCreate);
export const poolAcquireChannel = channel(channels.poolAcquire);
export const poolReleaseChannel = channel(channels.poolRelease);
export const poolGrowChannel = channel(channels.poolGrow);
export const poolExhaustedChannel = channel(channels.poolExhausted);
export const toMapTracing = tracingChannel<ConversionContext>(channels.toMap);
export const fromMapTracing = tracingChannel<ConversionContext>(channels.fromMap);

/** Seconds since `start` (a performance.now() reading). */
export function secondsSince(start: number): number {
  return (performance.now() - start) / 1000;
}
