/**
 * CI runs that fail, overlap or run late (docs/ci.md): each push's sync as GitHub Actions runs it, in a
 * fresh clone of a real origin at the pushed commit, against the emulator. The branch's watermark in
 * Port decides what each run compares with and whether it may write at all.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FatalError, type Report, type RunEvent, sync } from '@port-gitops/core';
import type { RunningEmulator } from '@port-gitops/emulator';
import type { Blueprint } from '@port-gitops/port-schema';
import { PortClient } from '@port-gitops/port-client';
import { describe, expect, it } from 'vitest';
import { CREDENTIALS, emulator, git, makeDir, makeRepo, runCli, syncEnv } from './helpers.js';

const BLUEPRINTS: Blueprint[] = [
  {
    identifier: 'svc',
    schema: { properties: { tier: { type: 'number' }, origin: { type: 'object' } } },
  },
];
// One retry: a write Port refuses fails fast.
const CONFIG = JSON.stringify({ provenance: { property: 'origin' }, deleteRemoved: true, port: { maxRetries: 1 } });
const svc = (id: string, tier: number) => `identifier: ${id}\nblueprint: svc\nproperties:\n  tier: ${tier}\n`;

/** A repository with an origin, and the CI jobs GitHub would start for its pushes. */
class Pushes {
  readonly origin = makeDir({});
  readonly work: string;
  private runs = 0;

  constructor(files: Record<string, string>) {
    git(this.origin, 'init', '-q', '--bare', '-b', 'main');
    this.work = makeRepo({ 'port-gitops.config.json': CONFIG, ...files });
    git(this.work, 'remote', 'add', 'origin', this.origin);
    git(this.work, 'push', '-q', 'origin', 'main');
  }

  head(): string {
    return git(this.work, 'rev-parse', 'HEAD').trim();
  }

  /** A commit pushed to main: files written, or deleted where the content is null. */
  push(files: Record<string, string | null>, message: string, options: { force?: boolean } = {}): string {
    for (const [path, content] of Object.entries(files)) {
      if (content === null) rmSync(join(this.work, path));
      else {
        mkdirSync(join(this.work, path, '..'), { recursive: true });
        writeFileSync(join(this.work, path), content);
      }
    }
    git(this.work, 'add', '-A');
    git(this.work, 'commit', '-q', '-m', message);
    git(this.work, 'push', '-q', ...(options.force ? ['--force'] : []), 'origin', 'main');
    return this.head();
  }

  /**
   * The job of the push that moved main from `before` to `sha`: actions/checkout's clone at `sha` (all
   * history, or `depth` commits), and the environment GitHub sets for a push.
   */
  job(before: string, sha: string, options: { depth?: number } = {}): { cwd: string; env: Record<string, string> } {
    const run = ++this.runs;
    const cwd = makeDir({});
    git(cwd, 'clone', '-q', ...(options.depth ? ['--depth', String(options.depth)] : []), `file://${this.origin}`, '.');
    git(cwd, 'checkout', '-q', '-B', 'main', sha);
    const event = join(makeDir({}), 'event.json');
    writeFileSync(event, JSON.stringify({ before, after: sha, repository: { default_branch: 'main' } }));
    const env = {
      GITHUB_ACTIONS: 'true',
      GITHUB_EVENT_NAME: 'push',
      GITHUB_EVENT_PATH: event,
      GITHUB_REF: 'refs/heads/main',
      GITHUB_REF_NAME: 'main',
      GITHUB_REF_TYPE: 'branch',
      GITHUB_SHA: sha,
      GITHUB_REPOSITORY: 'acme/catalog',
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_RUN_ID: String(1000 + run),
    };
    return { cwd, env };
  }
}

async function runSync(job: { cwd: string; env: Record<string, string> }, port: RunningEmulator, args: string[] = []) {
  const run = await runCli(['sync', '--format', 'json', ...args], {
    cwd: job.cwd,
    env: { ...job.env, ...syncEnv(port.url) },
  });
  return { ...run, report: run.stdout ? (JSON.parse(run.stdout) as Report) : undefined };
}

/** The tiers Port holds, by identifier. */
function tiers(port: RunningEmulator): Record<string, unknown> {
  return Object.fromEntries(
    port.store
      .entities()
      .filter((e) => e.blueprint === 'svc')
      .map((e) => [e.identifier, e.properties.tier]),
  );
}

async function watermarkOf(port: RunningEmulator): Promise<string | undefined> {
  const found = port.store.entities().filter((e) => e.blueprint === 'port_gitops_sync');
  expect(found.length).toBeLessThanOrEqual(1);
  return found[0]?.properties.commit as string | undefined;
}

