// What the publish and its reading thread share: the chunk size, and the two counters in shared
// memory by which each waits for the other.

/** Items per chunk a reading thread prepares. */
export const CHUNK = 500;
/** Chunks the reading thread may prepare ahead of the publish. */
export const CHUNKS_AHEAD = 8;
/** Counters: chunks the reader posted, chunks the publish took, and 1 once the publish wants no more. */
export const POSTED = 0;
export const CONSUMED = 1;
export const CANCELLED = 2;
export const COUNTERS_BYTES = 12;

export interface ReaderJob {
  ids: number[];
  signal: SharedArrayBuffer;
}
