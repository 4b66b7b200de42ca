// The floors of `npm run bench`: what any tool must do, and nothing more, run as its own process as
// port-gitops is, so that both pay Node's start.
//
//   node scripts/bench-floor.mjs            a full check's tracked files: list the entity files from
//                                           git's index (the fastest listing git has) and read each one
//   node scripts/bench-floor.mjs --untracked
//                                           a full check: the same, while git walks the work tree for
//                                           untracked files (`git ls-files --others --directory`, as
//                                           port-gitops does), the two at once as a 2-core machine can
//   node scripts/bench-floor.mjs <file>     a check of one named file, as a pre-commit hook runs it: find
//                                           the work tree's root, ask git whether the file is one it
//                                           tracks or ignores, read it, and search the entity files once
//                                           for the entities it names (its relation targets)
//   node scripts/bench-floor.mjs --range BASE HEAD [NAME...]
//                                           a changed-only check: the range's diff, and when the change
//                                           adds or removes names (scripts/change-names.mjs), one
//                                           `git grep -F` of the entity files for them
//
// Each prints what it read.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { ENTITY_PATHSPECS, SEARCH_OF_ENTITY_FILES } from './entity-pathspecs.mjs';

const named = process.argv[2];

if (named === '--range') {
  const [base, head, ...names] = process.argv.slice(3);
  const diff = execFileSync('git', ['diff', '--name-status', '-z', '-M', base, head], { maxBuffer: 1 << 30 });
  if (names.length > 0) {
    const search = spawnSync(
      'git',
      ['grep', '-F', ...names.flatMap((name) => ['-e', name]), '--', ...ENTITY_PATHSPECS],
      { maxBuffer: 1 << 30 },
    );
    if (search.status !== 0 && search.status !== 1) throw new Error(`git grep exited ${search.status}`);
  }
  console.log(`${diff.toString().split('\0').filter(Boolean).length} diff fields, ${names.length} names`);
} else if (named === undefined || named === '--untracked') {
  const walk =
    named === '--untracked'
      ? spawn('git', ['ls-files', '-z', '--others', '--directory', '--no-empty-directory', '--', '.'], {
          stdio: ['ignore', 'ignore', 'inherit'],
        })
      : undefined;
  const walked = walk && new Promise((resolve) => walk.on('close', resolve));
  const listing = execFileSync('git', ['ls-files', '-z', '--', ...ENTITY_PATHSPECS], { maxBuffer: 1 << 30 });
  let bytes = 0;
  const paths = listing.toString('utf8').split('\0').filter(Boolean);
  for (const path of paths) bytes += readFileSync(path).length;
  if (walked && (await walked) !== 0) throw new Error('git ls-files --others failed');
  console.log(`${paths.length} files, ${bytes} bytes`);
} else {
  execFileSync('git', ['rev-parse', '--show-toplevel']);
  execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard', '--', `:(literal)${named}`]);
  const text = readFileSync(named, 'utf8');
  // A stand-in for the file's relation targets: the search costs the same whatever it looks for.
  const search = spawnSync('git', SEARCH_OF_ENTITY_FILES);
  if (search.status !== 0 && search.status !== 1) throw new Error(`git grep exited ${search.status}`);
  console.log(`1 file, ${Buffer.byteLength(text)} bytes`);
}
