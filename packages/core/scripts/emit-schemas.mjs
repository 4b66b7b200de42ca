// Writes the JSON Schemas editors use from the compiled modules, so that what editors check is what
// port-gitops checks: schemas/config.schema.json (the config file) and schemas/entity-file.schema.json
// (an entity file: one entity or a list).
import { writeFileSync } from 'node:fs';
import { CONFIG_SCHEMA, ENTITY_FILE_DOCUMENT_SCHEMA } from '../dist/index.js';

const write = (name, schema) =>
  writeFileSync(new URL(`../schemas/${name}`, import.meta.url), `${JSON.stringify(schema, null, 2)}\n`);
write('config.schema.json', CONFIG_SCHEMA);
write('entity-file.schema.json', ENTITY_FILE_DOCUMENT_SCHEMA);
