import type { Report } from '@port-gitops/core';
import { describe, expect, it } from 'vitest';
import { emulator, git, makeRepo, runCli, syncEnv, writeFiles, writtenElsewhere } from './helpers.js';

const blueprint = (identifier: string, properties: Record<string, string>, relations: Record<string, string> = {}) =>
  JSON.stringify({
    identifier,
    schema: { properties: Object.fromEntries(Object.entries(properties).map(([k, type]) => [k, { type }])) },
    relations: Object.fromEntries(
      Object.entries(relations).map(([k, target]) => [k, { target, many: false, required: false }]),
    ),
  });

const BLUEPRINTS = {
  '.port/blueprints/service.json': blueprint('service', {
    version: 'string',
    private: 'boolean',
    lang: 'string',
    raw: 'string',
  }),
  '.port/blueprints/package.json': blueprint('package', { package: 'string', version: 'string' }),
  '.port/blueprints/team.json': blueprint('team', { slack: 'string', oncall: 'boolean' }),
};

/** Ocean's GitHub example: each dependency of each package.json as a `package` entity (itemsToParse). */
const PACKAGE_DEPENDENCIES = `resources:
  - kind: file
    selector:
      query: 'true'
      files:
        - path: 'apps/**/package.json'
    port:
      itemsToParse: .content.dependencies | to_entries
      entity:
        mappings:
          identifier: .item.key + "_" + (.item.value | ltrimstr("^"))
          title: .item.key
          blueprint: '"package"'
          properties:
            package: .item.key
            version: .item.value
`;

function commit(repo: string, message: string) {
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', message);
}

async function check(repo: string, args: string[] = ['--all']) {
  const run = await runCli(['check', ...args, '--format', 'json'], { cwd: repo });
  return { run, report: JSON.parse(run.stdout) as Report };
}

const entityNames = (report: Report) => report.entities.map((e) => `${e.blueprint}/${e.identifier}`).sort();

