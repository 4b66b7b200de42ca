import { spawn } from 'node:child_process';
import { simpleGit, type SimpleGit } from 'simple-git';

/** A change between two trees, from `git diff --raw -z -M`. */
export interface GitChange {
  status: 'added' | 'modified' | 'renamed' | 'deleted';
  /** Path at head (for a deletion: the deleted path), relative to the repository root in use. */
  path: string;
  /** Path at base, for renames. */
  previousPath?: string;
  /** Blob at base (absent for additions). */
  baseBlob?: string;
}

export const ZERO_SHA = /^0{40}$|^0{64}$/;
const GITLINK_MODE = '160000';

/** Git, run in the folder entity paths are relative to. */
export class Git {
  private readonly git: SimpleGit;
  constructor(readonly root: string) {
    this.git = simpleGit({ baseDir: root, maxConcurrentProcesses: 4 });
  }

  /** The commit a ref names, or undefined when it does not resolve (missing, shallow, deleted). */
  async commit(ref: string): Promise<string | undefined> {
    try {
      const sha = (
        await this.git.raw(['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`])
      ).trim();
      return sha || undefined;
    } catch {
      return undefined;
    }
  }

  async mergeBase(a: string, b: string): Promise<string | undefined> {
    try {
      return (await this.git.raw(['merge-base', '--end-of-options', a, b])).trim() || undefined;
    } catch {
      return undefined;
    }
  }

  async isShallow(): Promise<boolean> {
    return (await this.git.raw(['rev-parse', '--is-shallow-repository'])).trim() === 'true';
  }

  async remotes(): Promise<string[]> {
    return (await this.git.getRemotes()).map((remote) => remote.name);
  }

  /** Deepens a shallow clone by `depth` commits (or fetches everything with `unshallow`). */
  async deepen(remote: string, depth: number | 'unshallow', refspecs: string[] = []): Promise<void> {
    const args =
      depth === 'unshallow'
        ? ['fetch', '--quiet', '--unshallow', remote, ...refspecs]
        : ['fetch', '--quiet', `--deepen=${depth}`, remote, ...refspecs];
    await this.git.raw(args);
  }

  async fetch(remote: string, refspecs: string[]): Promise<void> {
    await this.git.raw(['fetch', '--quiet', '--no-tags', remote, ...refspecs]);
  }

  /**
   * What changed from `base` to `head` (or to the working tree when `head` is undefined): paths
   * relative to the root in use (`--relative`), NUL-separated so that any byte in a name survives,
   * renames detected, submodules left out.
   */
  async diff(base: string, head: string | undefined): Promise<GitChange[]> {
    const output = await this.git.raw([
      '-c',
      'core.quotePath=false',
      'diff',
      '--raw',
      '-z',
      '-M',
      '--no-ext-diff',
      '--relative',
      base,
      ...(head ? [head] : []),
      '--',
    ]);
    return parseRawDiff(output);
  }

  /** Untracked files that .gitignore does not ignore, for `--include-uncommitted`. */
  async untracked(): Promise<string[]> {
    const output = await this.git.raw(['ls-files', '--others', '--exclude-standard', '-z', '--', '.']);
    return output.split('\0').filter(Boolean);
  }

  /**
   * Tracked files under the root whose working-tree content holds any of `texts` (as a whole word
   * with `word`), limited to `globs`; paths relative to the root.
   */
  async filesContaining(
    texts: string | string[],
    globs: string[],
    options: { word?: boolean } = {},
  ): Promise<string[]> {
    const patterns = (Array.isArray(texts) ? texts : [texts]).flatMap((text) => ['-e', text]);
    try {
      const output = await this.git.raw([
        'grep',
        '-l',
        '-z',
        '-F',
        ...(options.word ? ['-w'] : []),
        ...patterns,
        '--',
        ...globs.map((glob) => `:(glob)${glob}`),
      ]);
      return output.split('\0').filter(Boolean);
    } catch {
      // git grep exits 1 when nothing matches.
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
    if (oldMode === GITLINK_MODE || newMode === GITLINK_MODE) continue; // a submodule, not a file
    const baseBlob = oldSha && !ZERO_SHA.test(oldSha) ? oldSha : undefined;
    switch (status) {
      case 'A':
        changes.push({ status: 'added', path: first });
        break;
      case 'D':
        changes.push({ status: 'deleted', path: first, ...(baseBlob ? { baseBlob } : {}) });
        break;
      case 'R':
        changes.push({ status: 'renamed', path: second!, previousPath: first, ...(baseBlob ? { baseBlob } : {}) });
        break;
      case 'C':
        changes.push({ status: 'added', path: second! });
        break;
      case 'M':
      case 'T':
        changes.push({ status: 'modified', path: first, ...(baseBlob ? { baseBlob } : {}) });
        break;
      default:
        // U (unmerged) and X: nothing that can be compared.
        break;
    }
  }
  return changes;
}
