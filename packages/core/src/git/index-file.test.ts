import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { git, makeDir, makeRepo } from '../../../../test/helpers.js';
import { Git, type TrackedEntries } from './git.js';
import { UnreadIndex, readIndexFile } from './index-file.js';
import type { NameFilter } from './name-filter.js';

/** `git update-index --index-info`: entries given as bytes, so that any name can be written. */
function indexInfo(repo: string, lines: Buffer[]): void {
  execFileSync('git', ['update-index', '--index-info'], { cwd: repo, input: Buffer.concat(lines) });
}

function blob(repo: string, text: string): string {
  return execFileSync('git', ['hash-object', '-w', '--stdin'], { cwd: repo, input: text }).toString().trim();
}

interface Listed {
  /** The path's bytes, as latin1 so that any byte compares. */
  path: string;
  mode: number;
  stage: number;
  assumeValid: boolean;
  skipWorktree: boolean;
}

/** What git lists: `ls-files --stage -v` (a lowercase tag: assume-unchanged; `S`: skip-worktree). */
function listedByGit(repo: string): Listed[] {
  const output = execFileSync('git', ['ls-files', '-z', '--stage', '-v'], { cwd: repo, maxBuffer: 1 << 28 });
  const listed: Listed[] = [];
  for (const record of output.toString('latin1').split('\0').filter(Boolean)) {
    const tab = record.indexOf('\t');
    const [tag, mode, , stage] = record.slice(0, tab).split(' ');
    listed.push({
      path: record.slice(tab + 1),
      mode: Number.parseInt(mode!, 8),
      stage: Number(stage),
      assumeValid: tag !== tag!.toUpperCase(),
      skipWorktree: tag!.toUpperCase() === 'S',
    });
  }
  return listed;
}

function readHere(repo: string, hashBytes: 20 | 32 = 20): Listed[] {
  const listed: Listed[] = [];
  readIndexFile(join(repo, '.git/index'), hashBytes, (entry) => {
    listed.push({
      path: entry.bytes.toString('latin1', entry.start, entry.end),
      mode: entry.mode,
      stage: entry.stage,
      assumeValid: entry.assumeValid,
      skipWorktree: entry.skipWorktree,
    });
  });
  return listed;
}

const indexVersion = (repo: string) => readFileSync(join(repo, '.git/index')).readUInt32BE(4);

/**
 * A repository whose index holds what an index can: names longer than the 12-bit length field, names in
 * bytes that are not UTF-8, names sharing long prefixes (what version 4 compresses), a conflict's three
 * stages, a submodule, a link, an executable, and thousands of entries (more than one chunk of reading).
 */
function crowdedRepository(objectFormat: 'sha1' | 'sha256' = 'sha1'): string {
  const repo = makeDir({});
  git(repo, 'init', '-q', `--object-format=${objectFormat}`);
  const id = blob(repo, 'identifier: a\n');
  const line = (mode: string, path: Buffer | string, stage = 0) =>
    Buffer.concat([Buffer.from(`${mode} ${id} ${stage}\t`), Buffer.from(path), Buffer.from('\n')]);
  const lines: Buffer[] = [];
  for (let i = 0; i < 3000; i++) lines.push(line('100644', `services/team-${i % 7}/svc-${i}/port.yml`));
  lines.push(line('100644', `deep/${'a-long-folder-name/'.repeat(230)}port.yml`)); // 4,000+ bytes
  lines.push(
    line('100644', Buffer.concat([Buffer.from('odd/caf'), Buffer.from([0xe9, 0xff]), Buffer.from('/port.yml')])),
  );
  lines.push(line('100755', 'tools/run.port.yml'));
  lines.push(line('120000', 'links/port.yml'));
  for (const stage of [1, 2, 3]) lines.push(line('100644', 'conflict/port.yml', stage));
  lines.push(line('160000', 'vendor/lib')); // a submodule: git does not look at what its id names
  indexInfo(repo, lines);
  return repo;
}

