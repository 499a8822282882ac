// How a version's hash is built from its items' hashes: 65,536 buckets by the first two bytes of
// SHA-256(code), each hashing "code TAB itemHash LF" of its items in code order, and the version hash
// over every bucket's hash in bucket order. Shared by the publish and by verify.
import { createHash } from 'node:crypto';
import { sha256 } from './publish-items.js';
import { BUCKETS } from './published-state.js';

export const EMPTY_BUCKET = sha256('');

/** A bucket's hash: SHA-256 over "code TAB itemHash LF" of its items in code order. */
export function bucketHash(rows: Iterable<[string, string]>): string {
  let text = '';
  for (const [code, itemHash] of rows) text += `${code}\t${itemHash}\n`;
  return text ? sha256(text) : EMPTY_BUCKET;
}

/** The version hash from its 65,536 bucket hashes (empty buckets hash the empty string). */
export function combine(buckets: string[]): string {
  const hash = createHash('sha256');
  for (let b = 0; b < BUCKETS; b++) hash.update(buckets[b] ?? EMPTY_BUCKET, 'utf8');
  return hash.digest('hex');
}
