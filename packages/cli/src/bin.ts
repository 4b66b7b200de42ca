#!/usr/bin/env node
import { hideBin } from 'yargs/helpers';
import { main } from './main.js';

// A reader that stops reading (`port-gitops list --all | head`) closes the pipe: what is left unprinted is
// dropped, and the run goes on to its end and its exit code, rather than dying with a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
  });
}
const code = await main(hideBin(process.argv));
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
