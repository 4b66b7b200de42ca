import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Report } from '@port-gitops/core';
import { describe, expect, it } from 'vitest';
import { EXAMPLE_BLUEPRINTS, REPO_ROOT, emulator, git, makeRepo, runCli, syncEnv, writeFiles } from './helpers.js';

const CATALOG = join(REPO_ROOT, 'examples/backstage');
const CATALOG_BLUEPRINTS = join(CATALOG, '.port/blueprints');

function commit(dir: string, message: string): void {
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', message);
}

/** A git repository holding a copy of examples/backstage, committed. */
function catalogRepo(): string {
  const repo = makeRepo({});
  cpSync(CATALOG, repo, { recursive: true });
  commit(repo, 'catalog');
  return repo;
}

const report = (stdout: string) => JSON.parse(stdout) as Report;
const byKey = (port: Awaited<ReturnType<typeof emulator>>) =>
  new Map(port.store.entities().map((entity) => [`${entity.blueprint}/${entity.identifier}`, entity]));
const pushed = (run: { stdout: string }) =>
  report(run.stdout)
    .entities.filter((entity) => entity.action !== 'none')
    .map((entity) => `${entity.action} ${entity.blueprint}/${entity.identifier}`)
    .sort();

describe('Backstage catalog-info.yaml files', () => {
  it('pushes every kind of a realistic multi-document catalog through the default mapping, substitutions read', async () => {
    const repo = catalogRepo();
    const check = await runCli(['check', '--all', '--format', 'json'], { cwd: repo });
    expect(report(check.stdout).errors).toEqual([]);
    expect(check.code).toBe(0);
    // As the pre-commit hook runs it, on a staged descriptor file.
    expect((await runCli(['check', 'services/payments/catalog-info.yaml'], { cwd: repo })).stdout).toContain(
      '1 file · 3 entities',
    );

    const port = await emulator({ blueprintsDir: CATALOG_BLUEPRINTS });
    const sync = await runCli(['sync', '--all'], { cwd: repo, env: syncEnv(port.url) });
    expect(sync.stderr).toBe('');
    expect(sync.code).toBe(0);
    const entities = byKey(port);
    // The root file's Location document is Backstage plumbing: skipped.
    expect([...entities.keys()].sort()).toEqual([
      'API/payments-api',
      'component/checkout-web',
      'component/payments-service',
      'domain/commerce',
      'group/engineering',
      'group/payments-team',
      'resource/payments-db',
      'system/payments',
      'user/asmith',
      'user/jdoe',
    ]);
    expect(entities.get('component/payments-service')).toMatchObject({
      title: 'Payments service',
      properties: {
        description: readFileSync(join(repo, 'services/payments/README.md'), 'utf8'),
        tags: ['java', 'grpc'],
        links: ['https://grafana.acme.example/d/payments'],
        annotations: { 'github.com/project-slug': 'acme/monorepo', 'backstage.io/techdocs-ref': 'dir:.' },
        type: 'service',
        lifecycle: 'production',
      },
      relations: {
        owningGroup: 'payments-team',
        system: 'payments',
        providesApis: ['payments-api'],
        dependsOnComponent: [],
        dependsOnResource: ['payments-db'],
      },
    });
    expect(entities.get('API/payments-api')?.properties.definition).toBe(
      readFileSync(join(repo, 'services/payments/openapi.yaml'), 'utf8'),
    );
    // Owned by a user, not a group; the kinds in references pick the relations.
    expect(entities.get('component/checkout-web')?.relations).toMatchObject({
      owningUser: 'jdoe',
      consumesApis: ['payments-api'],
      dependsOnComponent: ['payments-service'],
      dependsOnResource: [],
    });
    expect(entities.get('component/checkout-web')?.relations.owningGroup ?? null).toBeNull();
    expect(entities.get('resource/payments-db')?.relations).toMatchObject({
      owningGroup: 'payments-team',
      system: 'payments',
    });
    expect(entities.get('group/payments-team')).toMatchObject({
      title: 'Payments',
      properties: { type: 'team', email: 'payments@acme.example' },
      relations: { parent: 'engineering', members: ['jdoe', 'asmith'] },
    });
    expect(entities.get('user/jdoe')).toMatchObject({
      title: 'Jane Doe',
      properties: { email: 'jane.doe@acme.example' },
    });
    expect(entities.get('domain/commerce')?.relations).toMatchObject({ owningGroup: 'engineering' });
  });

  it('names the line and column in the Backstage document, and the field, for every kind of problem', async () => {
    const repo = makeRepo({
      'port-gitops.config.json': JSON.stringify({ blueprintsDir: '.port/blueprints', backstage: {} }),
      'svc/catalog-info.yaml': [
        'apiVersion: backstage.io/v1alpha1', // 1
        'kind: Component', // 2
        'metadata:', // 3
        '  name: broken', // 4
        '  description:', // 5
        '    $text: https://example.com/README.md', // 6
        '  links:', // 7
        '    - url: not a url', // 8
        'spec:', // 9
        '  type: service', // 10
        '  lifecycle: retired', // 11
        '  owner: "group:"', // 12
        '  system: nowhere', // 13
        '  dependsOn: [legacy-db]', // 14
        '---', // 15
        'apiVersion: backstage.io/v1alpha1', // 16
        'kind: Widget', // 17
        'metadata:', // 18
        '  name: w', // 19
        '---', // 20
        'apiVersion: backstage.io/v1alpha1', // 21
        'kind: Group', // 22
        'metadata:', // 23
        '  title: No name', // 24
        '',
      ].join('\n'),
    });
    cpSync(CATALOG_BLUEPRINTS, join(repo, '.port/blueprints'), { recursive: true });
    const run = await runCli(['check', '--all', '--format', 'json'], { cwd: repo });
    expect(run.code).toBe(1);
    expect(report(run.stdout).errors.map((e) => `${e.line}:${e.column} ${e.severity} ${e.pointer} ${e.rule}`)).toEqual([
      // A URL is not fetched: that value is left out with a warning, and the rest of the document stands.
      '6:5 warning /0/metadata/description backstage-substitution',
      '8:12 error /0/metadata/links/0/url blueprint component: format',
      // Backstage's lifecycle is free text (`retired` is fine); the example blueprints take any.
      '12:10 error /0/spec/owner backstage-ref',
      '13:11 warning /0/spec/system relation-target',
      '14:15 warning /0/spec/dependsOn/0 backstage-unmapped-ref',
      '17:7 warning /1/kind backstage-kind',
      '24:3 error /2/metadata backstage-entity',
    ]);
    const messages = report(run.stdout).errors.map((e) => e.message);
    expect(messages[0]).toBe(
      '$text: "https://example.com/README.md" is a URL; port-gitops reads only files of this repository, so this value is left out',
    );
    expect(messages[4]).toMatch(/^"legacy-db" \(no kind\) fits none of the relations mapped from spec\.dependsOn/);
  });

  it('pushes only the entities a change touches: an edited document, a changed $text target; deletes a removed document', async () => {
    const repo = catalogRepo();
    const port = await emulator({ blueprintsDir: CATALOG_BLUEPRINTS });
    expect((await runCli(['sync', '--all'], { cwd: repo, env: syncEnv(port.url) })).code).toBe(0);

    // Only the README that payments-service pulls in with $text changes.
    writeFiles(repo, { 'services/payments/README.md': '# Payments service\n\nNow with refunds.\n' });
    commit(repo, 'readme');
    const readme = await runCli(['sync', '--base', 'HEAD~1', '--format', 'json'], {
      cwd: repo,
      env: syncEnv(port.url),
    });
    expect(readme.code).toBe(0);
    expect(pushed(readme)).toEqual(['upsert component/payments-service']);
    expect(byKey(port).get('component/payments-service')?.properties.description).toBe(
      '# Payments service\n\nNow with refunds.\n',
    );

    // One document of three edited, and another removed.
    const path = join(repo, 'services/payments/catalog-info.yaml');
    const documents = readFileSync(path, 'utf8').split('\n---\n');
    writeFileSync(
      path,
      `${[documents[0], documents[1]!.replace('Charge, refund and capture.', 'Charge and refund.')].join('\n---\n')}\n`,
    );
    commit(repo, 'edit the API, drop the database');
    const edit = await runCli(['sync', '--base', 'HEAD~1', '--delete-removed', '--format', 'json'], {
      cwd: repo,
      env: syncEnv(port.url),
    });
    expect(edit.code).toBe(0);
    expect(pushed(edit)).toEqual(['delete resource/payments-db', 'upsert API/payments-api']);
    expect(byKey(port).has('resource/payments-db')).toBe(false);
    expect(byKey(port).get('API/payments-api')?.properties.description).toBe('Charge and refund.');
  });

  it('follows a custom mapping: other blueprints, annotations, $yaml into an object property, identifiers qualified by namespace', async () => {
    // The README's example mapping.
    const config = {
      blueprintsDir: '.port/blueprints',
      backstage: {
        identifier: 'namespace/name',
        kinds: {
          Component: {
            blueprint: 'service',
            properties: {
              language: 'metadata.annotations["acme.io/language"]',
              lifecycle: 'spec.lifecycle',
              tags: 'metadata.tags',
              runbook: 'spec.runbook',
            },
            relations: { domain: 'spec.domain', dependsOn: { from: 'spec.dependsOn', kind: 'Component' } },
          },
          Domain: { blueprint: 'domain', properties: { description: 'metadata.description' } },
          Location: null,
        },
      },
    };
    const repo = makeRepo({
      'port-gitops.config.json': JSON.stringify(config),
      'catalog-info.yaml': ['shop', 'outlet']
        .map(
          (name) =>
            `apiVersion: backstage.io/v1alpha1\nkind: Domain\nmetadata:\n  name: ${name}\n  namespace: retail\n  description: The ${name}\n`,
        )
        .join('---\n'),
      'cart/catalog-info.yaml': [
        'apiVersion: backstage.io/v1alpha1',
        'kind: Component',
        'metadata:',
        '  name: cart',
        '  namespace: retail',
        '  annotations:',
        '    acme.io/language: go',
        'spec:',
        '  lifecycle: production',
        '  domain: shop',
        '  runbook:',
        '    $yaml: ./runbook.yaml',
        '',
      ].join('\n'),
      'cart/runbook.yaml': 'steps:\n  - restart the pods\n  - page the owner\n',
    });
    cpSync(EXAMPLE_BLUEPRINTS, join(repo, '.port/blueprints'), { recursive: true });
    const port = await emulator();
    const sync = await runCli(['sync', '--all'], { cwd: repo, env: syncEnv(port.url) });
    expect(sync.stderr).toBe('');
    expect(sync.code).toBe(0);
    expect(byKey(port).get('service/retail/cart')).toMatchObject({
      properties: {
        language: 'go',
        lifecycle: 'production',
        runbook: { steps: ['restart the pods', 'page the owner'] },
      },
    });
    // spec.dependsOn is absent: its relation is left out, not cleared.
    expect(byKey(port).get('service/retail/cart')?.relations).toEqual({ domain: 'retail/shop' });
    expect(byKey(port).get('domain/retail/shop')?.properties).toEqual({ description: 'The shop' });

    // A changed-only run finds the new relation target in a file it did not load, although that
    // file writes the name without its namespace.
    writeFiles(repo, {
      'cart/catalog-info.yaml': readFileSync(join(repo, 'cart/catalog-info.yaml'), 'utf8').replace(
        'domain: shop',
        'domain: outlet',
      ),
    });
    commit(repo, 'move the cart to the outlet');
    const check = await runCli(['check', '--base', 'HEAD~1', '--strict-relations', '--format', 'json'], { cwd: repo });
    expect(report(check.stdout).errors).toEqual([]);
    expect(check.code).toBe(0);
  });

  it('refuses a mapping it cannot follow, naming the key, line and column', async () => {
    const repo = makeRepo({
      'port-gitops.config.json':
        '{\n  "backstage": {\n    "kinds": {\n      "Component": { "blueprint": "service", "properties": { "lifecycle": "spec..lifecycle" } }\n    }\n  }\n}\n',
      'catalog-info.yaml': 'kind: Component\nmetadata:\n  name: a\n',
    });
    const run = await runCli(['check', '--all'], { cwd: repo });
    expect(run.code).toBe(3);
    expect(run.stderr).toContain(
      'port-gitops.config.json:4:75: "backstage.kinds.Component.properties.lifecycle" must match pattern',
    );
  });
});
