#!/usr/bin/env node
import module from 'node:module';
import { VERSION } from './version.js';

// Node 22.1 and later keep V8's compiled code of the bundle between runs (Node's own cache, in the OS's
// temporary folder; NODE_DISABLE_COMPILE_CACHE=1 turns it off): a run after the first skips compiling it.
// Node 20 has no such cache, and nothing changes there.
(module as { enableCompileCache?: () => unknown }).enableCompileCache?.();

// A reader that stops reading (`port-gitops list --all | head`) closes the pipe: what is left unprinted is
// dropped, and the run goes on to its end and its exit code, rather than dying with a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
  });
}
// `--version` alone answers before the command line parser is even loaded: scripts and CI steps ask it often.
const args = process.argv.slice(2);
let code = 0;
if (args.length === 1 && args[0] === '--version') process.stdout.write(`${VERSION}\n`);
else code = await (await import('./main.js')).main(args);
if (process.env.PORT_GITOPS_TIMINGS === '1') {
  process.stderr.write(`timing: done ${Math.round(performance.now())} ms after start\n`);
}
// The emulator command has returned only once it was stopped; for every command, once the output is
// flushed there is nothing left to wait for, and a CI job should not wait for the runtime's teardown.
await flushed(process.stdout);
await flushed(process.stderr);
process.exit(code);

function flushed(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => stream.write('', () => resolve()));
}
