// The floor of a full check (`npm run bench`): what any tool must do to check every entity file of a
// repository, and nothing more: list the entity files from git's index (the fastest listing git has) and
// read each one. Run as its own process, as port-gitops is, so that both pay Node's start.
//
//   node scripts/bench-floor.mjs   (in the repository; prints the number of files and bytes read)
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const listing = execFileSync('git', ['ls-files', '-z', '--', '*port.yml', '*port.yaml', '*port.json', '*entity.json'], {
  maxBuffer: 1 << 30,
});
let bytes = 0;
const paths = listing.toString('utf8').split('\0').filter(Boolean);
for (const path of paths) bytes += readFileSync(path).length;
console.log(`${paths.length} files, ${bytes} bytes`);
