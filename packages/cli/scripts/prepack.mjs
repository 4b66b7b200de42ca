// Before `npm pack`/`npm publish` of the CLI: the repository's LICENSE and CHANGELOG go into the package,
// and the bundle must exist (the package's files are the bundle, not the sources).
import { copyFileSync, existsSync } from 'node:fs';

const root = new URL('../../../', import.meta.url);
const here = new URL('../', import.meta.url);
if (!existsSync(new URL('dist/port-gitops.mjs', here)) || !existsSync(new URL('schemas/', here))) {
  console.error('prepack: the CLI is not built; run `npm run build` first');
  process.exit(1);
}
for (const file of ['LICENSE', 'CHANGELOG.md']) copyFileSync(new URL(file, root), new URL(file, here));
