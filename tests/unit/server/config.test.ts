import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { CONFIG_KEYS, parseConfig } from '../../../server/config.js';

describe('configuration', () => {
  it('every configuration key is documented in README.md', () => {
    const readme = readFileSync('README.md', 'utf8');
    for (const key of Object.keys(CONFIG_KEYS)) expect(readme, key).toContain(`\`${key}\``);
  });

  it('defaults give a local server on port 3000 with the demo district', () => {
    const c = parseConfig({});
    expect(c).toMatchObject({ port: 3000, host: '127.0.0.1', dbPath: 'data/catalogue.db', demo: true });
  });

  it('CATALOGUE_DB and CATALOGUE_DEMO=0 are honoured', () => {
    expect(parseConfig({ CATALOGUE_DB: '/tmp/x.db', CATALOGUE_DEMO: '0' })).toMatchObject({ dbPath: '/tmp/x.db', demo: false });
  });

  it('a bad value stops the app with a message naming the key', () => {
    expect(() => parseConfig({ PORT: 'abc' })).toThrow(/PORT/);
    expect(() => parseConfig({ CATALOGUE_DEMO: 'maybe' })).toThrow(/CATALOGUE_DEMO/);
  });

  it('numbers are whole and within their range, switches are one of 1/0/true/false/yes/no, and nothing else passes', () => {
    expect(parseConfig({ PORT: ' 8080 ', COOKIE_SECURE: 'yes', CATALOGUE_DEMO: 'false', BACKUP_EVERY_HOURS: '0.5', TRUST_PROXY: 'loopback, 10.0.0.0/8' })).toMatchObject({
      port: 8080,
      cookieSecure: true,
      demo: false,
      backupEveryHours: 0.5,
      trustProxy: 'loopback, 10.0.0.0/8',
    });
    for (const [key, value] of [
      ['PORT', '65536'],
      ['PORT', '80.5'],
      ['PORT', '-1'],
      ['PAGE_SIZE', '501'],
      ['IMPORT_MEMORY_MB', '63'],
      ['UPLOAD_MAX_MB', 'Infinity'],
      ['BACKUP_EVERY_HOURS', '0'],
      ['BACKUP_EVERY_HOURS', '8761'],
      ['COOKIE_SECURE', 'constructor'],
      ['CATALOGUE_DEMO', 'TRUE'],
      ['TRUST_PROXY', 'loopback; rm'],
    ] as const) {
      expect(() => parseConfig({ [key]: value }), `${key}=${value}`).toThrow(new RegExp(`配置项 ${key} 的值无效`));
    }
  });
});
