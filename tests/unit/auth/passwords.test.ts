import { describe, it, expect } from 'vitest';
import { hashPassword, verifyPassword, SCRYPT_PARAMS } from '../../../server/auth/passwords.js';

describe('passwords', () => {
  it('are hashed with scrypt at the OWASP-recommended cost (N ≥ 2^17, r 8, p 1) and a random salt', async () => {
    const a = await hashPassword('correct horse battery');
    const b = await hashPassword('correct horse battery');
    expect(a).toMatch(/^scrypt\$131072\$8\$1\$/);
    expect(SCRYPT_PARAMS.N).toBeGreaterThanOrEqual(2 ** 17);
    expect(a).not.toEqual(b);
  });
  it('verify accepts the right password and refuses a wrong one or a malformed hash', async () => {
    const h = await hashPassword('correct horse battery');
    expect(await verifyPassword('correct horse battery', h)).toBe(true);
    expect(await verifyPassword('correct horse batterx', h)).toBe(false);
    expect(await verifyPassword('x', 'plain-text')).toBe(false);
  });
});
