import { symlinkSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { makeDir, makeRepo } from '../../../../test/helpers.js';
import { DEFAULT_INCLUDE } from '../config/index.js';
import { discover } from './discover.js';
import { describe, expect, it } from 'vitest';

const entity = (id: string) => JSON.stringify({ identifier: id, blueprint: 'service' });
const paths = async (root: string, include = DEFAULT_INCLUDE, exclude: string[] = []) =>
  (await discover({ root, include, exclude })).map((f) => f.path);

describe('discover', () => {
  it('finds every default file name, sorted, with / separators', async () => {
    const root = makeDir({
      'a/port.json': entity('a'),
      'b/port.yml': 'identifier: b',
      'c/port.yaml': 'identifier: c',
      'd/entity.json': entity('d'),
      'e/api.port.json': entity('e'),
      'f/db.port.yml': 'identifier: f',
      'g/x.port.yaml': 'identifier: g',
      'h/other.json': entity('h'),
      'h/port.txt': 'not an entity file',
    });
    expect(await paths(root)).toEqual([
      'a/port.json',
      'b/port.yml',
      'c/port.yaml',
      'd/entity.json',
      'e/api.port.json',
      'f/db.port.yml',
      'g/x.port.yaml',
    ]);
  });

  it('honours include and exclude globs', async () => {
    const root = makeDir({
      'services/a/port.json': entity('a'),
      'services/b/catalog.json': entity('b'),
      'services/fixtures/c/port.json': entity('c'),
    });
    expect(await paths(root, ['services/**/port.json', 'services/*/catalog.json'], ['**/fixtures/**'])).toEqual([
      'services/a/port.json',
      'services/b/catalog.json',
    ]);
  });

  it('respects the root .gitignore and nested ones, each from its own folder down', async () => {
    const root = makeRepo({
      '.gitignore': 'dist/\n*.generated.port.json\n',
      'dist/port.json': entity('built'),
      'svc/a.generated.port.json': entity('gen'),
      'svc/port.json': entity('svc'),
      'team/.gitignore': 'scratch/\n!keep.port.json\n',
      'team/scratch/port.json': entity('scratch'),
      'team/port.json': entity('team'),
      'other/scratch/port.json': entity('other-scratch'),
    });
    expect(await paths(root)).toEqual(['other/scratch/port.json', 'svc/port.json', 'team/port.json']);
  });

  it('never enters node_modules or .git, whatever the globs say', async () => {
    const root = makeRepo({
      'node_modules/pkg/port.json': entity('dep'),
      'packages/x/node_modules/pkg/port.json': entity('nested-dep'),
      'packages/x/port.json': entity('x'),
    });
    mkdirSync(join(root, '.git/x'), { recursive: true });
    expect(await paths(root, ['**/port.json', '.git/**/port.json', 'node_modules/**'])).toEqual([
      'packages/x/port.json',
    ]);
  });

  it('does not follow symbolic links out of the tree', async () => {
    const outside = makeDir({ 'secret/port.json': entity('outside') });
    const root = makeDir({ 'svc/port.json': entity('inside') });
    symlinkSync(join(outside, 'secret'), join(root, 'linked'));
    expect(await paths(root)).toEqual(['svc/port.json']);
  });
});
