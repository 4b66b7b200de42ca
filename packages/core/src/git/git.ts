import { spawn } from 'node:child_process';
import { lstatSync } from 'node:fs';
import { isAbsolute, join, sep } from 'node:path';
import type { SimpleGit } from 'simple-git';
import { UnreadIndex } from './index-file.js';
import { type NameFilter, endingMatcher, filterPathspecs, keepsName } from './name-filter.js';
import { type IndexEntries, type IndexLocation, SYMLINK_MODE_BITS, readTracked, realFolders } from './tracked.js';

/** The tracked part of a discovery: the index, and how the work tree differs from it (see `Git.tracked`). */
export interface TrackedEntries {
  index: IndexEntries;
  /**
   * Tracked files that differ in kind in the work tree, as `git diff-files --name-status` gives them: `D`
   * deleted, or reachable only through a symbolic link; `T` of another type now. Others may be absent.
   */
  changes: Map<string, string>;
  /** Who read the index: this process (`index file`), or git, for an index this reader does not take. */
  readBy: 'index file' | 'git';
  /**
   * With `statFiles: false`, the entries taken as unchanged without looking at their files: regular files
   * in the index, in folders that are real folders. The caller opens each (without following a link) and
   * brings back to `diffFilesAmong` those it could not read.
   */
  deferredStat?: Map<string, number>;
}

/** What is in the work tree but not in the index, as one walk of it finds (see `Git.untrackedEntries`). */
export interface UntrackedEntries {
  /** Untracked files in tracked folders, ignored or not. */
  files: string[];
  /** Untracked folders, each as `dir/` and not descended: ignored ones, new ones, nested repositories. */
  folders: string[];
}

/** One line `git grep` found, and its file. */
export interface MatchingLine {
  path: string;
  text: string;
}

/** A git command that exited with an error: never read as "nothing found". */
class GitCommandError extends Error {
  readonly exitCode: number | null;
  constructor(args: string[], code: number | null, stderr: string) {
    super(`git ${args[0]} failed (exit ${code}): ${stderr || 'no message'}`);
    this.name = 'GitCommandError';
    this.exitCode = code;
  }
}

/** A change between two trees, from `git diff --raw -z -M`. */
export interface GitChange {
  status: 'added' | 'modified' | 'renamed' | 'deleted';
  /** Path at head (for a deletion: the deleted path), relative to the repository root in use. */
  path: string;
  /** Path at base, for renames. */
  previousPath?: string;
  /** Blob at base (absent for additions). */
  baseBlob?: string;
  /** Mode at head (`120000`: a symbolic link); absent for deletions. */
  mode?: string;
}

export const ZERO_SHA = /^0{40}$|^0{64}$/;
/** A whole commit id (SHA-1 or SHA-256), as a CI or a watermark gives it. */
export const FULL_SHA = /^[0-9a-f]{40}([0-9a-f]{24})?$/i;
/** A submodule's entry in a tree. */
export const GITLINK_MODE = '160000';
/** A symbolic link's entry in a tree. */
export const SYMLINK_MODE = '120000';

/**
 * The environment of git's processes: the user's, without the switches that change what every pathspec
 * means (`GIT_LITERAL_PATHSPECS` and the like), since port-gitops writes its pathspecs in one meaning.
 */
const GIT_ENV = Object.fromEntries(
  Object.entries(process.env).filter(([name]) => !/^GIT_(LITERAL|GLOB|NOGLOB|ICASE)_PATHSPECS$/.test(name)),
);

/**
 * A git command run in `cwd`, its standard output handed to `consume` as it arrives: `consume` returns
 * how much of the bytes it has used, and the rest is handed again with the next bytes. `input` goes to
 * its standard input. A failure (any exit code but 0) throws with git's message.
 */
function gitStream(cwd: string, args: string[], consume: (bytes: Buffer) => number, input?: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const child = spawn('git', args, {
      cwd,
      env: GIT_ENV,
      stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    let pending: Buffer = Buffer.alloc(0);
    let stderr = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      const bytes = pending.length > 0 ? Buffer.concat([pending, chunk]) : chunk;
      pending = bytes.subarray(consume(bytes));
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new GitCommandError(args, code, stderr.trim()))));
    if (input !== undefined) child.stdin!.end(input);
  });
}

