import { readFileSync } from 'node:fs';

/** Set by the bundler (scripts/bundle.mjs); read from package.json when running unbundled. */
declare const __PORT_GITOPS_VERSION__: string | undefined;

export const VERSION: string =
  typeof __PORT_GITOPS_VERSION__ === 'string'
    ? __PORT_GITOPS_VERSION__
    : (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
