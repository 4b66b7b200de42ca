// Bundles the CLI into files that need nothing else at run time:
// - dist/port-gitops.mjs, the `port-gitops` binary, with one chunk per command (dist/chunks/): a CI job
//   starts it on every run, and `check` should not parse the HTTP client or the emulator;
// - dist/action.mjs, the GitHub Action's entry (action.yml), one file;
// - dist/THIRD-PARTY-LICENSES.txt, the license of every package bundled into them;
// - schemas/, the JSON Schemas editors use, copied from @port-gitops/core.
// The output depends only on the sources and the lockfile: two builds of one commit are byte for byte
// the same (scripts/release.mjs checks it).
import { chmodSync, cpSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { bundleOptions } from './bundle-options.mjs';

const here = fileURLToPath(new URL('..', import.meta.url));
const dist = join(here, 'dist');
const { version } = JSON.parse(readFileSync(join(here, 'package.json'), 'utf8'));
rmSync(join(dist, 'chunks'), { recursive: true, force: true });

const common = {
  ...bundleOptions(),
  define: { __PORT_GITOPS_VERSION__: JSON.stringify(version) },
  metafile: true,
};

const binary = await build({
  ...common,
  entryPoints: { 'port-gitops': join(dist, 'bin.js') },
  outdir: dist,
  outExtension: { '.js': '.mjs' },
  chunkNames: 'chunks/[name]-[hash]',
  splitting: true,
  sourcemap: 'linked',
});
chmodSync(join(dist, 'port-gitops.mjs'), 0o755);
const action = await build({ ...common, entryPoints: [join(dist, 'action.js')], outfile: join(dist, 'action.mjs') });

writeFileSync(join(dist, 'THIRD-PARTY-LICENSES.txt'), thirdPartyLicenses([binary.metafile, action.metafile]));
const schemas = join(here, '..', 'core', 'schemas');
rmSync(join(here, 'schemas'), { recursive: true, force: true });
cpSync(schemas, join(here, 'schemas'), { recursive: true });

/** Each bundled npm package, once, with the license text it ships. */
function thirdPartyLicenses(metafiles) {
  const packages = new Map();
  for (const metafile of metafiles) {
    for (const input of Object.keys(metafile.inputs)) {
      // A plugin's module is named `namespace:path` (lazyStringWidth): the package is the path's.
      const match = /^(?:[\w-]+:)?(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
      if (match) packages.set(match[1], true);
    }
  }
  const sections = [...packages.keys()].sort().map((dir) => {
    const { name, version, license } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    const file = readdirSync(dir).find((f) => /^(licen[cs]e|copying)(\.|$)/i.test(f));
    const text = file
      ? readFileSync(join(dir, file), 'utf8').trim()
      : `(${license}; the package ships no license file)`;
    // jq-wasm ships its wrapper's license alone: the notices of the jq it compiles in go with it.
    const bundled =
      name === 'jq-wasm' ? `\n\n${readFileSync(join(here, 'scripts', 'jq-notices.txt'), 'utf8').trim()}` : '';
    return `${name}@${version} (${license})\n\n${text}${bundled}\n`;
  });
  return `port-gitops ${version} bundles these packages:\n\n${sections.join(`\n${'-'.repeat(78)}\n\n`)}`;
}
