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
});
