// Login throttling, per account and per address: a few free failures, then a growing wait between
// attempts, then a temporary lock. While a key waits or is locked, a login is refused before its password
// is checked, so guessing gains nothing and costs no scrypt work.
//
// The counts live in memory, one throttle per app instance (kept in services.ts), not in the database:
// one server process serves a database (SQLite, one writer), so memory sees every attempt; checking costs
// no database read and a flood of guesses adds no writes that would queue behind a publish's write lock
// (the failures that are really checked are audited, which is the lasting record). A restart forgets the
// counts; a person guessing cannot restart the server, and a restart costs them nothing they had earned.
// The table is bounded, so guesses from endless addresses or for endless names cannot fill the memory.

export interface ThrottlePolicy {
  /** Failures forgotten after this long without another one, in ms. */
  windowMs: number;
  /** The first wait, doubled at each further failure up to maxDelayMs. */
  firstDelayMs: number;
  maxDelayMs: number;
  /** How long a lock lasts, in ms. */
  lockMs: number;
  /** Failures before waits begin, and the failure that locks, for an account and for an address. */
  account: { freeFailures: number; lockAt: number };
  /** An address is often an office's shared one, so it is given more room than an account. */
  address: { freeFailures: number; lockAt: number };
  /** Most keys remembered; the oldest are forgotten first. */
  maxEntries: number;
}

export const LOGIN_THROTTLE: ThrottlePolicy = {
  windowMs: 15 * 60_000,
  firstDelayMs: 2_000,
  maxDelayMs: 60_000,
  lockMs: 15 * 60_000,
  account: { freeFailures: 3, lockAt: 10 },
  address: { freeFailures: 10, lockAt: 30 },
  maxEntries: 20_000,
};

interface Entry {
  failures: number;
  lastAt: number;
  lockedUntil: number;
}

export type ThrottleVerdict =
  | { allowed: true }
  /** `locked`: a temporary lock (of the account or of the address); otherwise a wait between attempts. */
  | { allowed: false; until: number; seconds: number; locked: boolean; by: 'account' | 'address' };

export interface LoginKeys {
  username: string;
  address: string;
}

export class LoginThrottle {
  private readonly entries = new Map<string, Entry>();
  /** The attempt running for each account, so the next one waits for its outcome. */
  private readonly running = new Map<string, Promise<unknown>>();

  constructor(
    private readonly policy: ThrottlePolicy = LOGIN_THROTTLE,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Runs the attempts on one account one after another: guesses sent all at once are each checked
   * against the count the one before left, instead of all passing the check before any has failed.
   */
  async oneAtATime<T>(username: string, attempt: () => Promise<T>): Promise<T> {
    const key = accountKey(username);
    const run = (this.running.get(key) ?? Promise.resolve()).then(attempt, attempt);
    const settled = run.catch(() => undefined);
    this.running.set(key, settled);
    try {
      return await run;
    } finally {
      if (this.running.get(key) === settled) this.running.delete(key);
    }
  }

  /** Whether an attempt may be checked now; if not, until when it is refused. */
  check(keys: LoginKeys): ThrottleVerdict {
    const t = this.now();
    let verdict: ThrottleVerdict = { allowed: true };
    for (const [by, key] of this.keysOf(keys)) {
      const entry = this.current(key, t);
      if (!entry) continue;
      const limits = this.policy[by];
      let refused: ThrottleVerdict | null = null;
      const seconds = (until: number) => Math.max(1, Math.ceil((until - t) / 1000));
      if (entry.lockedUntil > t) refused = { allowed: false, until: entry.lockedUntil, seconds: seconds(entry.lockedUntil), locked: true, by };
      else if (entry.failures >= limits.freeFailures) {
        const until = entry.lastAt + this.delay(entry.failures - limits.freeFailures);
        if (until > t) refused = { allowed: false, until, seconds: seconds(until), locked: false, by };
      }
      // The longest refusal is the one to tell (a lock over a wait).
      if (refused && (verdict.allowed || (refused as { until: number }).until > verdict.until)) verdict = refused;
    }
    return verdict;
  }

  /** Count a checked attempt that failed; says which keys this failure locked. */
  failed(keys: LoginKeys): { lockedNow: ('account' | 'address')[]; accountFailures: number } {
    const t = this.now();
    const lockedNow: ('account' | 'address')[] = [];
    let accountFailures = 0;
    for (const [by, key] of this.keysOf(keys)) {
      const entry = this.current(key, t) ?? { failures: 0, lastAt: t, lockedUntil: 0 };
      entry.failures += 1;
      entry.lastAt = t;
      if (entry.failures >= this.policy[by].lockAt && entry.lockedUntil <= t) {
        entry.lockedUntil = t + this.policy.lockMs;
        lockedNow.push(by);
      }
      if (by === 'account') accountFailures = entry.failures;
      this.entries.delete(key); // re-inserted last: the map's order is the order of last use
      this.entries.set(key, entry);
    }
    this.trim();
    return { lockedNow, accountFailures };
  }

  /**
   * A successful login clears its account's count. The address keeps its count: one account someone
   * knows must not wipe out their guesses at the others.
   */
  succeeded(keys: LoginKeys): void {
    this.entries.delete(accountKey(keys.username));
  }

  private keysOf(keys: LoginKeys): ['account' | 'address', string][] {
    return [
      ['account', accountKey(keys.username)],
      ['address', `address:${keys.address}`],
    ];
  }

  /** The entry of a key, or null once its failures are forgotten (window passed, lock over). */
  private current(key: string, t: number): Entry | null {
    const entry = this.entries.get(key);
    if (!entry) return null;
    const lockOver = entry.lockedUntil > 0 && entry.lockedUntil <= t;
    if (lockOver || (entry.lockedUntil <= t && t - entry.lastAt > this.policy.windowMs)) {
      this.entries.delete(key);
      return null;
    }
    return entry;
  }

  private delay(extraFailures: number): number {
    return Math.min(this.policy.maxDelayMs, this.policy.firstDelayMs * 2 ** extraFailures);
  }

  private trim(): void {
    while (this.entries.size > this.policy.maxEntries) this.entries.delete(this.entries.keys().next().value!);
  }
}

const accountKey = (username: string) => `account:${username.trim().toLowerCase()}`;
