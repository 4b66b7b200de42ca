// Writes the JSON Schemas editors use from the compiled modules, so that what editors check is what
// port-gitops checks: schemas/config.schema.json (the config file) and schemas/entity-file.schema.json
// (an entity file: one entity or a list).
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
// The schema modules alone: the package's entry needs the validators compiled from these files.
import { CONFIG_SCHEMA } from '../dist/config/schema.js';
import { ENTITY_FILE_DOCUMENT_SCHEMA } from '../dist/validate/entity-file-schema.js';

let changed = false;
const write = (name, schema) => {
  const file = new URL(`../schemas/${name}`, import.meta.url);
  const text = `${JSON.stringify(schema, null, 2)}\n`;
  if (readFileSync(file, 'utf8') === text) return;
  writeFileSync(file, text);
  changed = true;
};
write('config.schema.json', CONFIG_SCHEMA);
write('entity-file.schema.json', ENTITY_FILE_DOCUMENT_SCHEMA);
// The validators compiled at build time (scripts/precompile.mjs) come from these files: after a change
// of the schemas, they are compiled again, and so is the package.
if (changed) {
  const run = (command, args) => execFileSync(command, args, { cwd: new URL('..', import.meta.url), stdio: 'inherit' });
  run(process.execPath, ['scripts/precompile.mjs']);
  run(process.execPath, [createRequire(import.meta.url).resolve('typescript/bin/tsc'), '-b']);
}
