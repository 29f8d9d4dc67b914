// Private copies of shared records (snapshots, transaction views), carved out of 4 KiB slabs so
// that a snapshot costs one view object rather than its own ArrayBuffer, DataView and Uint8Array.
import type { StructLayout } from '../layout/layout.js';
import type { StructClass } from '../layout/types.js';
import type { ViewMemory } from '../view/view-state.js';
import { view } from '../view/view.js';

const SLAB_BYTES = 4096;

/** A slab's words and the layout of the copies it was cut into. */
interface Slab {
  readonly words: Int32Array;
  readonly layout: StructLayout;
}

// Slab buffers handed out by any table: read(i, into) finds the words behind a snapshot view from
// its buffer alone. The layout tells whether a view in it sits in a slot cut for this struct.
const slabs = new WeakMap<ArrayBufferLike, Slab>();

export class PrivateCopies<T extends object> {
  private readonly type: StructClass<T>;
  private readonly layout: StructLayout;
  private readonly codegen: boolean;
  /** The payload is a whole number of words: a word copy never writes past a view's record. */
  private readonly wholeWords: boolean;
  private readonly slotWords: number;
  private readonly slotsPerSlab: number;
  private slab: Int32Array | undefined;
  private next = 0;
  // The view memory find() last accepted, and the bytes and offset it had then: re-pointing
  // changes a view's bytes (another buffer) or offset (off a slot) under the same memory object.
  private lastMemory: ViewMemory | undefined;
  private lastBytes: Uint8Array | undefined;
  private lastOffset = -1;
  private lastWords: Int32Array | undefined;
  /** Word index, in `words`, of the copy that allocate() or find() last returned. */
  at = 0;
  /** The slab words of the copy that allocate() or find() last returned. */
  words: Int32Array = new Int32Array(0);

  constructor(type: StructClass<T>, layout: StructLayout, payloadWords: number, codegen: boolean) {
    this.type = type;
    this.layout = layout;
    this.codegen = codegen;
    this.wholeWords = payloadWords * 4 === layout.size;
    const align = Math.max(8, layout.align);
    this.slotWords = (Math.ceil((payloadWords * 4) / align) * align) / 4;
    this.slotsPerSlab = Math.max(1, Math.floor(SLAB_BYTES / (this.slotWords * 4)));
  }

  /** A new private copy: returns its view; `words`/`at` locate its payload words. */
  allocate(): T {
    if (this.slab === undefined || this.next === this.slotsPerSlab) {
      this.slab = new Int32Array(this.slotsPerSlab * this.slotWords);
      slabs.set(this.slab.buffer, { words: this.slab, layout: this.layout });
      this.next = 0;
    }
    this.words = this.slab;
    this.at = this.next * this.slotWords;
    this.next++;
    return view(this.type, this.slab.buffer, this.at * 4, { codegen: this.codegen });
  }

  /**
   * Locates the words behind a view's memory when copying the whole payload words there writes
   * only the view's own record (sets `words`/`at`, returns true): the view is word-aligned in a
   * slab and either the payload fills its words exactly or the view starts a slot cut for this
   * struct (the tail bytes are then the slot's padding). Returns false otherwise — another buffer,
   * or a view nested in another struct's copy, whose next bytes belong to that record. Allocates
   * nothing.
   */
  find(memory: ViewMemory): boolean {
    const { bytes, offset } = memory;
    if (memory === this.lastMemory && bytes === this.lastBytes && offset === this.lastOffset) {
      // The same view, not moved since (the common read(i, into) loop): skip the buffer lookup.
      this.words = this.lastWords!;
      this.at = offset >> 2;
      return true;
    }
    if ((offset & 3) !== 0) return false;
    const slab = slabs.get(bytes.buffer);
    if (slab === undefined) return false;
    const at = offset >> 2;
    if (!this.wholeWords && (slab.layout !== this.layout || at % this.slotWords !== 0)) return false;
    this.lastMemory = memory;
    this.lastBytes = bytes;
    this.lastOffset = offset;
    this.lastWords = slab.words;
    this.words = slab.words;
    this.at = at;
    return true;
  }
}
