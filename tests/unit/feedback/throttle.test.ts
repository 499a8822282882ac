// Feedback throttling per address: a few messages an hour, then refused until the hour since the
// oldest has passed; other addresses are not held back; the table stays bounded.
import { describe, it, expect } from 'vitest';
import { FeedbackThrottle } from '../../../server/feedback/throttle.js';

describe('feedback throttle', () => {
  it('an address may send perWindow messages in the window; the next waits until the oldest leaves it', () => {
    let t = 1_000_000;
    const throttle = new FeedbackThrottle({ windowMs: 60_000, perWindow: 3, maxEntries: 100 }, () => t);
    for (let i = 0; i < 3; i++) {
      expect(throttle.check('a')).toEqual({ allowed: true });
      throttle.counted('a');
      t += 10_000;
    }
    expect(throttle.check('a')).toEqual({ allowed: false, seconds: 30 });
    expect(throttle.check('b')).toEqual({ allowed: true });
    t += 30_000; // the first message is now a minute old
    expect(throttle.check('a')).toEqual({ allowed: true });
  });

  it('remembers at most maxEntries addresses, forgetting the least recently used', () => {
    const throttle = new FeedbackThrottle({ windowMs: 60_000, perWindow: 1, maxEntries: 2 }, () => 0);
    for (const address of ['a', 'b', 'c']) throttle.counted(address);
    expect(throttle.check('a')).toEqual({ allowed: true });
    expect(throttle.check('c').allowed).toBe(false);
  });
});
