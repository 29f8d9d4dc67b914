// Content negotiation between the two forms a view can be sent in: JSON (the default) and bytes.

const BYTES = 'application/octet-stream';

/**
 * Whether an Accept header prefers application/octet-stream to application/json: it must name
 * octet-stream itself with a q above every range that covers JSON (wildcards included); a tie is JSON.
 */
export function prefersBytes(accept: string | string[] | undefined): boolean {
  if (accept === undefined) return false;
  // The usual header of a binary client, answered without taking it apart.
  if (accept === BYTES) return true;
  const header = Array.isArray(accept) ? accept.join(',') : accept;
  if (!header.includes(BYTES)) return false;
  let bytes = 0;
  let json = 0;
  for (const part of header.split(',')) {
    const [range = '', ...params] = part.split(';');
    const type = range.trim().toLowerCase();
    const q = quality(params);
    if (type === BYTES) bytes = Math.max(bytes, q);
    else if (type === 'application/json' || type === 'application/*' || type === '*/*') json = Math.max(json, q);
  }
  return bytes > json;
}

function quality(params: readonly string[]): number {
  for (const param of params) {
    const [key, value] = param.split('=');
    if (key?.trim().toLowerCase() === 'q') {
      const q = Number(value);
      return Number.isFinite(q) ? Math.min(Math.max(q, 0), 1) : 1;
    }
  }
  return 1;
}