/** A git command's standard output, run in `cwd`; a failure (any exit code but 0) throws with git's message. */
async function gitOutput(cwd: string, args: string[], input?: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  await gitStream(
    cwd,
    args,
    (bytes) => {
      chunks.push(bytes);
      return bytes.length;
    },
    input,
  );
  return Buffer.concat(chunks);
}

/** A git command's standard output as text, run in `cwd`; a failure (any exit code but 0) throws. */
export async function gitText(cwd: string, args: string[]): Promise<string> {
  return (await gitOutput(cwd, args)).toString('utf8');
}

/** Git, run in the folder entity paths are relative to. */
export interface GitOptions {
  /** Told why git was asked where port-gitops reads git's files itself (the CLI's `--debug`). */
  debug?: (message: string) => void;
}

export class Git {
  private remoteGit: Promise<SimpleGit> | undefined;
  /** Whether git greps with Perl-compatible expressions; false once it said it cannot. */
  private perlRegex: boolean | undefined;
  constructor(
    readonly root: string,
    private readonly options: GitOptions = {},
  ) {}

  /**
   * simple-git, for what talks to a remote (its remotes, fetching, deepening a shallow clone): loaded on
   * first use, since most runs never talk to one and loading it would cost every run's start.
   * The local commands are spawned directly (`gitOutput`).
   */
  private remote(): Promise<SimpleGit> {
    this.remoteGit ??= import('simple-git').then(({ simpleGit }) =>
      simpleGit({ baseDir: this.root, maxConcurrentProcesses: 4 }),
    );
    return this.remoteGit;
  }

  /** A git command's standard output as text. */
  private text(args: string[]): Promise<string> {
    return gitText(this.root, args);
  }