describe('file-kind mappings (port-app-config.yml)', () => {
  it("maps each package.json's dependencies to entities, as Ocean's GitHub example does", async () => {
    const repo = makeRepo({
      ...BLUEPRINTS,
      '.port/port-app-config.yml': PACKAGE_DEPENDENCIES,
      'apps/web/package.json': JSON.stringify({ name: 'web', dependencies: { react: '^18.2.0', lodash: '4.17.21' } }),
      'apps/api/package.json': JSON.stringify({ name: 'api', dependencies: { express: '^4.19.0' } }),
    });
    const { run, report } = await check(repo);
    expect(run.code).toBe(0);
    expect(entityNames(report)).toEqual(['package/express_4.19.0', 'package/lodash_4.17.21', 'package/react_18.2.0']);
    const files = Object.fromEntries(report.files.map((f) => [f.path, `${f.outcome} ${f.entities ?? ''}`]));
    expect(files).toEqual({ 'apps/api/package.json': 'loaded 1', 'apps/web/package.json': 'loaded 2' });
  });

  it('syncs with --base and deletes exactly what a removed item, a removed file and a selector change remove', async () => {
    const config = PACKAGE_DEPENDENCIES.replace("query: 'true'", 'query: \'.item.value | startswith("0.") | not\'');
    const repo = makeRepo({
      ...BLUEPRINTS,
      '.port/port-app-config.yml': config,
      'apps/web/package.json': JSON.stringify({ name: 'web', dependencies: { react: '18.2.0', lodash: '4.17.21' } }),
      'apps/api/package.json': JSON.stringify({ name: 'api', dependencies: { express: '4.19.0', cors: '2.8.5' } }),
      'apps/ui/package.json': JSON.stringify({ name: 'ui', dependencies: { vite: '5.0.0' } }),
      'apps/old/package.json': JSON.stringify({ name: 'old', dependencies: { left: '1.0.0' } }),
    });
    const port = await emulator({ blueprintsDir: `${repo}/.port/blueprints`, record: true });
    expect((await runCli(['sync', '--all'], { cwd: repo, env: syncEnv(port.url) })).code).toBe(0);
    expect(port.store.entities()).toHaveLength(6);

    // A dependency removed, a file removed, an item that stops passing the selector, a file renamed.
    writeFiles(repo, {
      'apps/web/package.json': JSON.stringify({ name: 'web', dependencies: { react: '18.2.0' } }),
      'apps/api/package.json': JSON.stringify({ name: 'api', dependencies: { express: '4.19.0', cors: '0.9.0' } }),
    });
    git(repo, 'rm', '-q', 'apps/ui/package.json');
    git(repo, 'mv', 'apps/old', 'apps/old2');
    commit(repo, 'change dependencies');
    const from = port.exchanges.length;
    const run = await runCli(['sync', '--base', 'HEAD~1', '--delete-removed', '--format', 'json'], {
      cwd: repo,
      env: syncEnv(port.url),
    });
    expect(run.code).toBe(0);
    const deleted = port.exchanges
      .slice(from)
      .filter((e) => e.method === 'DELETE')
      .map((e) => decodeURIComponent(e.path.split('/').pop()!))
      .sort();
    expect(deleted).toEqual(['cors_2.8.5', 'lodash_4.17.21', 'vite_5.0.0']);
    expect(
      port.store
        .entities()
        .map((e) => e.identifier)
        .sort(),
    ).toEqual(['express_4.19.0', 'left_1.0.0', 'react_18.2.0']);
  });

  it('reads port.yml files through the file kind, one entity or several, as Port documents it for GitHub', async () => {
    const repo = makeRepo({
      ...BLUEPRINTS,
      '.port/port-app-config.yml': `resources:
  - kind: file
    selector:
      query: 'true'
      files:
        - path: '**/port.yml'
    port:
      itemsToParse: .content | if type == "object" then [.] else . end
      entity:
        mappings:
          identifier: .item.identifier
          title: .item.title
          blueprint: .item.blueprint
          properties:
            lang: .item.properties.lang
`,
      'port-gitops.config.json': JSON.stringify({ include: ['nothing/**'] }),
      'one/port.yml': 'identifier: one\ntitle: One\nblueprint: service\nproperties:\n  lang: go\n',
      'many/port.yml':
        '- identifier: a\n  blueprint: service\n  properties: { lang: ts }\n- identifier: b\n  blueprint: service\n',
    });
    const { run, report } = await check(repo);
    expect(report.errors).toEqual([]);
    expect(run.code).toBe(0);
    expect(entityNames(report)).toEqual(['service/a', 'service/b', 'service/one']);
  });

  it("runs a GitLab mapping on GitLab's input (documents as a list, YAML 1.1) and an Azure DevOps one on its own", async () => {
    const team =
      'identifier: payments\ntitle: Payments\nblueprint: team\nproperties:\n  slack: "#payments"\n  oncall: yes\n';
    const gitlab = makeRepo({
      ...BLUEPRINTS,
      'port-gitops.config.json': JSON.stringify({ mappings: { provider: 'gitlab' } }),
      '.port/port-app-config.yml': `resources:
  - kind: file
    selector:
      query: 'true'
      files: { path: teams_file.yml, repos: [group/project] }
    port:
      entity:
        mappings:
          identifier: .file.content.[0].identifier
          title: .file.content.[0].title
          blueprint: .file.content.[0].blueprint
          properties:
            slack: .file.content.[0].properties.slack
            oncall: .file.content.[0].properties.oncall
`,
      'teams_file.yml': team,
    });
    const fromGitlab = await check(gitlab);
    expect(fromGitlab.run.code).toBe(0);
    expect(entityNames(fromGitlab.report)).toEqual(['team/payments']);
    // YAML 1.1, as GitLab's integration reads it: `yes` is true.
    const plan = await runCli(['list', '--all', '--format', 'json'], { cwd: gitlab });
    expect(plan.code).toBe(0);

    const azure = makeRepo({
      ...BLUEPRINTS,
      'port-gitops.config.json': JSON.stringify({ mappings: { provider: 'azure-devops' } }),
      '.port/port-app-config.yml': `resources:
  - kind: file
    selector:
      query: 'true'
      files: { path: ['services/*/package.json'], repos: [monorepo] }
    port:
      entity:
        mappings:
          identifier: .file.path | gsub("/"; "-") | ascii_downcase
          title: '"\\\\(.repo.name): \\\\(.file.content.parsed.name)"'
          blueprint: '"service"'
          properties:
            version: .file.content.parsed.version
            raw: .file.content.raw
`,
      'services/Billing/package.json': '{"name": "billing", "version": "2.0.0"}',
    });
    const fromAzure = await check(azure);
    expect(fromAzure.run.code).toBe(0);
    expect(entityNames(fromAzure.report)).toEqual(['service/services-billing-package.json']);
  });

  it('keeps raw content with skipParsing', async () => {
    const repo = makeRepo({
      ...BLUEPRINTS,
      '.port/port-app-config.yml': `resources:
  - kind: file
    selector:
      query: 'true'
      files:
        - path: 'charts/*/values.yaml'
          skipParsing: true
    port:
      entity:
        mappings:
          identifier: .path | split("/") | .[1]
          blueprint: '"service"'
          properties:
            raw: .content
`,
      'charts/web/values.yaml': 'replicas: 2\nimage: web:1\n',
    });
    const run = await runCli(['sync', '--all', '--dry-run', '--format', 'json', '--verbose'], { cwd: repo });
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as Report;
    expect(entityNames(report)).toEqual(['service/web']);
  });

  it('says what it did not map, on the file: a failing field, a dropped entity, a selector that is not a boolean', async () => {
    const repo = makeRepo({
      ...BLUEPRINTS,
      '.port/port-app-config.yml': `resources:
  - kind: file
    selector:
      query: .content.enabled
      files:
        - path: 'svc/*/package.json'
    port:
      entity:
        mappings:
          identifier: .content.name
          blueprint: '"service"'
          properties:
            version: .content.version | tonumber | tostring
`,
      'svc/a/package.json': '{"enabled": true, "name": "a", "version": "1.2.3"}',
      'svc/b/package.json': '{"enabled": true,\n "name": ""}',
      'svc/c/package.json': '{"name": "c"}',
    });
    const { run, report } = await check(repo);
    const problems = report.errors.map((e) => `${e.file}:${e.line}:${e.column} ${e.severity} ${e.rule}`);
    expect(problems).toEqual([
      'svc/a/package.json:1:1 warning mapping-field',
      'svc/b/package.json:2:10 warning mapping-dropped',
      'svc/c/package.json:1:1 error mapping-selector',
    ]);
    expect(report.errors[0]!.message, report.errors[0]!.message).toMatch(
      /^properties\.version \(\.port\/port-app-config\.yml:13:22\) failed: .*cannot be parsed as a number; it is left out$/,
    );
    expect(run.code).toBe(1);
  });

  it('re-evaluates every mapped file when the mapping itself changes', async () => {
    const repo = makeRepo({
      ...BLUEPRINTS,
      '.port/port-app-config.yml': PACKAGE_DEPENDENCIES,
      'apps/web/package.json': JSON.stringify({ name: 'web', dependencies: { react: '18.2.0' } }),
      'apps/api/package.json': JSON.stringify({ name: 'api', dependencies: { express: '4.19.0' } }),
    });
    writeFiles(repo, {
      '.port/port-app-config.yml': PACKAGE_DEPENDENCIES.replace('title: .item.key', 'title: .item.value'),
    });
    commit(repo, 'titles from versions');
    const { report } = await check(repo, ['--base', 'HEAD~1']);
    expect(report.notes).toContain('.port/port-app-config.yml changed: every entity file is re-validated');
    expect(entityNames(report)).toEqual(['package/express_4.19.0', 'package/react_18.2.0']);
  });

  it('shows, filter by filter, what the mappings make of a file, with no credentials (port-gitops map)', async () => {
    const repo = makeRepo({
      ...BLUEPRINTS,
      '.port/port-app-config.yml': PACKAGE_DEPENDENCIES.replace('title: .item.key', 'title: .item.key | tonumber'),
      'apps/web/package.json': JSON.stringify({ name: 'web', dependencies: { react: '^18.2.0' } }),
    });
    const text = await runCli(['map', 'apps/web/package.json'], { cwd: repo });
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('apps/web/package.json  (resource 0, .port/port-app-config.yml:2:5)');
    expect(text.stdout).toMatch(/ {4}identifier +"react_18\.2\.0"/);
    expect(text.stdout).toMatch(/ {4}title +error: string \("react"\) cannot be parsed as a number/);
    expect(text.stdout).toContain('→ {"identifier":"react_18.2.0","blueprint":"package"');
    const json = JSON.parse((await runCli(['map', '--format', 'json'], { cwd: repo })).stdout);
    expect(json).toHaveLength(1);
    expect(json[0].inputs[0].fields.find((f: { name: string }) => f.name === 'properties.version').result).toEqual({
      value: '^18.2.0',
    });
  });

  it('re-maps a file when a file its mapping includes changes (includedFiles), and pushes the new value', async () => {
    const repo = makeRepo({
      ...BLUEPRINTS,
      '.port/port-app-config.yml': `resources:
  - kind: file
    selector:
      query: 'true'
      includedFiles: [README.md]
      files:
        - path: 'apps/*/package.json'
    port:
      entity:
        mappings:
          identifier: .content.name
          blueprint: '"service"'
          properties:
            raw: .__includedFiles["README.md"]
`,
      'apps/web/package.json': '{"name": "web"}',
      'apps/web/README.md': 'first',
      'apps/api/package.json': '{"name": "api"}',
    });
    const port = await emulator({ blueprintsDir: `${repo}/.port/blueprints` });
    expect((await runCli(['sync', '--all'], { cwd: repo, env: syncEnv(port.url) })).code).toBe(0);
    writeFiles(repo, { 'apps/web/README.md': 'second' });
    commit(repo, 'the readme only');
    const run = await runCli(['sync', '--base', 'HEAD~1', '--format', 'json'], { cwd: repo, env: syncEnv(port.url) });
    const report = JSON.parse(run.stdout) as Report;
    expect(report.files.map((f) => `${f.path} ${f.outcome}`)).toEqual(['apps/web/package.json loaded']);
    expect(report.entities.map((e) => `${e.identifier} ${e.action} ${e.result}`)).toEqual(['web upsert ok']);
    const web = port.store.entities().find((e) => e.identifier === 'web')!;
    expect(web.properties).toEqual({ raw: 'second' });
  });

  it("resolves file:// values in a mapped file's content as each provider does, and re-maps it when one changes", async () => {
    const mapping = (provider: string, content: string) => ({
      'port-gitops.config.json': JSON.stringify({ mappings: { provider } }),
      '.port/port-app-config.yml': `resources:
  - kind: file
    selector:
      query: 'true'
      files:
        - path: '**/port.yml'
    port:
      entity:
        mappings:
          identifier: ${content}.identifier
          blueprint: '"service"'
          properties:
            raw: ${content}.readme | tostring
            lang: ${content}.properties.lang | tostring
`,
    });
    const files = {
      ...BLUEPRINTS,
      // A top-level reference (beside the file), one nested under properties, one to a JSON file, one missing.
      'svc/a/port.yml': 'identifier: a\nreadme: file://README.md\nproperties:\n  lang: file://svc/a/LANG\n',
      'svc/a/README.md': 'read me',
      'README.md': 'the root one',
      'svc/a/LANG': 'go',
      'svc/b/port.yml': 'identifier: b\nreadme: file://meta.json\n',
      'svc/b/meta.json': '{"owner": "ana"}',
      'svc/c/port.yml': 'identifier: c\nreadme: file://GONE.md\n',
    };
    const synced = async (repo: string) => {
      const port = await emulator({ blueprintsDir: `${repo}/.port/blueprints` });
      const run = await runCli(['sync', '--all', '--format', 'json'], { cwd: repo, env: syncEnv(port.url) });
      expect(run.code).toBe(0);
      const props = (id: string) => port.store.get('service', id).properties;
      return { port, report: JSON.parse(run.stdout) as Report, props };
    };

    // GitHub: top-level values only, beside the file, parsed by extension; a missing file is "".
    const github = makeRepo({ ...files, ...mapping('github', '.content') });
    const onGithub = await synced(github);
    expect(onGithub.props('a')).toEqual({ raw: 'read me', lang: 'file://svc/a/LANG' });
    expect(onGithub.props('b')).toEqual({ raw: '{"owner":"ana"}', lang: 'null' });
    expect(onGithub.props('c')).toEqual({ raw: '', lang: 'null' });
    expect(onGithub.report.errors).toEqual([
      expect.objectContaining({
        file: 'svc/c/port.yml',
        line: 2,
        severity: 'warning',
        rule: 'file-reference',
        message: expect.stringContaining('file://GONE.md: the file svc/c/GONE.md does not exist'),
      }),
    ]);

    // GitLab: any depth, from the repository root, the text as it is; a missing file is null.
    const gitlab = makeRepo({ ...files, ...mapping('gitlab', '.file.content[0]') });
    const onGitlab = await synced(gitlab);
    expect(onGitlab.props('a')).toEqual({ raw: 'the root one', lang: 'go' });
    expect(onGitlab.props('b')).toEqual({ raw: 'null', lang: 'null' });
    expect(onGitlab.props('c')).toEqual({ raw: 'null', lang: 'null' });

    // A change to a referenced file alone re-maps the file that names it, and pushes the new value.
    writeFiles(github, { 'svc/a/README.md': 'read me again' });
    commit(github, 'the readme only');
    const port = onGithub.port;
    const run = await runCli(['sync', '--base', 'HEAD~1', '--format', 'json'], { cwd: github, env: syncEnv(port.url) });
    const changed = JSON.parse(run.stdout) as Report;
    expect(changed.files.map((f) => `${f.path} ${f.outcome}`)).toEqual(['svc/a/port.yml loaded']);
    expect(onGithub.props('a').raw).toBe('read me again');
  });

  it('matches a path glob without case for GitHub and Azure DevOps, as their integrations do, and with case for GitLab', async () => {
    const appConfig = `resources:
  - kind: file
    selector:
      query: 'true'
      files:
        - path: '**/readme.md'
          skipParsing: true
    port:
      entity:
        mappings:
          identifier: .path // .file.path | split("/") | first
          blueprint: '"service"'
`;
    const files = {
      ...BLUEPRINTS,
      '.port/port-app-config.yml': appConfig,
      'web/README.md': '# web',
      'api/ReadMe.MD': '# api',
      'cli/readme.md': '# cli',
      'docs/readme.md.txt': 'not a readme',
    };
    const matched = async (provider: string) => {
      const repo = makeRepo({ ...files, 'port-gitops.config.json': JSON.stringify({ mappings: { provider } }) });
      const { report } = await check(repo);
      return { repo, files: report.files.map((f) => f.path).sort() };
    };
    const github = await matched('github');
    expect(github.files).toEqual(['api/ReadMe.MD', 'cli/readme.md', 'web/README.md']);
    expect((await matched('azure-devops')).files).toEqual(['api/ReadMe.MD', 'cli/readme.md', 'web/README.md']);
    expect((await matched('gitlab')).files).toEqual(['cli/readme.md']);
    // A change selects such a file too: a new one, and an edited one.
    writeFiles(github.repo, { 'new/READme.md': '# new', 'web/README.md': '# web, edited' });
    commit(github.repo, 'two readmes');
    const { report } = await check(github.repo, ['--base', 'HEAD~1']);
    expect(report.files.map((f) => f.path).sort()).toEqual(['new/READme.md', 'web/README.md']);
  });

  it('updates the one entity a search-query identifier finds, and never deletes it', async () => {
    const repo = makeRepo({
      ...BLUEPRINTS,
      '.port/port-app-config.yml': `resources:
  - kind: file
    selector:
      query: 'true'
      files:
        - path: 'apps/*/package.json'
    port:
      entity:
        mappings:
          identifier:
            combinator: '"and"'
            rules:
              - property: '"$identifier"'
                operator: '"="'
                value: .content.name
          blueprint: '"service"'
          properties:
            version: .content.version
`,
      'apps/web/package.json': '{"name": "web", "version": "1.2.3"}',
      // Provenance on, so that --prune may run: an entity a query updates must not become this repository's.
      '.port/blueprints/service.json': JSON.stringify({
        identifier: 'service',
        schema: {
          properties: { lang: { type: 'string' }, version: { type: 'string' }, origin: { type: 'object' } },
          required: ['lang'],
        },
      }),
      'port-gitops.config.json': JSON.stringify({ provenance: { property: 'origin' } }),
    });
    const port = await emulator({ blueprintsDir: `${repo}/.port/blueprints` });
    writtenElsewhere(port, 'service', { identifier: 'web', properties: { lang: 'ts' } });
    const env = syncEnv(port.url);

    const { run: checked, report: checkedReport } = await check(repo);
    expect(checkedReport.errors).toEqual([]);
    expect(checked.code).toBe(0);
    // The plan reads the entity the query finds, and shows what the write changes in it.
    const planned = JSON.parse(
      (await runCli(['plan', '--all', '--format', 'json'], { cwd: repo, env })).stdout,
    ) as Report;
    expect(planned.entities).toEqual([
      expect.objectContaining({
        change: 'update',
        diff: [{ path: 'properties.version', from: null, to: '1.2.3' }],
      }),
    ]);
    const synced = await runCli(['sync', '--all', '--format', 'json'], { cwd: repo, env });
    expect(synced.stderr).not.toMatch(/error/);
    expect(synced.code).toBe(0);
    expect((JSON.parse(synced.stdout) as Report).entities).toEqual([
      expect.objectContaining({
        identifier: 'search:{"combinator":"and","rules":[{"property":"$identifier","operator":"=","value":"web"}]}',
        result: 'ok',
      }),
    ]);
    // Port merged it into the entity the query found: the value it held stays, and no provenance is added
    // (the required `lang` was not asked of it: the entity Port found has it).
    expect(port.store.get('service', 'web').properties).toEqual({ lang: 'ts', version: '1.2.3' });
    const pruned = await runCli(['sync', '--all', '--prune'], { cwd: repo, env });
    expect(pruned.code).toBe(0);
    expect(port.store.get('service', 'web').properties.version).toBe('1.2.3');

    // Gone from the repository: nothing is deleted, as Ocean deletes none.
    git(repo, 'rm', '-q', 'apps/web/package.json');
    commit(repo, 'no more web');
    const removed = await runCli(['sync', '--base', 'HEAD~1', '--delete-removed'], { cwd: repo, env });
    expect(removed.code).toBe(0);
    expect(port.store.get('service', 'web').properties.version).toBe('1.2.3');

    // A query that finds no entity: the plan says Port will refuse it, and the sync reports Port's refusal.
    writeFiles(repo, { 'apps/ghost/package.json': '{"name": "ghost", "version": "0.1.0"}' });
    commit(repo, 'a package Port has no service for');
    const ghost = JSON.parse(
      (await runCli(['plan', '--base', 'HEAD~1', '--format', 'json'], { cwd: repo, env })).stdout,
    ) as Report;
    expect(ghost.entities).toEqual([
      expect.objectContaining({ change: 'update', reason: expect.stringContaining('finds no entity in Port') }),
    ]);
    const missing = await runCli(['sync', '--base', 'HEAD~1', '--format', 'json'], { cwd: repo, env });
    expect(missing.code).not.toBe(0);
    expect((JSON.parse(missing.stdout) as Report).entities).toEqual([
      expect.objectContaining({ result: 'failed', error: expect.objectContaining({ status: 404 }) }),
    ]);
  });

  it("places a value the blueprint refuses on its file, and names the mapping's filter that made it", async () => {
    const repo = makeRepo({
      ...BLUEPRINTS,
      '.port/port-app-config.yml': `resources:
  - kind: file
    selector:
      query: 'true'
      files:
        - path: 'apps/*/package.json'
    port:
      entity:
        mappings:
          identifier: .content.name
          blueprint: '"service"'
          properties:
            version: .content.version
            private: .content.private | not | not | tostring
`,
      'apps/web/package.json': '{\n  "name": "web",\n  "version": 2,\n  "private": true\n}',
    });
    const { report } = await check(repo);
    const problems = report.errors.map((e) => `${e.file}:${e.line}:${e.column} ${e.pointer} | ${e.hint}`);
    expect(problems).toEqual([
      // A computed value: at the file, with the filter's place.
      'apps/web/package.json:1:1 /0/properties/private | the value comes from the mapping at .port/port-app-config.yml:14:22',
      // A plain path: at the value in the file.
      'apps/web/package.json:3:14 /0/properties/version | the value comes from the mapping at .port/port-app-config.yml:13:22',
    ]);
  });

  it("gives the repository's fields from the local clone, never its remote's credentials", async () => {
    const repo = makeRepo({
      ...BLUEPRINTS,
      '.port/port-app-config.yml': `resources:
  - kind: file
    selector:
      query: 'true'
      files:
        - path: 'apps/*/package.json'
    port:
      entity:
        mappings:
          identifier: .content.name
          blueprint: '"service"'
          properties:
            raw: '"\\(.repository.full_name) \\(.repository.html_url) \\(.repository.default_branch) \\(.branch)"'
`,
      'apps/web/package.json': '{"name": "web"}',
    });
    git(repo, 'remote', 'add', 'origin', 'https://ci-user:s3cr3t-token@github.example.com/acme/monorepo.git');
    const run = await runCli(['map', '--format', 'json'], { cwd: repo });
    expect(run.stdout).not.toContain('s3cr3t-token');
    const [explained] = JSON.parse(run.stdout);
    expect(explained.entities[0].properties.raw).toBe(
      'acme/monorepo https://github.example.com/acme/monorepo main main',
    );
  });

  it('deletes what a changed selector in the mapping stops making, and pushes what a changed filter makes otherwise', async () => {
    const repo = makeRepo({
      ...BLUEPRINTS,
      '.port/port-app-config.yml': PACKAGE_DEPENDENCIES,
      'apps/web/package.json': JSON.stringify({ name: 'web', dependencies: { react: '18.2.0', lodash: '4.17.21' } }),
      'apps/api/package.json': JSON.stringify({ name: 'api', dependencies: { express: '4.19.0' } }),
    });
    const port = await emulator({ blueprintsDir: `${repo}/.port/blueprints`, record: true });
    expect((await runCli(['sync', '--all'], { cwd: repo, env: syncEnv(port.url) })).code).toBe(0);
    // lodash no longer passes the selector; every title now comes from the version.
    writeFiles(repo, {
      '.port/port-app-config.yml': PACKAGE_DEPENDENCIES.replace(
        "query: 'true'",
        'query: \'.item.key != "lodash"\'',
      ).replace('title: .item.key', 'title: .item.value'),
    });
    commit(repo, 'the mapping changes');
    const from = port.exchanges.length;
    const run = await runCli(['sync', '--base', 'HEAD~1', '--delete-removed', '--format', 'json'], {
      cwd: repo,
      env: syncEnv(port.url),
    });
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as Report;
    expect(report.entities.map((e) => `${e.identifier} ${e.action}`).sort()).toEqual([
      'express_4.19.0 upsert',
      'lodash_4.17.21 delete',
      'react_18.2.0 upsert',
    ]);
    expect(port.exchanges.slice(from).filter((e) => e.method === 'DELETE')).toHaveLength(1);
    expect(
      port.store
        .entities()
        .map((e) => `${e.identifier} ${e.title}`)
        .sort(),
    ).toEqual(['express_4.19.0 4.19.0', 'react_18.2.0 18.2.0']);
  });

  it('finds a relation target a mapping makes of a file the change did not touch', async () => {
    const repo = makeRepo({
      ...BLUEPRINTS,
      '.port/blueprints/service.json': blueprint('service', { lang: 'string' }, { uses: 'package' }),
      '.port/port-app-config.yml': `resources:
  - kind: file
    selector:
      query: 'true'
      files:
        - path: 'packages/*/package.json'
    port:
      entity:
        mappings:
          identifier: .content.name
          blueprint: '"package"'
`,
      'packages/ui/package.json': '{"name": "ui-kit"}',
    });
    writeFiles(repo, {
      'services/web/port.yml': 'identifier: web\nblueprint: service\nrelations:\n  uses: ui-kit\n',
      'services/api/port.yml': 'identifier: api\nblueprint: service\nrelations:\n  uses: nowhere\n',
    });
    commit(repo, 'two services');
    const { report } = await check(repo, ['--base', 'HEAD~1']);
    // ui-kit comes from packages/ui/package.json through the mapping; nowhere is defined nowhere.
    expect(report.errors.map((e) => `${e.file} ${e.rule} ${e.message}`)).toEqual([
      'services/api/port.yml relation-target relation "uses" points at "nowhere" of blueprint "package", which no entity file defines',
    ]);
  });

  it('refuses a filter that does not compile, at its line and column in the mapping', async () => {
    const repo = makeRepo({
      ...BLUEPRINTS,
      '.port/port-app-config.yml': PACKAGE_DEPENDENCIES.replace('title: .item.key', 'title: .item.key | ]'),
      'apps/web/package.json': '{"name": "web"}',
    });
    const run = await runCli(['check', '--all'], { cwd: repo });
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('.port/port-app-config.yml:12:18: title does not compile: syntax error');
  });
});
