import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONFIG_SCHEMA } from './config-schema.js';

describe('the config schema', () => {
  it('shipped for editors (schemas/config.schema.json) is the one the code validates with', () => {
    const shipped = JSON.parse(readFileSync(new URL('../schemas/config.schema.json', import.meta.url), 'utf8'));
    expect(shipped).toEqual(CONFIG_SCHEMA);
  });
});
