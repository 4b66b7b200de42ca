// Two equivalent catalogs for the Backstage benchmark, each a git repository: `backstage/`, with a
// catalog-info.yaml per service (a Component and its API, the description pulled in with $text)
// and the organisation in one file (groups, systems, resources), read through the default mapping;
// and `native/`, the same entities written as port.yml files (file:// for the description).
// Generated once per size; kept in .bench/.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BLUEPRINTS = fileURLToPath(new URL('../examples/backstage/.port/blueprints', import.meta.url));
const GROUPS = 50;
const SYSTEMS = 20;
const RESOURCES = 100;

export function generateBackstageCatalogs({ out, services }) {
  if (existsSync(join(out, '.complete'))) return;
  rmSync(out, { recursive: true, force: true });
  const backstage = {};
  const native = {};
  const org = [];
  for (let g = 0; g < GROUPS; g++) {
    org.push(doc('Group', `team-${g}`, `  type: team\n  profile:\n    email: team-${g}@acme.example\n`));
    native[`org/team-${g}/port.yml`] = entity({
      identifier: `team-${g}`,
      blueprint: 'group',
      title: `team-${g}`,
      properties: { type: 'team', email: `team-${g}@acme.example` },
    });
  }
  for (let s = 0; s < SYSTEMS; s++) {
    org.push(doc('System', `sys-${s}`, `  owner: team-${s % GROUPS}\n`));
    native[`org/sys-${s}/port.yml`] = entity({
      identifier: `sys-${s}`,
      blueprint: 'system',
      title: `sys-${s}`,
      relations: { owningGroup: `team-${s % GROUPS}`, owningUser: null },
    });
  }
  for (let r = 0; r < RESOURCES; r++) {
    org.push(
      doc('Resource', `db-${r}`, `  type: database\n  owner: team-${r % GROUPS}\n  system: sys-${r % SYSTEMS}\n`),
    );
    native[`org/db-${r}/port.yml`] = entity({
      identifier: `db-${r}`,
      blueprint: 'resource',
      title: `db-${r}`,
      properties: { type: 'database' },
      relations: { owningGroup: `team-${r % GROUPS}`, owningUser: null, system: `sys-${r % SYSTEMS}` },
    });
  }
  backstage['org/catalog-info.yaml'] = org.join('---\n');

  for (let i = 0; i < services; i++) {
    const [team, system, db] = [`team-${i % GROUPS}`, `sys-${i % SYSTEMS}`, `db-${i % RESOURCES}`];
    const readme = `# s${i}\n\nService number ${i}, owned by ${team}.\n`;
    backstage[`services/s${i}/README.md`] = readme;
    native[`services/s${i}/README.md`] = readme;
    backstage[`services/s${i}/catalog-info.yaml`] =
      doc(
        'Component',
        `s${i}`,
        `  type: service\n  lifecycle: production\n  owner: ${team}\n  system: ${system}\n  providesApis: [s${i}-api]\n  dependsOn: [resource:${db}]\n`,
        `  description:\n    $text: ./README.md\n  tags: [java]\n  links:\n    - url: https://grafana.acme.example/d/s${i}\n      title: Dashboard\n  annotations:\n    github.com/project-slug: acme/s${i}\n`,
      ) +
      '---\n' +
      doc('API', `s${i}-api`, `  type: openapi\n  lifecycle: production\n  owner: ${team}\n  system: ${system}\n`);
    native[`services/s${i}/port.yml`] =
      entity({
        identifier: `s${i}`,
        blueprint: 'component',
        title: `s${i}`,
        properties: {
          description: 'file://./README.md',
          tags: ['java'],
          links: [`https://grafana.acme.example/d/s${i}`],
          annotations: { 'github.com/project-slug': `acme/s${i}` },
          type: 'service',
          lifecycle: 'production',
        },
        relations: {
          owningGroup: team,
          owningUser: null,
          system,
          providesApis: [`s${i}-api`],
          dependsOnComponent: [],
          dependsOnResource: [db],
        },
      }) +
      '---\n' +
      entity({
        identifier: `s${i}-api`,
        blueprint: 'API',
        title: `s${i}-api`,
        properties: { type: 'openapi', lifecycle: 'production' },
        relations: { owningGroup: team, owningUser: null, system },
      });
  }

  writeRepo(join(out, 'backstage'), {
    ...backstage,
    'port-gitops.config.json': JSON.stringify({ blueprintsDir: '.port/blueprints', backstage: {} }),
  });
  writeRepo(join(out, 'native'), {
    ...native,
    'port-gitops.config.json': JSON.stringify({ blueprintsDir: '.port/blueprints' }),
  });
  writeFileSync(join(out, '.complete'), '');
}

function doc(kind, name, spec, metadata = '') {
  return `apiVersion: backstage.io/v1alpha1\nkind: ${kind}\nmetadata:\n  name: ${name}\n${metadata}spec:\n${spec}`;
}

/** One entity as a YAML document (JSON is YAML). */
function entity(value) {
  return `${JSON.stringify(value)}\n`;
}

function writeRepo(dir, files) {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  cpSync(BLUEPRINTS, join(dir, '.port/blueprints'), { recursive: true });
  const git = (...args) =>
    execFileSync('git', args, {
      cwd: dir,
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: 'bench',
        GIT_AUTHOR_EMAIL: 'bench@example.com',
        GIT_COMMITTER_NAME: 'bench',
        GIT_COMMITTER_EMAIL: 'bench@example.com',
      },
    });
  git('init', '-q', '-b', 'main');
  git('config', 'gc.auto', '0');
  git('add', '-A');
  git('commit', '-q', '-m', 'catalog');
}
