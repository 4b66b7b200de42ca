// `npm run release`: what a version ships, built from this commit: the CLI package (release/*.tgz, for
// npm) and the GitHub Action's bundle (packages/cli/dist/action.mjs, committed on the release tag; see
// docs/releasing.md). Prints each file's sha256. A build depends only on the sources and the lockfile,
// so the same commit gives the same bytes; `--verify` builds twice and fails if they differ.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = join(root, 'release');
const run = (command, args) =>
  execFileSync(command, args, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] }).toString();
const sha256 = (path) => createHash('sha256').update(readFileSync(path)).digest('hex');

function buildOnce() {
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out);
  // --force: build for real, never a cache replay, or two builds would trivially agree.
  run('npm', ['run', 'build', '--silent', '--', '--force']);
  run('npm', ['pack', '--silent', '--workspace', '@port-gitops/cli', '--pack-destination', out]);
  const tarball = join(
    out,
    readdirSync(out).find((name) => name.endsWith('.tgz')),
  );
  const action = join(root, 'packages/cli/dist/action.mjs');
  return { [tarball]: sha256(tarball), [action]: sha256(action) };
}

const first = buildOnce();
if (process.argv.includes('--verify')) {
  const second = buildOnce();
  const differing = Object.keys(first).filter((file) => first[file] !== second[file]);
  if (differing.length > 0) {
    console.error(`not reproducible: ${differing.join(', ')} differ between two builds of this commit`);
    process.exit(1);
  }
}
for (const [file, hash] of Object.entries(first)) console.log(`${hash}  ${file.slice(root.length)}`);
