import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { git, makeDir, makeRepo, writeFiles } from '../../../../test/helpers.js';
import { DEFAULT_INCLUDE } from '../config/index.js';
import fc from 'fast-check';
import { Git, keepsName } from '../git/index.js';
import { globMatcher } from '../globs.js';
import { type Discovery, discover, entityPathspecs, nameFilter } from './discover.js';

const entity = (id: string) => JSON.stringify({ identifier: id, blueprint: 'service' });

/**
 * Discovery of a folder. Inside a git work tree it runs both ways, from git's index and by walking the
 * tree, and they must agree: git decides in production, the walk is what runs outside git.
 */
async function discoverBothWays(
  root: string,
  include = DEFAULT_INCLUDE,
  exclude: string[] = [],
  /** Folders `.gitignore` ignores: git does not enter them, the walk accounts for each file inside. */
  ignoredFolders: string[] = [],
): Promise<Discovery> {
  const walked = await discover({ root, include, exclude });
  walked.skipped = walked.skipped.filter((note) => !ignoredFolders.some((folder) => note.path.startsWith(folder)));
  let inGit = false;
  try {
    inGit =
      execFileSync('git', ['rev-parse', '--is-inside-work-tree'], {
        cwd: root,
        encoding: 'utf8',
        stdio: 'pipe',
      }).trim() === 'true';
  } catch {
    inGit = false;
  }
  if (!inGit) return walked;
  const listed = await discover({ root, include, exclude, git: new Git(root) });
  expect(listed.files).toEqual(walked.files);
  expect(listed.refused).toEqual(walked.refused);
  // The walk never enters node_modules; git's index says what it tracks there, and each is accounted for.
  const walkable = (note: { reason: string }) => !note.reason.startsWith('inside node_modules');
  expect(listed.skipped.filter(walkable)).toEqual(walked.skipped);
  return listed;
}

const paths = async (root: string, include = DEFAULT_INCLUDE, exclude: string[] = []) =>
  (await discoverBothWays(root, include, exclude)).files.map((f) => f.path);

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

  it('honours include and exclude globs, and says which glob left a file out', async () => {
    const root = makeDir({
      'services/a/port.json': entity('a'),
      'services/b/catalog.json': entity('b'),
      'services/fixtures/c/port.json': entity('c'),
    });
    const found = await discoverBothWays(
      root,
      ['services/**/port.json', 'services/*/catalog.json'],
      ['**/fixtures/**'],
    );
    expect(found.files.map((f) => f.path)).toEqual(['services/a/port.json', 'services/b/catalog.json']);
    expect(found.skipped).toEqual([
      { path: 'services/fixtures/c/port.json', reason: `excluded by the config's "exclude": **/fixtures/**` },
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
    const found = await discover({ root, include: DEFAULT_INCLUDE, exclude: [], git: new Git(root) });
    expect(found.files.map((f) => f.path)).toEqual(['other/scratch/port.json', 'svc/port.json', 'team/port.json']);
    // An ignored file is accounted for; an ignored folder is not entered (as git does not).
    expect(found.skipped).toEqual([{ path: 'svc/a.generated.port.json', reason: 'ignored by .gitignore' }]);
    expect((await discover({ root, include: DEFAULT_INCLUDE, exclude: [] })).files).toEqual(found.files);
  });

  it('searches hidden folders (.port, .backstage), and never node_modules or .git, whatever the globs say', async () => {
    const root = makeRepo({
      '.port/entity.json': entity('hidden'),
      '.backstage/team/port.yml': 'identifier: b',
      'node_modules/pkg/port.json': entity('dep'),
      'packages/x/node_modules/pkg/port.json': entity('nested-dep'),
      'packages/x/port.json': entity('x'),
    });
    mkdirSync(join(root, '.git/x'), { recursive: true });
    writeFileSync(join(root, '.git/x/port.json'), entity('in-git'));
    const found = await discoverBothWays(root, [
      '**/port.json',
      '**/port.yml',
      '**/.port/entity.json',
      '.git/**/port.json',
    ]);
    expect(found.files.map((f) => f.path)).toEqual([
      '.backstage/team/port.yml',
      '.port/entity.json',
      'packages/x/port.json',
    ]);
    // What git tracks inside node_modules is not searched, and said so.
    expect(found.skipped.map((note) => note.path)).toEqual([
      'node_modules/pkg/port.json',
      'packages/x/node_modules/pkg/port.json',
    ]);
  });

  it('refuses a symbolic link with a reason, and never follows one out of the tree', async () => {
    const outside = makeDir({ 'secret/port.json': entity('outside'), 'token/port.yml': 'identifier: t' });
    const root = makeRepo({ 'svc/port.json': entity('inside') });
    symlinkSync(join(outside, 'secret'), join(root, 'linked'));
    symlinkSync(join(outside, 'token/port.yml'), join(root, 'svc/port.yml'));
    git(root, 'add', '-A');
    git(root, 'commit', '-qm', 'links');
    const found = await discoverBothWays(root);
    expect(found.files.map((f) => f.path)).toEqual(['svc/port.json']);
    expect(found.refused.map((note) => `${note.path}: ${note.reason}`)).toEqual([
      'svc/port.yml: a symbolic link (entity files must be regular files inside the repository; links are never followed)',
    ]);
  });

  it('does not search a submodule, and says so', async () => {
    const inner = makeRepo({ 'port.yml': 'identifier: from-submodule' });
    const root = makeRepo({ 'a/port.yml': 'identifier: a' });
    git(root, '-c', 'protocol.file.allow=always', 'submodule', 'add', '-q', inner, 'vendor/inner');
    git(root, 'commit', '-qm', 'submodule');
    const found = await discover({ root, include: DEFAULT_INCLUDE, exclude: [], git: new Git(root) });
    expect(found.files.map((f) => f.path)).toEqual(['a/port.yml']);
    expect(found.notes).toEqual([
      'vendor/inner is a git submodule: its entity files belong to its own repository and are not searched',
    ]);
  });
});

