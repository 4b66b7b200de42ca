import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { sharedPortAjv } from '@port-gitops/port-schema';
import jsyaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { CONFIG_SCHEMA } from '../config/schema.js';
import { validateConfig, validateDraft07, validateEntityFile } from '../precompiled.js';
import { ENTITY_FILE_SCHEMA } from './entity-file-schema.js';

const FIXTURES = join(import.meta.dirname, '../../../../test/fixtures/rules');

/** Every entity of the rule fixtures, as read: the bad ones are there to fail in every way they can. */
function fixtureEntities(): unknown[] {
  const entities: unknown[] = [];
  for (const folder of ['bad', 'good']) {
    for (const name of readdirSync(join(FIXTURES, folder)).filter((n) => !n.endsWith('.expect'))) {
      try {
        for (const document of jsyaml.loadAll(readFileSync(join(FIXTURES, folder, name), 'utf8'))) {
          entities.push(...(Array.isArray(document) ? document : [document]));
        }
      } catch {
        // A fixture that does not parse holds no entity to validate.
      }
    }
  }
  return entities;
}

const CONFIGS: unknown[] = [
  {},
  { include: ['**/port.yml'], exclude: ['x/**'], port: { concurrency: 4 } },
  { include: 5, exlude: [], port: { concurrency: 0, extra: true } },
  { rules: [{ files: '**', blueprint: 'not a blueprint' }], watermark: true },
  { watermark: { blueprint: 'a b', other: 1 }, provenance: { property: 7 } },
  { backstage: { kinds: { Component: { blueprint: 'component', properties: { x: 'not..a path' } } } } },
  { unverifiedRules: 'maybe', deleteRemoved: 'yes', teamsFile: ['a'] },
];

/** What a run reads of an error: where, which rule, its parameters and words. */
const shape = (errors: typeof validateConfig.errors) =>
  (errors ?? []).map(({ instancePath, schemaPath, keyword, params, message }) => ({
    instancePath,
    schemaPath,
    keyword,
    params,
    message,
  }));

describe('the validators compiled at build time', () => {
  it('give the config file exactly the errors ajv compiling the schema at run time gives', () => {
    const atRunTime = sharedPortAjv().compile(CONFIG_SCHEMA);
    for (const config of CONFIGS) {
      expect(validateConfig(config), JSON.stringify(config)).toBe(atRunTime(config));
      expect(shape(validateConfig.errors)).toEqual(shape(atRunTime.errors));
    }
  });

  it('give every fixture entity exactly the errors ajv compiling the schema at run time gives', () => {
    const atRunTime = sharedPortAjv().compile(ENTITY_FILE_SCHEMA);
    const entities = fixtureEntities();
    expect(entities.length).toBeGreaterThan(30);
    let failing = 0;
    for (const entity of entities) {
      const ok = validateEntityFile(entity);
      expect(ok).toBe(atRunTime(entity));
      expect(shape(validateEntityFile.errors)).toEqual(shape(atRunTime.errors));
      if (!ok) failing++;
    }
    expect(failing).toBeGreaterThan(3);
  });

  it("check a shared schema against draft-07 as ajv's own meta-schema check does", () => {
    const ajv = new Ajv({ allErrors: true, strict: false });
    for (const schema of [
      { type: 'object', required: ['identifier'] },
      { type: 'objekt' },
      { properties: { a: { minLength: -1 } }, required: 'identifier' },
      { $ref: '#/definitions/x', definitions: { x: { enum: [] } } },
    ]) {
      expect(validateDraft07(schema), JSON.stringify(schema)).toBe(ajv.validateSchema(schema));
      expect(shape(validateDraft07.errors)).toEqual(shape(ajv.errors));
    }
  });
});
