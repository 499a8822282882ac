// Feedback throttling per address, on the ideas of the login throttle (server/auth/login-throttle.ts):
// counts in memory, one table per app (services.ts), bounded so that endless addresses cannot fill the
// memory, and checked before anything is stored. A few messages an hour from one address are allowed
// (an office may share one); more are refused until the hour since the first of them has passed.

export interface FeedbackThrottlePolicy {
  windowMs: number;
  /** Messages one address may send within the window. */
  perWindow: number;
  maxEntries: number;
}

export const FEEDBACK_THROTTLE: FeedbackThrottlePolicy = { windowMs: 60 * 60_000, perWindow: 5, maxEntries: 20_000 };

export type FeedbackVerdict = { allowed: true } | { allowed: false; seconds: number };

export class FeedbackThrottle {
  /** Per address, the times of its messages within the window, oldest first. */
  private readonly sent = new Map<string, number[]>();

  constructor(
    private readonly policy: FeedbackThrottlePolicy = FEEDBACK_THROTTLE,
    private readonly now: () => number = Date.now,
  ) {}

  /** Whether the address may send a message now; when not, in how many seconds it may. */
  check(address: string): FeedbackVerdict {
    const t = this.now();
    const times = this.recent(address, t);
    if (times.length < this.policy.perWindow) return { allowed: true };
    return { allowed: false, seconds: Math.max(1, Math.ceil((times[0]! + this.policy.windowMs - t) / 1000)) };
  }

  /** Count a message the address sent (one that was stored). */
  counted(address: string): void {
    const t = this.now();
    const times = this.recent(address, t);
    times.push(t);
    this.sent.delete(address); // re-inserted last: the map's order is the order of last use
    this.sent.set(address, times);
    while (this.sent.size > this.policy.maxEntries) this.sent.delete(this.sent.keys().next().value!);
  }

  private recent(address: string, t: number): number[] {
    const times = (this.sent.get(address) ?? []).filter((at) => t - at < this.policy.windowMs);
    if (times.length === 0) this.sent.delete(address);
    return times;
  }
}
