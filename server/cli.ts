// The command line: `npx catalogue <command>` (the commands: cli-commands.ts). An import's reading child
// is started first, from the arguments alone: it starts up and reads the workbook's shared strings while
// the commands' code loads (a third of a second), instead of after.
import { importReaderOf } from './imports/early-reader.js';
import type { Io } from './cli-commands.js';

export type { Io } from './cli-commands.js';

export async function main(argv: string[], io?: Io, env = process.env): Promise<number> {
  const reader = importReaderOf(argv, env);
  try {
    // Started before the commands' code loads, not beside it: loading it would hold up every step of the start.
    await reader;
    const { runCommand } = await import('./cli-commands.js');
    return await runCommand(argv, io, env, reader);
  } finally {
    // Stopped if the command ended without reading (refused arguments, an unknown user); a no-op after a read.
    void reader?.then((r) => r?.close());
  }
}