describe('reading git’s index file', () => {
  it('reads every entry as git lists it, in versions 2, 3 and 4', () => {
    const repo = crowdedRepository();
    for (const version of [2, 3, 4]) {
      // Git writes version 3 only for entries with extended flags (skip-worktree is one).
      if (version === 3) git(repo, 'update-index', '--skip-worktree', 'tools/run.port.yml');
      git(repo, 'update-index', '--index-version', String(version));
      expect(indexVersion(repo)).toBe(version);
      const listed = listedByGit(repo);
      expect(listed.length).toBeGreaterThan(3000);
      expect(readHere(repo)).toEqual(listed);
    }
  });

  it('reads the flags git keeps in version 3: skip-worktree, assume-unchanged, intent-to-add', () => {
    const repo = makeRepo({ 'a/port.yml': 'identifier: a', 'b/port.yml': 'identifier: b', 'c/port.yml': 'x' });
    git(repo, 'update-index', '--skip-worktree', 'a/port.yml');
    git(repo, 'update-index', '--assume-unchanged', 'b/port.yml');
    writeFileSync(join(repo, 'new.port.yml'), 'identifier: n');
    git(repo, 'add', '-N', 'new.port.yml');
    for (const version of [3, 4]) {
      git(repo, 'update-index', '--index-version', String(version));
      const listed = listedByGit(repo);
      expect(listed.filter((entry) => entry.skipWorktree).map((entry) => entry.path)).toEqual(['a/port.yml']);
      expect(listed.filter((entry) => entry.assumeValid).map((entry) => entry.path)).toEqual(['b/port.yml']);
      expect(readHere(repo)).toEqual(listed);
    }
  });

  it('reads a SHA-256 repository’s index', () => {
    const repo = crowdedRepository('sha256');
    for (const version of [2, 4]) {
      git(repo, 'update-index', '--index-version', String(version));
      expect(readHere(repo, 32)).toEqual(listedByGit(repo));
    }
  });

  it('hands back, never misreads, an index that is missing, split, sparse, or cut short', () => {
    const fresh = makeDir({});
    git(fresh, 'init', '-q');
    expect(() => readHere(fresh)).toThrow(UnreadIndex);

    const split = makeRepo({ 'a/port.yml': 'identifier: a' });
    git(split, 'update-index', '--split-index');
    expect(() => readHere(split)).toThrow(UnreadIndex);

    const sparse = makeRepo({ 'in/port.yml': 'identifier: a', 'out/deep/port.yml': 'identifier: b' });
    git(sparse, 'sparse-checkout', 'set', '--cone', '--sparse-index', 'in');
    expect(() => readHere(sparse)).toThrow(UnreadIndex);

    const small = makeRepo({ 'a/port.yml': 'a', 'b/port.json': '{}', 'c/entity.json': '{}' });
    git(small, 'update-index', '--index-version', '4');
    const whole = readFileSync(join(small, '.git/index'));
    const entries = listedByGit(small);
    for (let length = 0; length < whole.length; length++) {
      writeFileSync(join(small, '.git/index'), whole.subarray(0, length));
      // Refused at every length: what is left never holds its own checksum.
      expect(() => readHere(small), `cut at ${length} of ${whole.length} bytes`).toThrow(UnreadIndex);
    }
    writeFileSync(join(small, '.git/index'), whole);
    expect(readHere(small)).toEqual(entries);
  });

  it('hands a corrupt index to git, which judges it, and reads one written without a checksum', async () => {
    const repo = makeRepo({ 'a/port.yml': 'a', 'b/port.yml': 'b' });
    const index = join(repo, '.git/index');
    const whole = readFileSync(index);
    // One byte of a name changed: the structure holds, the name reads as another, the checksum tells.
    const corrupt = Buffer.from(whole);
    corrupt[corrupt.indexOf('b/port.yml')] = 'c'.charCodeAt(0);
    writeFileSync(index, corrupt);
    expect(() => readHere(repo)).toThrow(/its checksum does not match its contents/);
    // Git reads it without verifying (only fsck does): its answer is the one port-gitops gives.
    const debug: string[] = [];
    const tracked = await new Git(repo, { debug: (message) => debug.push(message) }).tracked(undefined);
    expect(tracked.readBy).toBe('git');
    expect([...tracked.index.files.keys()]).toEqual(listedByGit(repo).map((entry) => entry.path));
    expect(debug).toEqual(["git's index is read by git: its checksum does not match its contents"]);

    // As git 2.40 and later write it with index.skipHash: a checksum of zeros, which git does not verify.
    writeFileSync(index, whole);
    const entries = listedByGit(repo);
    writeFileSync(index, Buffer.concat([whole.subarray(0, -20), Buffer.alloc(20)]));
    expect(readHere(repo)).toEqual(entries);
  });
});