  /** The commit a ref names, or undefined when it does not resolve (missing, shallow, deleted). */
  async commit(ref: string): Promise<string | undefined> {
    try {
      const sha = (await this.text(['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`])).trim();
      return sha || undefined;
    } catch {
      return undefined;
    }
  }

  async mergeBase(a: string, b: string): Promise<string | undefined> {
    try {
      return (await this.text(['merge-base', '--end-of-options', a, b])).trim() || undefined;
    } catch {
      return undefined;
    }
  }

  async isShallow(): Promise<boolean> {
    return (await this.text(['rev-parse', '--is-shallow-repository'])).trim() === 'true';
  }

  async remotes(): Promise<string[]> {
    return (await (await this.remote()).getRemotes()).map((remote) => remote.name);
  }

  /** Deepens a shallow clone by `depth` commits (or fetches everything with `unshallow`). */
  async deepen(remote: string, depth: number | 'unshallow', refspecs: string[] = []): Promise<void> {
    const args =
      depth === 'unshallow'
        ? ['fetch', '--quiet', '--unshallow', remote, ...refspecs]
        : ['fetch', '--quiet', `--deepen=${depth}`, remote, ...refspecs];
    await (await this.remote()).raw(args);
  }

  async fetch(remote: string, refspecs: string[]): Promise<void> {
    await (await this.remote()).raw(['fetch', '--quiet', '--no-tags', remote, ...refspecs]);
  }

  /**
   * What changed from `base` to `head` (or to the working tree when `head` is undefined): paths
   * relative to the root in use (`--relative`), NUL-separated so that any byte in a name survives,
   * renames detected, submodules left out. With `renamesAmong` (name endings, as discovery derives them
   * from `include`), renames are looked for only among the paths with those endings: git pairs every added
   * path with every deleted one to find them, which over thousands of changed files costs several times the
   * diff itself, and only an entity file's rename matters (a file renamed across those endings reads as
   * the deletion and the addition it is for the entity files).
   */
  async diff(base: string, head: string | undefined, renamesAmong?: NameFilter): Promise<GitChange[]> {
    const diff = (renames: boolean, pathspecs: string[]) =>
      this.text([
        '-c',
        'core.quotePath=false',
        'diff',
        '--raw',
        '-z',
        renames ? '-M' : '--no-renames',
        '--no-ext-diff',
        '--relative',
        base,
        ...(head ? [head] : []),
        '--',
        ...pathspecs,
      ]).then(parseRawDiff);
    if (!renamesAmong) return diff(true, []);
    const [all, named] = await Promise.all([diff(false, []), diff(true, filterPathspecs(renamesAmong))]);
    const covered = (path: string) => keepsName(renamesAmong, path);
    return [...all.filter((change) => !covered(change.path)), ...named];
  }

  /**
   * The index's entries whose names the filter keeps (all when undefined), and which of them
   * differ in kind in the work tree. Git's index file is read here, and each entry is looked at with an
   * `lstat` of it and of its folders; git (`diff-files`) is asked only about those that do not plainly
   * match. This replaces two git processes that each read the whole index (the listing and `diff-files`);
   * what it buys on a large tree is in docs/benchmarks.md. An index this reader does not take (split,
   * sparse, another version, a checksum that does not match) is listed and compared by git (`--debug`
   * says why); index-file.test.ts holds both ways to the same answers. `statFiles: false` is for a caller
   * about to open every file anyway: the files' `lstat` calls are left to that open (`deferredStat`).
   */
  async tracked(filter: NameFilter | undefined, options: { statFiles?: boolean } = {}): Promise<TrackedEntries> {
    const located = await this.indexFile();
    if (located) {
      try {
        const { index, toDiff } = readTracked(located, filter);
        if (options.statFiles === false) {
          const deferredStat = new Map<string, number>();
          const changes = await this.diffFiles(toDiff, filter, deferredStat);
          return { index, changes, readBy: 'index file', deferredStat };
        }
        return { index, changes: await this.diffFiles(toDiff, filter), readBy: 'index file' };
      } catch (error) {
        if (!(error instanceof UnreadIndex)) throw error;
        this.options.debug?.(error.message);
      }
    } else {
      this.options.debug?.("git's index is read by git: where it is (git rev-parse) was not answered as expected");
    }
    return this.trackedByGit(filter);
  }

  /** `tracked`, answered by git alone: the way for an index that is not read here, and its reference. */
  async trackedByGit(filter: NameFilter | undefined): Promise<TrackedEntries> {
    const pathspecs = filter ? filterPathspecs(filter) : ['.'];
    const [index, changes] = await Promise.all([this.indexEntries(filter), this.worktreeChanges(pathspecs)]);
    return { index, changes, readBy: 'git' };
  }

  /**
   * Where the index file is (`GIT_INDEX_FILE` and linked work trees included), the root's place below the
   * top (`sub/`), and the size of an object id: one `rev-parse`. Undefined when git answers otherwise
   * than expected (an older git, a name with a line break).
   */
  private async indexFile(): Promise<IndexLocation | undefined> {
    let lines: Buffer[];
    try {
      const output = await this.output(['rev-parse', '--show-object-format', '--show-prefix', '--git-path', 'index']);
      lines = [];
      for (let start = 0, end = output.indexOf(10); end !== -1; start = end + 1, end = output.indexOf(10, start)) {
        lines.push(output.subarray(start, end));
      }
      if (lines.reduce((length, line) => length + line.length + 1, 0) !== output.length) return undefined;
    } catch {
      return undefined;
    }
    if (lines.length !== 3) return undefined;
    const format = lines[0]!.toString('latin1');
    const hashBytes = format === 'sha1' ? 20 : format === 'sha256' ? 32 : undefined;
    const file = lines[2]!.toString('utf8');
    if (!hashBytes || file.includes('\ufffd')) return undefined;
    return { file: isAbsolute(file) ? file : join(this.root, file), prefix: lines[1]!, hashBytes };
  }

  /**
   * Of these tracked paths and their modes, the ones that differ in kind in the work tree (`D`, `T`, as
   * `git diff-files` names them). Most are plainly unchanged: an `lstat` finds the file of the kind the
   * index holds, in folders that are folders (not links) all the way up, and git, which looks at the
   * same (`check_removed`, `has_symlink_leading_path`), would report neither. Git is asked about the rest.
   * Given `deferredStat`, a regular file in real folders is put there instead of being looked at: its reader's
   * open does the looking (see `tracked`).
   */
  private async diffFiles(
    toDiff: Map<string, number>,
    filter: NameFilter | undefined,
    deferredStat?: Map<string, number>,
  ): Promise<Map<string, string>> {
    const folders = realFolders(this.root, toDiff.keys());
    const base = this.root.endsWith(sep) ? this.root : this.root + sep;
    const askGit: string[] = [];
    let askGitLength = 0;
    for (const [path, mode] of toDiff) {
      const slash = path.lastIndexOf('/');
      let plain = slash === -1 || folders.has(path.slice(0, slash));
      if (plain && deferredStat && mode !== SYMLINK_MODE_BITS) {
        deferredStat.set(path, mode);
      } else if (plain) {
        // Index paths are plain relative paths (git refuses `..` and empty segments): no need to join.
        const stats = lstatSync(base + path, { throwIfNoEntry: false });
        plain = stats !== undefined && (mode === SYMLINK_MODE_BITS ? stats.isSymbolicLink() : stats.isFile());
      }
      if (!plain) {
        askGit.push(path);
        askGitLength += path.length + 12;
      }
    }
    if (askGit.length === 0) return new Map();
    // A name git gave in bytes that are not UTF-8 cannot be named back to it; a long list would not fit on
    // a command line (Windows allows 32,767 characters). Git then compares every entry the filter keeps.
    const nameable = askGitLength < 16_000 && !askGit.some((path) => path.includes('\ufffd'));
    const pathspecs = nameable ? askGit.map(literal) : filter ? filterPathspecs(filter) : ['.'];
    return this.worktreeChanges(pathspecs);
  }

  /**
   * `tracked`'s answer for some of the entries whose lstat it deferred (`deferredStat`), looked at now: the files a reader could
   * not open as regular files (gone, a link, a folder, a FIFO). The same answers `tracked` gives when it
   * looks at every file.
   */
  diffFilesAmong(deferredStat: Map<string, number>, filter: NameFilter | undefined): Promise<Map<string, string>> {
    return this.diffFiles(deferredStat, filter);
  }

  /**
   * The index: every tracked path whose name the filter keeps (all of them when `filter` is
   * undefined), with its mode, and every submodule. The listing of a 200,000-file index is read as bytes:
   * only the paths that pass the filter become strings.
   */
  private async indexEntries(filter: NameFilter | undefined): Promise<IndexEntries> {
    const endsWell = filter ? endingMatcher(filter) : undefined;
    const files = new Map<string, string>();
    const gitlinks: string[] = [];
    const links: string[] = [];
    const gitlink = Buffer.from(GITLINK_MODE);
    const symlink = Buffer.from(SYMLINK_MODE);
    // Compared byte by byte in JavaScript: Buffer.compare crosses into C++ on every call, a few calls
    // for each entry of the index.
    const bytesAt = (buffer: Buffer, at: number, bytes: Buffer) => {
      for (let i = 0; i < bytes.length; i++) if (buffer[at + i] !== bytes[i]) return false;
      return true;
    };
    // "<mode> <object> <stage>\t<path>\0" per entry, read as it comes: the listing of a large index is
    // tens of megabytes, and none of it is kept but the entries that pass.
    const entry = (buffer: Buffer, start: number, end: number) => {
      const tab = buffer.indexOf(9, start);
      if (tab === -1 || tab > end) return;
      const isGitlink = bytesAt(buffer, start, gitlink);
      const passes = isGitlink || !endsWell || endsWell(buffer, tab + 1, end);
      if (!passes) {
        if (bytesAt(buffer, start, symlink)) links.push(buffer.toString('utf8', tab + 1, end));
        return;
      }
      const path = buffer.toString('utf8', tab + 1, end);
      if (isGitlink) gitlinks.push(path);
      else files.set(path, buffer.toString('latin1', start, start + 6));
    };
    await this.stream(['ls-files', '-z', '--cached', '--stage', '--', '.'], (chunk) => {
      let start = 0;
      for (let end = chunk.indexOf(0); end !== -1; end = chunk.indexOf(0, start)) {
        entry(chunk, start, end);
        start = end + 1;
      }
      return start;
    });
    return { files, gitlinks, links };
  }

  /**
   * One walk of the work tree for what the index does not hold: untracked files in tracked folders
   * (ignored or not), and untracked folders as `dir/`, not descended (node_modules, an ignored build
   * folder, a new service, a nested repository).
   */
  async untrackedEntries(): Promise<UntrackedEntries> {
    const entries = (
      await this.output(['ls-files', '-z', '--others', '--directory', '--no-empty-directory', '--', '.'])
    )
      .toString('utf8')
      .split('\0')
      .filter(Boolean);
    return {
      files: entries.filter((entry) => !entry.endsWith('/')),
      folders: entries.filter((entry) => entry.endsWith('/')),
    };
  }

  /** Which of these untracked paths (`dir/` for a folder) the `.gitignore` files and excludes ignore. */
  async ignored(paths: string[]): Promise<Set<string>> {
    if (paths.length === 0) return new Set();
    try {
      // check-ignore reads its paths as pathspecs and takes no `literal` magic: a leading `./` keeps a
      // name that starts with `:` from reading as magic. Answers come back as asked.
      const output = await this.output(['check-ignore', '-z', '--stdin'], paths.map((path) => `./${path}\0`).join(''));
      return new Set(
        output
          .toString('utf8')
          .split('\0')
          .filter(Boolean)
          .map((path) => path.slice(2)),
      );
    } catch (error) {
      // Exit 1: none of them is ignored.
      if (error instanceof GitCommandError && error.exitCode === 1) return new Set();
      throw error;
    }
  }

  /**
   * Inside untracked folders: the files git does not ignore, the nested repositories (`dir/`), and the
   * ignored files (an ignored folder as `dir/`, not descended).
   */
  async untrackedIn(folders: string[]): Promise<{ files: string[]; nested: string[]; ignored: string[] }> {
    if (folders.length === 0) return { files: [], nested: [], ignored: [] };
    const list = async (...args: string[]) =>
      (await this.output(['ls-files', '-z', '--others', '--exclude-standard', ...args, '--', ...folders.map(literal)]))
        .toString('utf8')
        .split('\0')
        .filter(Boolean);
    const [kept, ignored] = await Promise.all([list(), list('--ignored', '--directory')]);
    return {
      files: kept.filter((entry) => !entry.endsWith('/')),
      nested: kept.filter((entry) => entry.endsWith('/')),
      ignored,
    };
  }

  /**
   * Tracked files (those `pathspecs` select) that differ in the work tree from the index, by status: `D`
   * deleted, or reachable only through a symbolic link (git never reads a tracked path through one), `T` of
   * another type now (a file become a link), `M` modified, `U` in conflict.
   */
  private async worktreeChanges(pathspecs: string[]): Promise<Map<string, string>> {
    const fields = (
      await this.output(['diff-files', '--name-status', '-z', '--no-renames', '--relative', '--', ...pathspecs])
    )
      .toString('utf8')
      .split('\0');
    const changes = new Map<string, string>();
    for (let i = 0; i + 1 < fields.length; i += 2) changes.set(fields[i + 1]!, fields[i]![0]!);
    return changes;
  }

  /** A git command's standard output, handed to `consume` as it arrives (see gitStream). */
  private stream(args: string[], consume: (bytes: Buffer) => number, input?: string): Promise<void> {
    return gitStream(this.root, args, consume, input);
  }

  /** A git command's standard output; a failure (any exit code but 0) throws with git's message. */
  private output(args: string[], input?: string): Promise<Buffer> {
    return gitOutput(this.root, args, input);
  }

  /** Which of these objects this clone does not have: one `git cat-file --batch-check` for any number. */
  async missing(shas: string[]): Promise<string[]> {
    if (shas.length === 0) return [];
    const output = (await this.output(['cat-file', '--batch-check'], `${shas.join('\n')}\n`)).toString('utf8');
    // "<sha> missing" for each object it does not have.
    return output
      .split('\n')
      .filter((line) => line.endsWith(' missing'))
      .map((line) => line.slice(0, line.indexOf(' ')));
  }

  /**
   * Which of these commits are not ancestors of `head` (nor `head` itself): one `git rev-list`, whatever
   * their number. Every commit must be in the clone.
   */
  async notAncestorsOf(head: string, commits: string[]): Promise<Set<string>> {
    if (commits.length === 0) return new Set();
    const wanted = new Set(commits);
    const output = (await this.output(['rev-list', '--stdin', `^${head}`], `${commits.join('\n')}\n`)).toString('utf8');
    return new Set(output.split('\n').filter((sha) => wanted.has(sha)));
  }

  /** Whether `ancestor` is `commit` or one of its ancestors. */
  async isAncestor(ancestor: string, commit: string): Promise<boolean> {
    try {
      await this.output(['merge-base', '--is-ancestor', '--end-of-options', ancestor, commit]);
      return true;
    } catch (error) {
      // Exit 1 means "no"; anything else is a failure, never read as an answer.
      if (error instanceof GitCommandError && error.exitCode === 1) return false;
      throw error;
    }
  }

  /** Which of these paths git counts in the work tree: tracked, or untracked and not ignored. */
  async known(paths: string[]): Promise<Set<string>> {
    if (paths.length === 0) return new Set();
    const output = await this.output([
      'ls-files',
      '-z',
      '--cached',
      '--others',
      '--exclude-standard',
      '--',
      ...paths.map((path) => `:(literal)${path}`),
    ]);
    return new Set(output.toString('utf8').split('\0').filter(Boolean));
  }

  /** Untracked files that .gitignore does not ignore, for `--include-uncommitted`. */
  async untracked(): Promise<string[]> {
    const output = await this.text(['ls-files', '--others', '--exclude-standard', '-z', '--', '.']);
    return output.split('\0').filter(Boolean);
  }

  /**
   * The lines of tracked files (limited to `pathspecs`) that hold any of `texts`: fixed strings (as a
   * whole word with `word`), or with `regex` expressions written in the syntax POSIX extended and
   * Perl-compatible expressions share, run by git's Perl-compatible engine (several times faster on
   * alternations) or, where git was built without it, its POSIX one. Each line comes with its file;
   * binary files are left out. Texts go on standard input, any number of them; a failing search throws:
   * it never reads as "no file". `onLines` is given the lines as git finds them, in git's order, while it
   * searches on: a caller can work on them meanwhile; the promise gives them all, once git is done.
   */
  async matchingLines(
    texts: string[],
    pathspecs: string[],
    options: { word?: boolean; regex?: boolean; onLines?: (lines: MatchingLine[]) => void } = {},
  ): Promise<MatchingLine[]> {
    if (texts.length === 0) return [];
    const kind = options.regex ? (this.perlRegex === false ? '-E' : '-P') : '-F';
    const args = ['grep', '-z', '-I', kind, ...(options.word ? ['-w'] : []), '-f', '-', '--', ...pathspecs];
    const lines: MatchingLine[] = [];
    // "<path>\0<line>\n" per match, a path ending at its NUL (it may hold a newline), a line at its
    // newline: the complete ones of the bytes so far are taken, the rest waits for more.
    const consume = (bytes: Buffer): number => {
      const found: MatchingLine[] = [];
      let start = 0;
      for (;;) {
        const nul = bytes.indexOf(0, start);
        const end = nul === -1 ? -1 : bytes.indexOf(10, nul);
        if (end === -1) break;
        found.push({ path: bytes.toString('utf8', start, nul), text: bytes.toString('utf8', nul + 1, end) });
        start = end + 1;
      }
      lines.push(...found);
      if (found.length > 0) options.onLines?.(found);
      return start;
    };
    try {
      await this.stream(args, consume, `${texts.join('\n')}\n`);
    } catch (error) {
      // git grep exits 1 when nothing matches, and more than 1 when it failed.
      if (error instanceof GitCommandError && error.exitCode === 1) return [];
      if (kind === '-P' && error instanceof GitCommandError && /Perl-compatible|USE_LIBPCRE/i.test(error.message)) {
        this.perlRegex = false;
        this.options.debug?.('git was built without Perl-compatible expressions: git grep -E is used instead');
        return this.matchingLines(texts, pathspecs, options);
      }
      throw error;
    }
    return lines;
  }

  /** The paths of the files directly in `dir` at `commit` (none when either does not exist). */
  async filesAt(commit: string, dir: string): Promise<string[]> {
    try {
      const out = await this.text([
        'ls-tree',
        '-z',
        '--name-only',
        '--end-of-options',
        commit,
        `${dir.replace(/\/+$/, '')}/`,
      ]);
      return out.split('\0').filter(Boolean);
    } catch {
      return [];
    }
  }

  /** The contents of blobs, read through one `git cat-file --batch` process however many there are. */
  async blobs(shas: string[]): Promise<Map<string, string>> {
    const unique = [...new Set(shas)];
    if (unique.length === 0) return new Map();
    const output = await new Promise<Buffer>((resolve, reject) => {
      const child = spawn('git', ['cat-file', '--batch'], { cwd: this.root, stdio: ['pipe', 'pipe', 'pipe'] });
      const chunks: Buffer[] = [];
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('error', reject);
      child.on('close', (code) =>
        code === 0 ? resolve(Buffer.concat(chunks)) : reject(new Error(`git cat-file failed: ${stderr.trim()}`)),
      );
      child.stdin.end(`${unique.join('\n')}\n`);
    });
    // Each answer: "<sha> <type> <size>\n<content>\n", or "<sha> missing\n".
    const contents = new Map<string, string>();
    let offset = 0;
    for (const sha of unique) {
      const newline = output.indexOf(10, offset);
      const header = output.toString('utf8', offset, newline).split(' ');
      offset = newline + 1;
      if (header[1] === 'missing') continue;
      const size = Number(header[2]);
      contents.set(sha, output.toString('utf8', offset, offset + size));
      offset += size + 1;
    }
    return contents;
  }
}

/** A path as a pathspec that means exactly that path (no glob, no magic). */
function literal(path: string): string {
  return `:(literal)${path}`;
}

/** Parses `git diff --raw -z` output: `:mode mode sha sha status\0path\0[path\0]` per change. */
function parseRawDiff(output: string): GitChange[] {
  const fields = output.split('\0');
  const changes: GitChange[] = [];
  for (let i = 0; i < fields.length; ) {
    const header = fields[i++];
    if (!header?.startsWith(':')) continue;
    const [oldMode, newMode, oldSha, , statusField] = header.slice(1).split(' ');
    const status = statusField?.[0];
    const first = fields[i++]!;
    const second = status === 'R' || status === 'C' ? fields[i++]! : undefined;
    if (oldMode === GITLINK_MODE || newMode === GITLINK_MODE) {
      // A submodule: its files belong to its own repository.
      changes.push({ status: 'modified', path: first, mode: GITLINK_MODE });
      continue;
    }
    const baseBlob = oldSha && !ZERO_SHA.test(oldSha) ? oldSha : undefined;
    const blob = baseBlob ? { baseBlob } : {};
    const mode = { mode: newMode! };
    switch (status) {
      case 'A':
        changes.push({ status: 'added', path: first, ...mode });
        break;
      case 'D':
        changes.push({ status: 'deleted', path: first, ...blob });
        break;
      case 'R':
        changes.push({ status: 'renamed', path: second!, previousPath: first, ...blob, ...mode });
        break;
      case 'C':
        changes.push({ status: 'added', path: second!, ...mode });
        break;
      case 'M':
      case 'T':
        changes.push({ status: 'modified', path: first, ...blob, ...mode });
        break;
      default:
        // U (unmerged) and X: nothing that can be compared.
        break;
    }
  }
  return changes;
}
