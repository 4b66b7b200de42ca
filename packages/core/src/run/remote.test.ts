import { describe, expect, it } from 'vitest';
import { placeRemoteFailure } from './remote.js';

const entity = {
  identifier: 'checkout',
  team: ['payments', 'platform'],
  properties: { tier: 'high', tier2: 1, type: 'service' },
  relations: { domain: 'money', dependsOn: ['ledger', 'gateway'] },
};
const at = (error: string, message: string) => placeRemoteFailure(entity, { error, message }).pointer;

describe("placing Port's refusals on the field they are about, whatever the wording", () => {
  it('goes by what the message names: a property or relation path, a quoted key, a team, a relation target', () => {
    expect(at('blueprint_schema_mismatch', '"properties.tier" must be number')).toBe('/properties/tier');
    expect(at('blueprint_schema_mismatch', 'properties/tier2 should be a string')).toBe('/properties/tier2');
    expect(at('blueprint_schema_mismatch', "Property 'tier' does not match its type")).toBe('/properties/tier');
    expect(at('blueprint_schema_mismatch', 'The value of tier is invalid')).toBe('/properties/tier');
    expect(at('relation_many_violation', 'Relation dependsOn takes one entity')).toBe('/relations/dependsOn');
    expect(at('not_found', 'Team "platform" was not found')).toBe('/team/1');
    expect(at('not_found', 'Entity gateway of blueprint service not found')).toBe('/relations/dependsOn/1');
    expect(at('team_inheritance_enabled', 'ownership is inherited')).toBe('/team');
  });

  it('falls back to the part the error id is about, then to the entity', () => {
    expect(at('blueprint_schema_mismatch', 'The provided entity does not match')).toBe('/properties');
    expect(at('required_relation', 'A relation is required')).toBe('/relations');
    expect(at('not_found', 'Something was not found')).toBe('');
    expect(at('internal_error', 'Oops, tier')).toBe('');
  });

  it('does not take a longer name, or a word inside a path, for a key', () => {
    expect(at('blueprint_schema_mismatch', '"properties.tier2" must be string')).toBe('/properties/tier2');
    // "type" as an English word in another id's message places nothing.
    expect(at('bad_request', 'wrong type of body')).toBe('');
  });
});
