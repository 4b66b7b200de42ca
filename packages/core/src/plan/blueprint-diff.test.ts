import { describe, expect, it } from 'vitest';
import { diffBlueprint } from './blueprint-diff.js';

const service = {
  identifier: 'service',
  title: 'Service',
  schema: {
    properties: {
      language: { type: 'string', enum: ['go', 'ts'] },
      tier: { type: 'number', minimum: 0, maximum: 3 },
      url: { type: 'string', format: 'url' },
      tags: { type: 'array', items: { type: 'string' } },
    },
    required: ['language'],
  },
  relations: { system: { target: 'system', many: false, required: false } },
  createdAt: '2026-01-01T00:00:00Z',
  updatedBy: 'someone',
};

type Json = Record<string, unknown>;
const edit = (change: (copy: Json & typeof service) => void) => {
  const copy = structuredClone(service) as Json & typeof service;
  change(copy);
  return diffBlueprint('service', service, copy).map((c) => `${c.class} ${c.path}`);
};

describe('what a blueprint change does, classed', () => {
  it('finds nothing in a definition Port adds timestamps and defaults to', () => {
    const pulled = {
      ...service,
      updatedAt: 'later',
      relations: { system: { target: 'system' } },
      schema: { ...service.schema, required: ['language'] },
    };
    expect(diffBlueprint('service', pulled, service)).toEqual([]);
  });

  it('calls additions and loosened rules safe', () => {
    expect(
      edit((b) => {
        (b.schema.properties as Json).owner = { type: 'string' };
        b.schema.properties.language.enum.push('rust');
        b.schema.properties.tier.maximum = 5;
        (b.relations as Json).domain = { target: 'domain', many: false, required: false };
        b.title = 'Services';
        b.schema.required = [];
      }),
    ).toEqual([
      'safe title',
      'safe schema.properties.language.enum',
      'safe schema.properties.language.required',
      'safe schema.properties.owner',
      'safe schema.properties.tier.maximum',
      'safe relations.domain',
    ]);
  });

  it('calls breaking what Port accepts and entities may stop validating', () => {
    expect(
      edit((b) => {
        b.schema.required = ['language', 'tier'];
        b.schema.properties.language.enum = ['go'];
        b.schema.properties.tier.minimum = 1;
        (b.schema.properties.url as Json).pattern = '^https://';
        (b as Json).ownership = { type: 'Direct' };
        (b.relations.system as Json).required = true;
        (b as Json).changelogDestination = { type: 'WEBHOOK' };
      }),
    ).toEqual([
      'breaking changelogDestination',
      'breaking ownership',
      'breaking schema.properties.language.enum',
      'breaking schema.properties.tier.minimum',
      'breaking schema.properties.tier.required',
      'breaking schema.properties.url.pattern',
      'breaking relations.system.required',
    ]);
  });

  it('calls destructive what loses data, and blocked what Port refuses in place', () => {
    expect(
      edit((b) => {
        delete (b.schema.properties as Json).tags;
        b.relations.system.target = 'platform';
        b.schema.properties.tier.type = 'string';
        b.schema.properties.url.format = 'email';
      }),
    ).toEqual([
      'destructive schema.properties.tags',
      'blocked schema.properties.tier.type',
      'blocked schema.properties.url.format',
      'destructive relations.system.target',
    ]);
    expect(diffBlueprint('service', service, undefined).map((c) => `${c.class} ${c.reason}`)).toEqual([
      'destructive the blueprint is deleted with its entities (Port refuses while it holds any: has_dependents)',
    ]);
    expect(diffBlueprint('_team', { identifier: '_team', schema: { properties: {} } }, undefined)[0]!.class).toBe(
      'blocked',
    );
    expect(diffBlueprint('service', undefined, service).map((c) => c.class)).toEqual(['safe']);
  });
});
