// Private copies of shared records (snapshots, transaction views), carved out of 4 KiB slabs so
// that a snapshot costs one view object rather than its own ArrayBuffer, DataView and Uint8Array.
import type { StructLayout } from './layout.js';
import type { StructClass } from './types.js';
import type { ViewMemory } from './view-state.js';
import { view } from './view.js';

const SLAB_BYTES = 4096;
// Slab buffers handed out by any table, with the Int32Array over each: read(i, into) finds the
// words behind a snapshot view from its buffer alone.
const slabWords = new WeakMap<ArrayBufferLike, Int32Array>();

export class PrivateCopies<T extends object> {
  private readonly type: StructClass<T>;
  private readonly codegen: boolean;
  private readonly slotWords: number;
  private readonly slotsPerSlab: number;
  private slab: Int32Array | undefined;
  private next = 0;
  private lastBuffer: ArrayBufferLike | undefined;
  private lastWords: Int32Array | undefined;
  private lastMemory: ViewMemory | undefined;
  /** Word index, in `words`, of the copy that allocate() or find() last returned. */
  at = 0;
  /** The slab words of the copy that allocate() or find() last returned. */
  words: Int32Array = new Int32Array(0);

  constructor(type: StructClass<T>, layout: StructLayout, payloadWords: number, codegen: boolean) {
    this.type = type;
    this.codegen = codegen;
    const align = Math.max(8, layout.align);
    this.slotWords = (Math.ceil((payloadWords * 4) / align) * align) / 4;
    this.slotsPerSlab = Math.max(1, Math.floor(SLAB_BYTES / (this.slotWords * 4)));
  }

  /** A new private copy: returns its view; `words`/`at` locate its payload words. */
  allocate(): T {
    if (this.slab === undefined || this.next === this.slotsPerSlab) {
      this.slab = new Int32Array(this.slotsPerSlab * this.slotWords);
      slabWords.set(this.slab.buffer, this.slab);
      this.next = 0;
    }
    this.words = this.slab;
    this.at = this.next * this.slotWords;
    this.next++;
    return view(this.type, this.slab.buffer, this.at * 4, { codegen: this.codegen });
  }

  /**
   * Locates the words behind a view's memory when it is a slab (sets `words`/`at`, returns true),
   * or returns false for a view over any other buffer. Allocates nothing.
   */
  find(memory: ViewMemory): boolean {
    if (memory === this.lastMemory && (memory.offset & 3) === 0) {
      // The same view as last time (the common read(i, into) loop): skip the buffer lookup.
      this.words = this.lastWords!;
      this.at = memory.offset >> 2;
      return true;
    }
    const buffer = memory.bytes.buffer;
    const words = buffer === this.lastBuffer ? this.lastWords : slabWords.get(buffer);
    if (words === undefined || (memory.offset & 3) !== 0) return false;
    this.lastBuffer = buffer;
    this.lastWords = words;
    this.lastMemory = memory;
    this.words = words;
    this.at = memory.offset >> 2;
    return true;
  }
}
