import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONFIG_SCHEMA } from '../config/index.js';
import { ENTITY_FILE_DOCUMENT_SCHEMA } from './entity-file-schema.js';

describe('the schemas shipped for editors', () => {
  it('shipped for editors (schemas/config.schema.json) is the one the code validates with', () => {
    const shipped = JSON.parse(readFileSync(new URL('../../schemas/config.schema.json', import.meta.url), 'utf8'));
    expect(shipped).toEqual(CONFIG_SCHEMA);
  });

  it('schemas/entity-file.schema.json is the entity schema the validator uses', () => {
    const shipped = JSON.parse(readFileSync(new URL('../../schemas/entity-file.schema.json', import.meta.url), 'utf8'));
    expect(shipped).toEqual(JSON.parse(JSON.stringify(ENTITY_FILE_DOCUMENT_SCHEMA)));
  });
});