describe('discovery from git and by walking the tree, on every kind of entry', () => {
  const IGNORED_FOLDERS = ['dist/', 'logs/', 'newsvc/private/'];
  /**
   * Tracked, untracked, ignored, new folders, links, deleted and retyped files: in one work tree. (A FIFO
   * or a device is not in it: git lists regular files and links only, so inside a work tree discovery
   * sees what `git status` sees.)
   */
  function mixedTree(): string {
    const root = makeRepo({
      '.gitignore': 'dist/\n*.generated.port.yml\nlogs/\n',
      'svc/a/port.yml': 'identifier: a',
      'svc/b/port.json': entity('b'),
      'svc/gone/port.yml': 'identifier: gone',
      'svc/retyped/port.yml': 'identifier: retyped',
      '.port/entity.json': entity('hidden'),
      'teams/x/api.port.yaml': 'identifier: api',
      'teams/x/notes.txt': 'not an entity file',
      'fixtures/port.yml': 'identifier: fixture',
    });
    writeFiles(root, {
      'svc/a/extra.port.yml': 'identifier: extra', // untracked in a tracked folder
      'svc/a/b.generated.port.yml': 'identifier: generated', // ignored in a tracked folder
      'dist/port.yml': 'identifier: built', // in an ignored folder
      'logs/port.json': entity('log'),
      'newsvc/port.yml': 'identifier: new', // a new folder
      'newsvc/deep/port.json': entity('deep'),
      'newsvc/deep/c.generated.port.yml': 'identifier: generated-deep',
      'newsvc/.gitignore': 'private/\n',
      'newsvc/private/port.yml': 'identifier: private',
      'node_modules/pkg/port.yml': 'identifier: dep', // never searched
      'ünïcode dir/port.yml': 'identifier: unicode',
    });
    rmSync(join(root, 'svc/gone/port.yml'));
    rmSync(join(root, 'svc/retyped/port.yml'));
    symlinkSync(join(root, 'svc/a/port.yml'), join(root, 'svc/retyped/port.yml'));
    return root;
  }

  it('agree file for file, whatever the include globs (with a literal ending, braces, or none)', async () => {
    const root = mixedTree();
    for (const include of [
      DEFAULT_INCLUDE,
      ['**/port.{yml,json}', '**/*.port.yaml'],
      ['**/*'], // no literal ending: every path is read
      ['svc/**', 'newsvc/**/port.yml'],
    ]) {
      const found = await discoverBothWays(root, include, ['fixtures/**'], IGNORED_FOLDERS);
      expect(found.files.length, include.join(' ')).toBeGreaterThan(2);
    }
    const found = await discoverBothWays(root, DEFAULT_INCLUDE, ['fixtures/**'], IGNORED_FOLDERS);
    expect(found.files.map((f) => f.path)).toEqual([
      '.port/entity.json',
      'newsvc/deep/port.json',
      'newsvc/port.yml',
      'svc/a/extra.port.yml',
      'svc/a/port.yml',
      'svc/b/port.json',
      'teams/x/api.port.yaml',
      'ünïcode dir/port.yml',
    ]);
    expect(found.refused.map((n) => n.path)).toEqual(['svc/retyped/port.yml']);
    expect(found.skipped).toEqual([
      { path: 'fixtures/port.yml', reason: `excluded by the config's "exclude": fixtures/**` },
      { path: 'newsvc/deep/c.generated.port.yml', reason: 'ignored by .gitignore' },
      { path: 'svc/a/b.generated.port.yml', reason: 'ignored by .gitignore' },
    ]);
  });

  it('in git only: a nested repository is said and not searched, a file behind a link to a folder refused', async () => {
    const root = mixedTree();
    const nested = join(root, 'vendored');
    mkdirSync(nested);
    git(nested, 'init', '-q');
    writeFileSync(join(nested, 'port.yml'), 'identifier: elsewhere');
    mkdirSync(join(root, 'newsvc/inner'));
    git(join(root, 'newsvc/inner'), 'init', '-q');
    // A tracked folder replaced by a link to a folder outside: git never reads a tracked path through it.
    const outside = makeDir({ 'port.json': entity('outside') });
    rmSync(join(root, 'svc/b'), { recursive: true });
    symlinkSync(outside, join(root, 'svc/b'));
    const found = await discover({ root, include: DEFAULT_INCLUDE, exclude: [], git: new Git(root) });
    expect(found.notes.sort()).toEqual([
      'newsvc/inner is a git repository of its own inside this one: it is not searched',
      'vendored is a git repository of its own inside this one: it is not searched',
    ]);
    expect(found.files.map((f) => f.path)).not.toContain('vendored/port.yml');
    expect(found.refused.map((n) => n.path)).toContain('svc/b/port.json');
  });
});

