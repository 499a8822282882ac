// The print button's script (browser/print-button.ts) as one classic script, bundled once per process:
// served to the live site and written into the static export.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { browserScript } from '../../imports/esbuild.js';

const HERE = dirname(fileURLToPath(import.meta.url));
let script: Promise<string> | undefined;

export function printScript(): Promise<string> {
  const ts = join(HERE, 'browser', 'print-button.ts');
  script ??= browserScript(existsSync(ts) ? ts : join(HERE, 'browser', 'print-button.js')).catch((error: unknown) => {
    script = undefined;
    throw error;
  });
  return script;
}
