import { describe, expect, it } from 'vitest';
import { compareWithLive } from './compare.js';

describe('compareWithLive', () => {
  const live = {
    identifier: 'a',
    title: 'A',
    team: ['b', 'a'],
    properties: { tier: 1, tags: ['x'], owner: 'o' },
    relations: { domain: 'pay' },
  };

  it('says create for an entity Port does not hold', () => {
    expect(compareWithLive({ identifier: 'a' }, undefined)).toEqual({ change: 'create', diff: [] });
  });

  it('compares only what the file sets (merge): a field left out is no change', () => {
    expect(compareWithLive({ identifier: 'a', properties: { tier: 1 } }, live)).toEqual({
      change: 'unchanged',
      diff: [],
    });
    expect(compareWithLive({ identifier: 'a', team: ['a', 'b'], relations: { domain: 'pay' } }, live).change).toBe(
      'unchanged',
    );
    expect(compareWithLive({ identifier: 'a', team: 'a' }, { identifier: 'a', team: ['a'] }).change).toBe('unchanged');
  });

  it('lists each field that differs, with its old and new value, and null as clearing', () => {
    const { change, diff } = compareWithLive(
      {
        identifier: 'a',
        title: 'B',
        properties: { tier: 2, tags: ['x'], owner: null, url: 'u' },
        relations: { domain: 'search' },
      },
      live,
    );
    expect(change).toBe('update');
    expect(diff).toEqual([
      { path: 'title', from: 'A', to: 'B' },
      { path: 'properties.tier', from: 1, to: 2 },
      { path: 'properties.owner', from: 'o', to: null },
      { path: 'properties.url', from: null, to: 'u' },
      { path: 'relations.domain', from: 'pay', to: 'search' },
    ]);
  });

  it('treats objects with the same keys in another order as equal', () => {
    expect(
      compareWithLive(
        { identifier: 'a', properties: { meta: { b: 1, a: 2 } } },
        { identifier: 'a', properties: { meta: { a: 2, b: 1 } } },
      ).change,
    ).toBe('unchanged');
  });
});
