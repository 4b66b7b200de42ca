// The least a check written with port-gitops' libraries does on each run, bundled as the CLI is
// (packages/cli/scripts/bundle-options.mjs, string-width's stand-in included; `npm run bench` builds it
// into .bench/): Node starts, yargs parses the command line, git names the changed files (`--base`, one
// diff) or the named file is taken as it is, js-yaml or JSON.parse reads each entity file, and ajv (with
// ajv-formats) compiles the repository's shared schema and the schema of each blueprint those files use,
// then validates them. No positions, no messages, no relations, no base versions: a floor for the code a
// check runs, beside the git floors of bench-floor.mjs. What it costs above `node -e 0` is what any check
// built on these libraries pays before doing anything of its own.
//
//   node .bench/libraries-floor.mjs check --base BASE
//   node .bench/libraries-floor.mjs check FILE...
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import jsyaml from 'js-yaml';
import yargs from 'yargs';

const argv = yargs(process.argv.slice(2))
  .command('check [files..]', 'Validate entity files', (y) =>
    y.positional('files', { type: 'string', array: true }).option('base', { type: 'string' }),
  )
  .strict()
  .help()
  .wrap(null) // as port-gitops runs it unless help is asked for
  .parseSync();

const root = execFileSync('git', ['rev-parse', '--show-toplevel'], { encoding: 'utf8' }).trim();
const entityFile = /(^|\/|\.)(port\.(ya?ml|json)|entity\.json)$/;
const files = argv.base
  ? execFileSync('git', ['diff', '--name-only', '-z', '--diff-filter=AMR', '-M', argv.base, 'HEAD'], {
      cwd: root,
      encoding: 'utf8',
      maxBuffer: 1 << 30,
    })
      .split('\0')
      .filter((path) => entityFile.test(path))
  : (argv.files ?? []);

const config = existsSync(join(root, 'port-gitops.config.json'))
  ? JSON.parse(readFileSync(join(root, 'port-gitops.config.json'), 'utf8'))
  : {};
const ajv = addFormats(new Ajv({ allErrors: true, strict: false }));
const shared = config.schema ? ajv.compile(JSON.parse(readFileSync(join(root, config.schema), 'utf8'))) : undefined;
const blueprintsDir = join(root, config.blueprintsDir ?? '.port/blueprints');
const byBlueprint = new Map();
const blueprintSchema = (blueprint) => {
  if (!byBlueprint.has(blueprint)) {
    const path = join(blueprintsDir, `${blueprint}.json`);
    const definition = existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : undefined;
    byBlueprint.set(
      blueprint,
      definition &&
        ajv.compile({
          type: 'object',
          properties: {
            properties: { type: 'object', ...definition.schema },
            relations: { type: 'object' },
          },
        }),
    );
  }
  return byBlueprint.get(blueprint);
};

let entities = 0;
let invalid = 0;
for (const file of files) {
  const text = readFileSync(join(root, file), 'utf8');
  const data = file.endsWith('.json') ? [JSON.parse(text)] : jsyaml.loadAll(text);
  for (const entity of data.flat()) {
    if (!entity || typeof entity !== 'object') continue;
    entities += 1;
    const validate = typeof entity.blueprint === 'string' ? blueprintSchema(entity.blueprint) : undefined;
    if ((shared && !shared(entity)) || (validate && !validate(entity))) invalid += 1;
  }
}
console.log(`${files.length} files, ${entities} entities, ${invalid} invalid`);