/** `tracked` as read here and as git answers it: the same index, and the same kinds changed (`D`, `T`). */
async function expectSameAsGit(root: string, filter: NameFilter | undefined, readBy: TrackedEntries['readBy']) {
  const gitRoot = new Git(root);
  const here = await gitRoot.tracked(filter);
  const reference = await gitRoot.trackedByGit(filter);
  const kinds = (changes: Map<string, string>) => [...changes].filter(([, status]) => status === 'D' || status === 'T');
  expect(here.readBy).toBe(readBy);
  expect(here.index).toEqual(reference.index);
  expect(kinds(here.changes).sort()).toEqual(kinds(reference.changes).sort());
  return here;
}

const SUFFIXES: NameFilter = { endings: ['port.yml', 'port.yaml', 'port.json', 'entity.json'], ignoreCase: false };

describe('the tracked files, read from the index file and looked at in the work tree', () => {
  it('agrees with git on every way a work tree can differ from its index', async () => {
    const files: Record<string, string> = { 'README.md': 'readme' };
    for (const name of [
      'kept',
      'deleted',
      'to-link',
      'to-folder',
      'moved',
      'linked-in',
      'skipped',
      'assumed',
      'fifo',
    ]) {
      files[`svc/${name}/port.yml`] = `identifier: ${name}`;
      files[`svc/${name}/notes.txt`] = 'not an entity file';
    }
    files['svc/conflict/port.yml'] = 'identifier: conflict';
    const repo = makeRepo(files);
    const outside = makeDir({});
    rmSync(join(repo, 'svc/deleted/port.yml'));
    rmSync(join(repo, 'svc/to-link/port.yml'));
    symlinkSync('../kept/port.yml', join(repo, 'svc/to-link/port.yml'));
    rmSync(join(repo, 'svc/to-folder/port.yml'));
    mkdirSync(join(repo, 'svc/to-folder/port.yml'));
    // A folder moved out of the work tree and linked back: the files are the same, git reads none of them.
    renameSync(join(repo, 'svc/moved'), join(outside, 'moved'));
    symlinkSync(join(outside, 'moved'), join(repo, 'svc/moved'));
    renameSync(join(repo, 'svc/linked-in'), join(repo, 'elsewhere'));
    symlinkSync('../elsewhere', join(repo, 'svc/linked-in'));
    git(repo, 'update-index', '--skip-worktree', 'svc/skipped/port.yml');
    rmSync(join(repo, 'svc/skipped/port.yml'));
    git(repo, 'update-index', '--assume-unchanged', 'svc/assumed/port.yml');
    rmSync(join(repo, 'svc/assumed/port.yml'));
    rmSync(join(repo, 'svc/fifo/port.yml'));
    execFileSync('mkfifo', [join(repo, 'svc/fifo/port.yml')]);
    // A conflict whose file is gone: git names it unmerged, whatever the work tree holds.
    const id = blob(repo, 'identifier: c\n');
    indexInfo(repo, [Buffer.from(`0 ${'0'.repeat(40)}\tsvc/conflict/port.yml\n`)]);
    indexInfo(
      repo,
      [1, 2, 3].map((stage) => Buffer.from(`100644 ${id} ${stage}\tsvc/conflict/port.yml\n`)),
    );
    rmSync(join(repo, 'svc/conflict/port.yml'));
    // Added with intent (`add -N`), then deleted; a tracked link that is a file now; a tracked link kept.
    writeFileSync(join(repo, 'svc/kept/intent.port.yml'), 'identifier: intent');
    git(repo, 'add', '-N', 'svc/kept/intent.port.yml');
    rmSync(join(repo, 'svc/kept/intent.port.yml'));
    symlinkSync('../kept/port.yml', join(repo, 'svc/kept/was-link.port.yml'));
    symlinkSync('../kept/port.yml', join(repo, 'svc/kept/link.port.yml'));
    git(repo, 'add', 'svc/kept/was-link.port.yml', 'svc/kept/link.port.yml');
    rmSync(join(repo, 'svc/kept/was-link.port.yml'));
    writeFileSync(join(repo, 'svc/kept/was-link.port.yml'), 'identifier: was-link');

    for (const version of [2, 3, 4]) {
      git(repo, 'update-index', '--index-version', String(version));
      const here = await expectSameAsGit(repo, SUFFIXES, 'index file');
      // What the comparison is about: each way of differing is found, not just none of them. (A FIFO is a
      // file to git's comparison; reading refuses it later. A conflict is compared with its stage 2.)
      expect(new Map([...here.changes].filter(([, status]) => status !== 'M'))).toEqual(
        new Map([
          ['svc/conflict/port.yml', 'D'],
          ['svc/deleted/port.yml', 'D'],
          ['svc/kept/intent.port.yml', 'D'],
          ['svc/kept/was-link.port.yml', 'T'],
          ['svc/to-link/port.yml', 'T'],
          ['svc/to-folder/port.yml', 'D'],
          ['svc/moved/port.yml', 'D'],
          ['svc/linked-in/port.yml', 'D'],
        ]),
      );
      await expectSameAsGit(repo, undefined, 'index file');
    }
  });

  it("keeps the names git's :(icase) pathspec keeps when the filter ignores case, and finds them deleted", async () => {
    const repo = makeRepo({
      'svc/a/PORT.YML': 'a',
      'svc/b/Port.Yml': 'b',
      'svc/c/port.yml': 'c',
      'svc/d/portXyml': 'd',
      'svc/e/PORT.YML.txt': 'e',
      'svc/f/sport.yml': 'f',
    });
    rmSync(join(repo, 'svc/a/PORT.YML'));
    const filter: NameFilter = { endings: ['port.yml'], ignoreCase: true };
    const here = await expectSameAsGit(repo, filter, 'index file');
    const listedByGit = git(repo, 'ls-files', '-z', '--', ':(icase)*port.yml').split('\0').filter(Boolean);
    expect([...here.index.files.keys()].sort()).toEqual(listedByGit.sort());
    expect([...here.index.files.keys()].sort()).toEqual([
      'svc/a/PORT.YML',
      'svc/b/Port.Yml',
      'svc/c/port.yml',
      'svc/f/sport.yml',
    ]);
    expect(here.changes.get('svc/a/PORT.YML')).toBe('D');
    expect([...(await new Git(repo).tracked({ ...filter, ignoreCase: false })).index.files.keys()].sort()).toEqual([
      'svc/c/port.yml',
      'svc/f/sport.yml',
    ]);
  });

  it('agrees with git below the top (a config in a subfolder), in a linked work tree, and in a SHA-256 repository', async () => {
    const repo = makeRepo({ 'a/port.yml': 'identifier: a', 'team/b/port.yml': 'b', 'team/c/port.json': '{}' });
    rmSync(join(repo, 'team/c/port.json'));
    const here = await expectSameAsGit(join(repo, 'team'), SUFFIXES, 'index file');
    expect([...here.index.files.keys()]).toEqual(['b/port.yml', 'c/port.json']);
    expect(here.changes.get('c/port.json')).toBe('D');

    const linked = join(makeDir({}), 'linked');
    git(repo, 'worktree', 'add', '-q', '--detach', linked);
    rmSync(join(linked, 'a/port.yml'));
    const inLinked = await expectSameAsGit(linked, SUFFIXES, 'index file');
    expect(inLinked.changes.get('a/port.yml')).toBe('D');

    const sha256 = makeDir({ 'a/port.yml': 'identifier: a', 'b/port.yml': 'identifier: b' });
    git(sha256, 'init', '-q', '--object-format=sha256');
    git(sha256, 'add', '-A');
    rmSync(join(sha256, 'b/port.yml'));
    expect((await expectSameAsGit(sha256, SUFFIXES, 'index file')).changes.get('b/port.yml')).toBe('D');
  });

  it('leaves a split or sparse index to git, with the same answers', async () => {
    const split = makeRepo({ 'a/port.yml': 'identifier: a', 'b/port.yml': 'identifier: b' });
    git(split, 'update-index', '--split-index');
    rmSync(join(split, 'b/port.yml'));
    expect((await expectSameAsGit(split, SUFFIXES, 'git')).changes.get('b/port.yml')).toBe('D');

    const sparse = makeRepo({ 'in/port.yml': 'identifier: a', 'out/deep/port.yml': 'identifier: b' });
    git(sparse, 'sparse-checkout', 'set', '--cone', '--sparse-index', 'in');
    await expectSameAsGit(sparse, SUFFIXES, 'git');
  });

  it('agrees with git when a folder holds many service folders (listed once) among many files', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 60; i++) files[`services/svc-${i}/port.yml`] = `identifier: s${i}`;
    // Past the listing's budget: 3,000 files beside 20 service folders; some are then asked one by one.
    for (let i = 0; i < 3000; i++) files[`crowded/file-${i}.txt`] = 'x';
    for (let i = 0; i < 20; i++) files[`crowded/svc-${i}/port.yml`] = `identifier: c${i}`;
    const repo = makeRepo(files);
    const outside = makeDir({});
    for (const folder of ['services/svc-3', 'services/svc-40', 'crowded/svc-7', 'crowded/svc-19']) {
      renameSync(join(repo, folder), join(outside, folder.replace('/', '-')));
      symlinkSync(join(outside, folder.replace('/', '-')), join(repo, folder));
    }
    rmSync(join(repo, 'services/svc-5'), { recursive: true });
    rmSync(join(repo, 'services/svc-6'), { recursive: true });
    writeFileSync(join(repo, 'services/svc-6'), 'a file where a folder was');
    const here = await expectSameAsGit(repo, SUFFIXES, 'index file');
    expect(new Map([...here.changes].filter(([, status]) => status !== 'M'))).toEqual(
      new Map(
        [
          'crowded/svc-19',
          'crowded/svc-7',
          'services/svc-3',
          'services/svc-40',
          'services/svc-5',
          'services/svc-6',
        ].map((folder) => [`${folder}/port.yml`, 'D']),
      ),
    );
  });

  it('asks git about a long list of files it cannot settle with lstat at once', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 400; i++) files[`services/a-rather-long-folder-name-${i}/port.yml`] = `identifier: s${i}`;
    const repo = makeRepo(files);
    rmSync(join(repo, 'services'), { recursive: true });
    const here = await expectSameAsGit(repo, SUFFIXES, 'index file');
    expect([...here.changes.values()].filter((status) => status === 'D')).toHaveLength(400);
  });

  it('reads an index of more than one chunk whose entries straddle the chunks', () => {
    const repo = crowdedRepository();
    const listed = listedByGit(repo);
    // Names of every length from 1 to 64 bytes shift the entries against the 1 MiB chunks.
    const id = blob(repo, 'x');
    const lines: Buffer[] = [];
    for (let i = 0; i < 30_000; i++) lines.push(Buffer.from(`100644 ${id} 0\tz/${'n'.repeat(i % 64)}${i}\n`));
    indexInfo(repo, lines);
    for (const version of [2, 4]) {
      // Written in blocks for threads to read (the IEOT extension): version 4 starts each block afresh.
      git(
        repo,
        '-c',
        'index.recordOffsetTable=true',
        '-c',
        'index.recordEndOfIndexEntries=true',
        '-c',
        'index.threads=8',
        'update-index',
        '--force-write-index',
        '--index-version',
        String(version),
      );
      expect(readFileSync(join(repo, '.git/index')).includes('IEOT')).toBe(true);
      const all = listedByGit(repo);
      expect(all.length).toBe(listed.length + 30_000);
      expect(readHere(repo)).toEqual(all);
    }
  });
});
