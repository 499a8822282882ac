// What zip.ts and its inflate thread (inflate-worker.ts) say to each other.

/** Whether an entry is read as text, or as markup (UTF-8 bytes handed over one character per byte). */
export type TextMode = 'text' | 'markup';

/** The thread's workerData: which bytes of which file to inflate, and the shared ring to put text in. */
export interface InflateJob {
  path: string;
  /** The entry's compressed bytes, start and end inclusive. */
  start: number;
  end: number;
  deflated: boolean;
  mode: TextMode;
  ring: SharedArrayBuffer;
  slots: number;
  slotBytes: number;
  chunkSize: number;
}

/** From the thread: a piece of text in a slot of the ring, with the bytes counted so far. The main thread answers 1 when it has taken a slot. */
export interface InflateMessage {
  real: number;
  consumed: number;
  /** Which slot of the shared ring holds the text, and how many bytes of it. */
  slot: number;
  length: number;
  /** The bytes are UTF-16LE code units, else latin1. */
  wide?: boolean;
  done?: boolean;
  error?: string;
}
