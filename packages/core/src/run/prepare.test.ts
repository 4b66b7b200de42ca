import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exampleBlueprints, git, makeDir, makeRepo } from '../../../../test/helpers.js';
import { loadConfig } from '../config/index.js';
import { discover, discoverInParts } from '../discover/index.js';
import { Git } from '../git/index.js';
import type { LoadedFile, Selection } from '../model.js';
import { createEntityReader, load, loadLocalBlueprints } from '../read/index.js';
import { selectAll } from '../select/index.js';
import { createValidator } from '../validate/index.js';
import { prepare } from './prepare.js';

/** What a run selected and read, as a report would show it. */
function seen(selection: Selection, files: LoadedFile[]) {
  return {
    files: selection.files.map((file) => file.path),
    refused: selection.refused,
    skipped: selection.skipped,
    notes: selection.notes,
    loaded: files.map((file) => ({
      path: file.path,
      identifiers: file.entities.map((entity) => entity.identifier),
      problems: file.problems.map(({ code, message }) => ({ code, message })),
    })),
  };
}

/** The plain way: discovery looks at every file first, then each is read, then all are validated. */
async function discoveredThenRead(root: string) {
  const { config } = loadConfig(root);
  const git = new Git(root);
  const selection = selectAll(await discover({ root, include: config.include, exclude: config.exclude, git }), null);
  const reader = createEntityReader({ rules: config.rules, defaultBlueprint: undefined, backstage: config.backstage });
  const blueprints = await loadLocalBlueprints(root, config.blueprintsDir);
  const files = load(selection, { root, reader, blueprints });
  const validator = await createValidator({
    root,
    blueprints,
    blueprintsDir: config.blueprintsDir,
    ...(config.schema ? { sharedSchemaPath: config.schema } : {}),
  });
  return { ...seen(selection, files), validation: validator.validate(files) };
}

describe('a full run reads the files the index lists without looking at each first', () => {
  it('selects and reads what discovery that looks first would, whatever the work tree holds in their place', async () => {
    const files: Record<string, string> = { ...exampleBlueprints(), 'README.md': 'readme' };
    const states = [
      'kept',
      'executable',
      'deleted',
      'to-link',
      'to-outside-link',
      'to-folder',
      'to-fifo',
      'moved',
      'linked-in',
      'skipped',
      'assumed',
      'too-large',
      'not-utf8',
    ];
    for (const name of states) files[`svc/${name}/port.yml`] = `identifier: ${name}\nblueprint: service\n`;
    const repo = makeRepo(files);
    const outside = makeDir({ 'port.yml': 'identifier: outside\nblueprint: service\n' });
    chmodSync(join(repo, 'svc/executable/port.yml'), 0o755);
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'executable');
    rmSync(join(repo, 'svc/deleted/port.yml'));
    rmSync(join(repo, 'svc/to-link/port.yml'));
    symlinkSync('../kept/port.yml', join(repo, 'svc/to-link/port.yml'));
    rmSync(join(repo, 'svc/to-outside-link/port.yml'));
    symlinkSync(join(outside, 'port.yml'), join(repo, 'svc/to-outside-link/port.yml'));
    rmSync(join(repo, 'svc/to-folder/port.yml'));
    mkdirSync(join(repo, 'svc/to-folder/port.yml'));
    writeFileSync(join(repo, 'svc/to-folder/port.yml/port.yml'), 'identifier: inside-folder\nblueprint: service\n');
    rmSync(join(repo, 'svc/to-fifo/port.yml'));
    execFileSync('mkfifo', [join(repo, 'svc/to-fifo/port.yml')]);
    renameSync(join(repo, 'svc/moved'), join(outside, 'moved'));
    symlinkSync(join(outside, 'moved'), join(repo, 'svc/moved'));
    renameSync(join(repo, 'svc/linked-in'), join(repo, 'elsewhere'));
    symlinkSync('../elsewhere', join(repo, 'svc/linked-in'));
    git(repo, 'update-index', '--skip-worktree', 'svc/skipped/port.yml');
    rmSync(join(repo, 'svc/skipped/port.yml'));
    git(repo, 'update-index', '--assume-unchanged', 'svc/assumed/port.yml');
    rmSync(join(repo, 'svc/assumed/port.yml'));
    writeFileSync(
      join(repo, 'svc/too-large/port.yml'),
      `identifier: too-large\nnote: ${'x'.repeat(9 * 1024 * 1024)}\n`,
    );
    writeFileSync(join(repo, 'svc/not-utf8/port.yml'), Buffer.from([0x69, 0x64, 0x3a, 0x20, 0xff, 0x0a]));

    // The fast way does leave these files to their reading: discovery alone lists the gone and the
    // replaced ones as files.
    const { config } = loadConfig(repo);
    const parts = discoverInParts({
      root: repo,
      include: config.include,
      exclude: config.exclude,
      git: new Git(repo),
      statByOpen: true,
    });
    const listed = (await parts.tracked).files.map((file) => file.path);
    for (const name of ['deleted', 'to-link', 'to-folder', 'to-fifo']) expect(listed).toContain(`svc/${name}/port.yml`);

    for (const version of [2, 4]) {
      git(repo, 'update-index', '--index-version', String(version));
      const run = await prepare({ cwd: repo, select: { kind: 'all' } });
      const { validation, ...reference } = await discoveredThenRead(repo);
      expect(seen(run.selection, run.files)).toEqual(reference);
      expect(run.validation).toEqual(validation);
      // What the comparison is about: each state ends as a plain run says, not all as files.
      expect(reference.files).not.toContain('svc/deleted/port.yml');
      expect(reference.refused.map((note) => note.path)).toEqual(
        expect.arrayContaining(['svc/to-link/port.yml', 'svc/to-outside-link/port.yml', 'svc/to-folder/port.yml']),
      );
      expect(reference.loaded.find((file) => file.path === 'svc/to-fifo/port.yml')?.problems).toEqual([
        { code: 'read', message: 'the file is not a regular file' },
      ]);
      expect(reference.loaded.find((file) => file.path === 'svc/too-large/port.yml')?.problems[0]?.code).toBe('read');
      expect(reference.loaded.find((file) => file.path === 'svc/kept/port.yml')?.identifiers).toEqual(['kept']);
    }
  });
});
