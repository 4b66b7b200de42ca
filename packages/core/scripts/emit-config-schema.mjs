// Writes schemas/config.schema.json from the compiled module, so the file editors read is the one the code checks with.
import { writeFileSync } from 'node:fs';
import { CONFIG_SCHEMA } from '../dist/config-schema.js';

writeFileSync(new URL('../schemas/config.schema.json', import.meta.url), JSON.stringify(CONFIG_SCHEMA, null, 2) + '\n');
