#!/usr/bin/env node
// The `port-gitops` command. It is committed, so that `npm ci` in the port-gitops repository links it
// (npm links a bin only when its file exists at install time), and it loads the built bundle, which the
// published package always holds.
import { existsSync } from 'node:fs';

const bundle = new URL('../dist/port-gitops.mjs', import.meta.url);
if (existsSync(bundle)) {
  await import(bundle.href);
} else {
  process.stderr.write(
    'error: port-gitops is not built yet\nhint: run `npm run build` in the port-gitops repository\n',
  );
  process.exitCode = 3;
}
