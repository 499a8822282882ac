// Small file systems for the fault tests: a tmpfs of a few MB (to fill) and a read-only mount. Both need
// root and `mount`; where that is impossible (CI without privileges) the reason is returned and the
// scenario is skipped saying so, unless CATALOGUE_FAULTS_REQUIRED=1 (.ci/run sets it once it has mounted a
// tmpfs itself): then a scenario that cannot mount fails instead of skipping, so a passing CI run ran them.
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';

/** Mounts a tmpfs of `sizeMb` on `dir`; null when done, else why it could not be. */
export function mountTmpfs(dir: string, sizeMb: number): string | null {
  mkdirSync(dir, { recursive: true });
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeMb}m`, 'tmpfs', dir], { stdio: 'pipe' });
    return null;
  } catch (err) {
    const e = err as { stderr?: Buffer; message: string };
    if (process.env.CATALOGUE_FAULTS_REQUIRED === '1') throw err;
    return `cannot mount a tmpfs here (${(e.stderr?.toString() || e.message).trim()}); run the fault tests as root on a machine that allows mount`;
  }
}

export function remountReadOnly(dir: string): void {
  execFileSync('mount', ['-o', 'remount,ro', dir], { stdio: 'pipe' });
}

export function unmount(dir: string): void {
  try {
    execFileSync('umount', ['-l', dir], { stdio: 'pipe' });
  } catch {
    // Not mounted.
  }
}
