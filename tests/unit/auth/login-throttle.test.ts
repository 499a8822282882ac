// The login throttle's rule, on a clock the test moves: a few free failures, growing waits, then a lock
// that ends; accounts and addresses counted apart.
import { describe, expect, it } from 'vitest';
import { LOGIN_THROTTLE, LoginThrottle } from '../../../server/auth/login-throttle.js';

function throttleAt(start = 1_000_000) {
  const clock = { t: start };
  return { clock, throttle: new LoginThrottle(LOGIN_THROTTLE, () => clock.t) };
}

describe('login throttle', () => {
  it('after the free failures an account waits longer after each failure, then is locked for a while', () => {
    const { clock, throttle } = throttleAt();
    const keys = { username: 'admin', address: '10.0.0.1' };
    const waits: number[] = [];
    for (let i = 1; i <= LOGIN_THROTTLE.account.lockAt; i++) {
      const verdict = throttle.check(keys);
      if (!verdict.allowed) {
        expect(verdict.locked).toBe(false);
        waits.push(verdict.until - clock.t);
        clock.t = verdict.until; // wait exactly as long as told
        expect(throttle.check(keys).allowed).toBe(true);
      }
      throttle.failed(keys);
    }
    expect(waits.length).toBe(LOGIN_THROTTLE.account.lockAt - LOGIN_THROTTLE.account.freeFailures);
    for (let i = 1; i < waits.length; i++) expect(waits[i]).toBeGreaterThanOrEqual(waits[i - 1]!);
    expect(waits.at(-1)!).toBeGreaterThan(waits[0]!);
    const locked = throttle.check(keys);
    expect(locked).toMatchObject({ allowed: false, locked: true, by: 'account', until: clock.t + LOGIN_THROTTLE.lockMs });
    clock.t += LOGIN_THROTTLE.lockMs - 1;
    expect(throttle.check({ username: 'ADMIN ', address: '10.9.9.9' }).allowed).toBe(false); // the same account from elsewhere
    clock.t += 1;
    expect(throttle.check(keys).allowed).toBe(true);
  });

  it('an address is locked after failures spread over many accounts; other addresses are not', () => {
    const { clock, throttle } = throttleAt();
    for (let i = 0; i < LOGIN_THROTTLE.address.lockAt; i++) {
      const keys = { username: `user${i}`, address: '10.0.0.2' };
      const verdict = throttle.check(keys);
      if (!verdict.allowed) clock.t = verdict.until;
      throttle.failed(keys);
    }
    expect(throttle.check({ username: 'someone-else', address: '10.0.0.2' })).toMatchObject({ allowed: false, locked: true, by: 'address' });
    expect(throttle.check({ username: 'someone-else', address: '10.0.0.3' }).allowed).toBe(true);
  });

  it('a success clears its account but not its address, and failures are forgotten after the window', () => {
    const { clock, throttle } = throttleAt();
    const keys = { username: 'legal', address: '10.0.0.4' };
    for (let i = 0; i < LOGIN_THROTTLE.account.freeFailures; i++) throttle.failed(keys);
    expect(throttle.check(keys).allowed).toBe(false);
    throttle.succeeded(keys);
    expect(throttle.check(keys).allowed).toBe(true);
    for (let i = 0; i < LOGIN_THROTTLE.account.freeFailures; i++) throttle.failed(keys);
    clock.t += LOGIN_THROTTLE.windowMs + 1;
    expect(throttle.check(keys).allowed).toBe(true);
  });

  it('the table stays bounded whatever names and addresses are tried', () => {
    const { throttle } = throttleAt();
    const small = new LoginThrottle({ ...LOGIN_THROTTLE, maxEntries: 100 }, () => 0);
    for (let i = 0; i < 1_000; i++) small.failed({ username: `u${i}`, address: `a${i}` });
    expect((small as unknown as { entries: Map<string, unknown> }).entries.size).toBeLessThanOrEqual(100);
    expect(throttle.check({ username: 'x', address: 'y' }).allowed).toBe(true);
  });
});