describe('git searches', () => {
  it('throw when git fails, rather than answering "nothing found"', async () => {
    const notARepository = makeDir({ 'a/port.yml': 'identifier: a' });
    const git = new Git(notARepository);
    await expect(git.matchingLines(['identifier'], ['*port.yml'])).rejects.toThrow(/git grep failed \(exit 128\)/);
    // Nothing found is an empty answer, not an error.
    const repo = makeRepo({ 'a/port.yml': 'identifier: a' });
    expect(await new Git(repo).matchingLines(['nowhere-to-be-found'], ['*port.yml'])).toEqual([]);
    expect(await new Git(repo).matchingLines(['identifier'], ['*port.yml'])).toEqual([
      { path: 'a/port.yml', text: 'identifier: a' },
    ]);
  });
});

describe('globs matched without case (`(?i)`)', () => {
  it('the name filter keeps every name the globs match, with case or without', () => {
    const globs = ['(?i)**/readme.md', '(?i)apps/*/Package.{json,yaml}', '**/port.yml', '(?i)**/*.Chart.yaml'];
    const filter = nameFilter(globs)!;
    expect(filter).toEqual({ endings: expect.arrayContaining(['readme.md', 'port.yml']), ignoreCase: true });
    const matches = globMatcher(globs, { dot: true, flags: 's' });
    const cased = (text: string, upper: boolean[]) =>
      [...text].map((c, i) => (upper[i % upper.length] ? c.toUpperCase() : c)).join('');
    fc.assert(
      fc.property(
        fc.constantFrom('readme.md', 'package.json', 'package.yaml', 'port.yml', 'x.chart.yaml', 'readme.txt'),
        fc.constantFrom('', 'apps/web/', 'docs/', '.hidden/'),
        fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }),
        (name, folder, upper) => {
          const path = `${folder}${cased(name, upper)}`;
          if (matches(path)) expect(keepsName(filter, path)).toBe(true);
        },
      ),
    );
    expect(matches('Docs/README.MD')).toBe(true);
    expect(matches('a/PORT.YML')).toBe(false);
    // A glob without case whose ending is not ASCII leaves every name to the globs.
    expect(nameFilter(['(?i)**/ÉTÉ.md'])).toBeUndefined();
    expect(entityPathspecs(['(?i)**/readme.md'])).toEqual([':(icase)*readme.md']);
  });
});