const writesIn = (port: RunningEmulator) =>
  port.exchanges.filter((e) => e.method !== 'GET' && !e.route.endsWith('/search') && !e.route.includes('/auth/'));

describe('CI runs that fail, overlap or run late', () => {
  it('with no watermark yet, compares as the event says, records the watermark, and the next run compares with it', async () => {
    const repo = new Pushes({ 'a/port.yml': svc('a', 1) });
    const c0 = repo.head();
    const c1 = repo.push({ 'b/port.yml': svc('b', 1) }, 'b');
    const port = await emulator({ blueprints: BLUEPRINTS, record: true });

    const first = await runSync(repo.job(c0, c1), port);
    expect(first.code).toBe(0);
    expect(first.report!.notes?.[0]).toMatch(/^no watermark for main in Port yet: compared as the CI says/);
    expect(first.report!.base).toBe(c0);
    expect(tiers(port)).toEqual({ b: 1 });
    expect(first.report!.watermark).toMatchObject({ branch: 'main', before: null, after: c1, moved: true });
    expect(await watermarkOf(port)).toBe(c1);
    // The blueprint was created for it, once, without a catalog page.
    const created = port.exchanges.filter((e) => e.method === 'POST' && e.route === '/v1/blueprints');
    expect(created.map((e) => e.query)).toEqual([{ create_catalog_page: ['false'] }]);

    const c2 = repo.push({ 'a/port.yml': svc('a', 2) }, 'a to tier 2');
    // The event's `before` is wrong on purpose: the watermark, not the event, says what Port holds.
    const second = await runSync(repo.job(c0, c2), port);
    expect(second.code).toBe(0);
    expect(second.report!.notes?.[0]).toMatch(
      /^compared with the last commit synced for main, [0-9a-f]{8} \(synced at /,
    );
    expect(second.report!.notes?.[0]).toContain('https://github.com/acme/catalog/actions/runs/1001');
    expect(second.report!.base).toBe(c1);
    expect(second.report!.summary).toMatchObject({ files: 1, upserted: 1 });
    expect(tiers(port)).toEqual({ a: 2, b: 1 });
    expect(await watermarkOf(port)).toBe(c2);
    const entities = port.store.entities().filter((e) => e.blueprint === 'port_gitops_sync');
    expect(entities.map((e) => e.properties)).toEqual([
      expect.objectContaining({ branch: 'main', commit: c2, run: 'https://github.com/acme/catalog/actions/runs/1002' }),
    ]);
  });

  it("keeps a failed run's changes, deletions included, for the next run that succeeds", async () => {
    const data = join(makeDir({}), 'port.json');
    const repo = new Pushes({ 'x/port.yml': svc('x', 1), 'y/port.yml': svc('y', 1), 'z/port.yml': svc('z', 1) });
    const c0 = repo.head();
    const healthy = () => emulator({ blueprints: BLUEPRINTS, dataFile: data, record: true });
    let port = await healthy();
    expect((await runCli(['sync', '--all'], { cwd: repo.job(c0, c0).cwd, env: syncEnv(port.url) })).code).toBe(0);
    // A full resync outside CI records no watermark: the first CI run records it.
    expect((await runSync(repo.job(c0, c0), port)).code).toBe(0);
    expect(await watermarkOf(port)).toBe(c0);
    await port.close();

    const a = repo.push({ 'x/port.yml': svc('x', 2), 'y/port.yml': null }, 'A: x to tier 2, y removed');
    // Port is up for reads and fails every write: A's run pushes nothing.
    port = await emulator({ blueprints: BLUEPRINTS, dataFile: data, writeErrorRate: 1 });
    const failed = await runSync(repo.job(c0, a), port, ['--concurrency', '2']);
    expect(failed.code).toBe(2);
    expect(failed.report!.watermark).toMatchObject({ before: c0, after: c0, moved: false });
    expect(failed.report!.watermark!.reason).toMatch(/failed to push \(the next run retries them\)/);
    await port.close();

    const b = repo.push({ 'z/port.yml': svc('z', 2) }, 'B: z to tier 2');
    port = await healthy();
    expect(await watermarkOf(port)).toBe(c0);
    const next = await runSync(repo.job(a, b), port);
    expect(next.code).toBe(0);
    // B's event says a..b; the watermark says c0..b, which holds A's changes too.
    expect(next.report!.base).toBe(c0);
    expect(tiers(port)).toEqual({ x: 2, z: 2 });
    expect(await watermarkOf(port)).toBe(b);

    // A rerun of the same commit converges: nothing to compare, nothing written.
    const from = port.exchanges.length;
    const again = await runSync(repo.job(a, b), port);
    expect(again.code).toBe(0);
    expect(again.report!.notes?.[0]).toMatch(/is the last commit synced for main .*: nothing changed since/);
    expect(again.report!.summary).toMatchObject({ files: 0, upserted: 0, deleted: 0 });
    expect(writesIn({ ...port, exchanges: port.exchanges.slice(from) } as RunningEmulator)).toEqual([]);
  });

  it('refuses a late re-run of an older push after a newer one was synced: nothing written, exit 4, naming the newer commit', async () => {
    const repo = new Pushes({ 'x/port.yml': svc('x', 1) });
    const c0 = repo.head();
    const a = repo.push({ 'x/port.yml': svc('x', 2) }, 'A');
    const b = repo.push({ 'x/port.yml': svc('x', 3) }, 'B');
    const port = await emulator({ blueprints: BLUEPRINTS, record: true });
    expect((await runSync(repo.job(c0, a), port)).code).toBe(0);
    expect((await runSync(repo.job(a, b), port)).code).toBe(0);
    expect(tiers(port)).toEqual({ x: 3 });

    const from = port.exchanges.length;
    const late = await runSync(repo.job(c0, a), port);
    expect(late.code).toBe(4);
    expect(late.stdout).toBe('');
    expect(late.stderr).toContain(
      `error: this run's commit ${a.slice(0, 8)} is older than ${b.slice(0, 8)} (synced at `,
    );
    expect(late.stderr).toContain('the last commit synced for main: nothing was written');
    expect(late.stderr).toContain('hint: a newer run has synced this branch already');
    expect(writesIn({ ...port, exchanges: port.exchanges.slice(from) } as RunningEmulator)).toEqual([]);
    expect(tiers(port)).toEqual({ x: 3 });
    expect(await watermarkOf(port)).toBe(b);

    // --force writes the older values, and still never moves the watermark back.
    const forced = await runSync(repo.job(c0, a), port, ['--force']);
    expect(forced.code).toBe(0);
    expect(tiers(port)).toEqual({ x: 2 });
    expect(forced.report!.watermark).toMatchObject({ after: b, moved: false });
    expect(await watermarkOf(port)).toBe(b);
  });

  describe('runs that overlap, the older finishing last', () => {
    /**
     * Push A's job runs in this process through core's `sync`, and is held right after it read the
     * watermark, as a slow runner would be; meanwhile push B's job runs to its end. Then A goes on.
     */
    async function overlap(
      jobs: { a: ReturnType<Pushes['job']> },
      port: RunningEmulator,
      meanwhile: () => Promise<void>,
    ) {
      let held = false;
      const events: RunEvent[] = [];
      const connector = ({ repositoryId }: { repositoryId: string }) => {
        const client = new PortClient({
          baseUrl: port.url,
          credentials: { clientId: CREDENTIALS.PORT_CLIENT_ID, clientSecret: CREDENTIALS.PORT_CLIENT_SECRET },
          userAgent: `port-gitops/test (repo/${repositoryId})`,
        });
        const getEntity = client.getEntity.bind(client);
        client.getEntity = async (...args) => {
          const entity = await getEntity(...args);
          if (!held) {
            held = true;
            await meanwhile();
          }
          return entity;
        };
        return client;
      };
      return sync(
        {
          cwd: jobs.a.cwd,
          env: { ...jobs.a.env, PATH: process.env.PATH! },
          select: { kind: 'changed' },
          onEvent: (e) => events.push(e),
        },
        connector,
      ).then(
        (report) => ({ report, events }),
        (error: unknown) => ({ error, events }),
      );
    }

    it('A writes nothing once B has recorded its newer commit (exit 4 for the CLI): Port holds B', async () => {
      const repo = new Pushes({ 'x/port.yml': svc('x', 1), 'y/port.yml': svc('y', 1) });
      const c0 = repo.head();
      const port = await emulator({ blueprints: BLUEPRINTS, record: true });
      expect((await runSync(repo.job(c0, c0), port, ['--all'])).code).toBe(0);
      const a = repo.push({ 'x/port.yml': svc('x', 2), 'y/port.yml': svc('y', 2) }, 'A');
      const b = repo.push({ 'x/port.yml': svc('x', 3) }, 'B');
      const jobA = repo.job(c0, a);
      const result = await overlap({ a: jobA }, port, async () => {
        expect((await runSync(repo.job(a, b), port)).code).toBe(0);
      });
      expect('error' in result && result.error).toBeInstanceOf(FatalError);
      expect((result as { error: FatalError }).error.code).toBe('stale');
      // B compared with the watermark c0, so it holds A's change to y too.
      expect(tiers(port)).toEqual({ x: 3, y: 2 });
      expect(await watermarkOf(port)).toBe(b);
    });

    it('with provenance on, A leaves alone each entity a newer commit wrote, even before B records its watermark', async () => {
      const repo = new Pushes({ 'x/port.yml': svc('x', 1), 'y/port.yml': svc('y', 1) });
      const c0 = repo.head();
      const port = await emulator({ blueprints: BLUEPRINTS, record: true });
      expect((await runSync(repo.job(c0, c0), port, ['--all'])).code).toBe(0);
      const a = repo.push({ 'x/port.yml': svc('x', 2), 'y/port.yml': svc('y', 2) }, 'A');
      // B writes x, but breaks y's file: y is not written, and its watermark stays where it was.
      const b = repo.push({ 'x/port.yml': svc('x', 3), 'y/port.yml': 'identifier: [' }, 'B');
      const result = await overlap({ a: repo.job(c0, a) }, port, async () => {
        const run = await runSync(repo.job(a, b), port);
        expect(run.code).toBe(1);
        expect(run.report!.watermark).toMatchObject({ moved: false });
      });
      expect('report' in result).toBe(true);
      const { report } = result as { report: Report };
      expect(report.entities.map((e) => `${e.identifier} ${e.action} ${e.result}`)).toEqual([
        'x upsert skipped',
        'y upsert ok',
      ]);
      expect(report.entities[0]!.reason).toBe(
        `Port holds it as written by ${b.slice(0, 8)}, a newer commit than this run's ${a.slice(0, 8)}`,
      );
      expect(result.events).toContainEqual({
        type: 'warning',
        message: '1 entity was left as it is: Port holds it as written by a newer commit (--force writes it anyway)',
      });
      expect(tiers(port)).toEqual({ x: 3, y: 2 });
      // A pushed all it selected: its watermark moves, and B's next run compares with A.
      expect(report.watermark).toMatchObject({ before: c0, after: a, moved: true });
    });
  });

  it('after a rewritten history, compares with the synced commit itself (what Port holds), and moves the watermark only with --force', async () => {
    const repo = new Pushes({ 'x/port.yml': svc('x', 1) });
    const c0 = repo.head();
    const a = repo.push({ 'x/port.yml': svc('x', 2), 'y/port.yml': svc('y', 1) }, 'A');
    const port = await emulator({ blueprints: BLUEPRINTS });
    expect((await runSync(repo.job(c0, a), port)).code).toBe(0);
    expect(tiers(port)).toEqual({ x: 2, y: 1 });

    // main is rewritten from c0: A is gone, A' has another x, a new z, and no y.
    git(repo.work, 'reset', '-q', '--hard', c0);
    const rewritten = repo.push({ 'x/port.yml': svc('x', 5), 'z/port.yml': svc('z', 1) }, "A'", { force: true });
    const run = await runSync(repo.job(a, rewritten), port);
    expect(run.code).toBe(0);
    expect(run.report!.notes?.[0]).toMatch(/^the history of main was rewritten since [0-9a-f]{8} /);
    expect(run.report!.base).toBe(a);
    expect(tiers(port)).toEqual({ x: 5, z: 1 });
    expect(run.report!.watermark).toMatchObject({ after: a, moved: false });

    const forced = await runSync(repo.job(a, rewritten), port, ['--force']);
    expect(forced.report!.watermark).toMatchObject({ before: a, after: rewritten, moved: true });
  });

  it('in a shallow clone, fetches the watermark and the history to it', async () => {
    const repo = new Pushes({ 'x/port.yml': svc('x', 1) });
    const c0 = repo.head();
    const port = await emulator({ blueprints: BLUEPRINTS });
    expect((await runSync(repo.job(c0, c0), port, ['--all'])).code).toBe(0);
    for (let i = 0; i < 5; i++) repo.push({ [`f${i}/port.yml`]: svc(`f${i}`, 1) }, `f${i}`);
    const head = repo.head();
    const before = git(repo.work, 'rev-parse', 'HEAD~1').trim();
    // actions/checkout's default: one commit.
    const run = await runSync(repo.job(before, head, { depth: 1 }), port);
    expect(run.code).toBe(0);
    expect(run.report!.base).toBe(c0);
    expect(run.report!.summary).toMatchObject({ files: 5, upserted: 5 });
    expect(await watermarkOf(port)).toBe(head);
  });
});
