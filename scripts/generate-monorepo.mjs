// Generates a synthetic monorepo for benchmarks: services with entity files among filler files, a
// shared schema, blueprints, and a git history with known changes to compare.
//
//   node scripts/generate-monorepo.mjs --out DIR [--files 200000] [--entities 10000] [--changed 10]
//
// Shapes that cost a changed-only run something beyond the changed files themselves:
// - most services relate to one system (`core-platform`), which one file defines; of the others, 1, 100
//   and 1,000 relate to the systems `sys-1`, `sys-100` and `sys-1000`;
// - one service in 50 pulls in the same runbook (`common/runbook.md`) with file://;
// - every service depends on the next one (a chain), so deleting one leaves a relation behind;
// - a folder of 20 entity files (`groups/platform/`).
// History: `main` is the base commit and then a commit that edits `changed` entity files, so that
// `--base HEAD~1` selects exactly those. Branches off the base commit hold one change each:
// `shape/new-service` (a new service relating to the popular system), `shape/runbook` (the shared
// runbook edited), `shape/delete` (one service removed, another still depends on it), `shape/rename`
// (the folder of 20 renamed), `shape/target-N` (a new service relating to the system N services relate
// to, for N = 1, 100, 1,000), `shape/several-targets` (a new service relating to four entities other
// files define), `shape/delete-popular` (the system 1,000 services relate to removed) and
// `shape/rename-popular` (that system's identifier changed), `shape/code-only` (source files of 10
// services edited, no entity file: the most common pull request), `shape/service-with-code` (a new
// service and its source files, relating to the system 100 services relate to) and
// `shape/delete-with-code` (the service of `shape/delete` removed with its folder). The work tree is
// left on `main`.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const GROUP_FILES = 20;
const RUNBOOK_EVERY = 50;

export function generateMonorepo({ out, files = 200_000, entities = 10_000, changed = 10 }) {
  const stamp = join(out, '.generated.json');
  const wanted = JSON.stringify({ files, entities, changed, version: 7 });
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === wanted) return out;
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });

  const languages = ['typescript', 'go', 'python', 'java', 'kotlin', 'rust'];
  const teams = ['payments', 'search', 'platform', 'identity', 'growth', 'data'];
  const services = entities - GROUP_FILES - 1;
  const fillerPerService = Math.max(0, Math.floor((files - entities) / services));
  const write = (path, text) => {
    mkdirSync(join(out, path, '..'), { recursive: true });
    writeFileSync(join(out, path), text);
  };

  write(
    '.port/blueprints/system.json',
    JSON.stringify({ identifier: 'system', title: 'System', schema: { properties: {} }, relations: {} }, null, 2),
  );
  write(
    '.port/blueprints/service.json',
    JSON.stringify(
      {
        identifier: 'service',
        title: 'Service',
        schema: {
          properties: {
            language: { type: 'string', enum: languages },
            tier: { type: 'number', enum: [1, 2, 3] },
            url: { type: 'string', format: 'url' },
            revision: { type: 'number' },
            runbook: { type: 'string' },
          },
          required: ['language'],
        },
        relations: {
          dependsOn: { target: 'service', required: false, many: true },
          system: { target: 'system', required: false, many: false },
        },
      },
      null,
      2,
    ),
  );
  // Port's teams as `teams pull` saves them: check refuses a team that is not there.
  write(
    '.port/teams.json',
    JSON.stringify({ teams: teams.map((identifier) => ({ identifier, title: identifier })) }, null, 2),
  );
  write('schemas/entity.schema.json', JSON.stringify({ type: 'object', required: ['identifier', 'title'] }));
  write('port-gitops.config.json', JSON.stringify({ schema: 'schemas/entity.schema.json' }, null, 2));
  write('.gitignore', 'dist/\n');
  write('common/runbook.md', '# Runbook\n\nPage the on-call engineer.\n');
  const system = (identifier) => `identifier: ${identifier}\nblueprint: system\ntitle: System ${identifier}\n`;
  write('systems/core-platform/port.yml', system('core-platform'));
  // Systems as popular as the bench's shapes ask: the k-th service of those without core-platform
  // (every fifth) relates to sys-1 for k = 0, to sys-100 for the next 100, to sys-1000 for the next 1,000.
  const POPULARITY = [1, 100, 1_000];
  for (const n of POPULARITY) write(`systems/sys-${n}/port.yml`, system(`sys-${n}`));
  const systemOf = (i) => {
    if (i % 5 !== 0) return 'core-platform';
    let k = i / 5;
    for (const n of POPULARITY) {
      if (k < n) return `sys-${n}`;
      k -= n;
    }
    return undefined;
  };

  const serviceText = (i, revision, extra = {}) => {
    const team = teams[i % teams.length];
    const lines = [
      `identifier: svc-${i}`,
      'blueprint: service',
      `title: Service ${i}`,
      `team: ${team}`,
      'properties:',
      `  language: ${languages[i % languages.length]}`,
      `  tier: ${1 + (i % 3)}`,
      `  url: https://svc-${i}.example.com`,
      `  revision: ${revision}`,
    ];
    if (i % RUNBOOK_EVERY === 0) lines.push('  runbook: file://../../../common/runbook.md');
    lines.push('relations:', `  dependsOn: [svc-${extra.dependsOn ?? (i + 1) % services}]`);
    const relatedSystem = extra.system ?? systemOf(i);
    if (relatedSystem) lines.push(`  system: ${relatedSystem}`);
    return `${lines.join('\n')}\n`;
  };
  const servicePath = (i) => `services/${teams[i % teams.length]}/svc-${i}/port.yml`;
  for (let i = 0; i < services; i++) {
    write(servicePath(i), serviceText(i, 1));
    const dir = servicePath(i).replace(/\/port\.yml$/, '');
    for (let f = 0; f < fillerPerService; f++)
      write(`${dir}/src/module-${f}.ts`, `export const value${f} = ${i * 1000 + f};\n`);
  }
  for (let g = 0; g < GROUP_FILES; g++) {
    write(
      `groups/platform/g-${g}.port.yml`,
      `identifier: grp-${g}\nblueprint: service\ntitle: Group service ${g}\nproperties:\n  language: go\n`,
    );
  }

  const git = (...args) =>
    execFileSync('git', args, {
      cwd: out,
      stdio: ['ignore', 'ignore', 'inherit'],
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: 'bench',
        GIT_AUTHOR_EMAIL: 'b@example.com',
        GIT_COMMITTER_NAME: 'bench',
        GIT_COMMITTER_EMAIL: 'b@example.com',
      },
    });
  git('init', '-q', '-b', 'main');
  // No automatic repacking: a background `git gc` would disturb the measurements that follow.
  git('config', 'gc.auto', '0');
  git('config', 'maintenance.auto', 'false');
  git('add', '-A');
  git('commit', '-q', '-m', 'monorepo');

  const shape = (name, change) => {
    git('checkout', '-q', '-b', `shape/${name}`, 'main');
    change();
    git('add', '-A');
    git('commit', '-q', '-m', name);
    git('checkout', '-q', 'main');
  };
  const popular = 7; // relates to core-platform (7 % 5 !== 0)
  shape('new-service', () =>
    write('services/payments/svc-new/port.yml', serviceText(popular, 1).replaceAll(`svc-${popular}`, 'svc-new')),
  );
  shape('runbook', () => write('common/runbook.md', '# Runbook\n\nPage the on-call engineer, then the lead.\n'));
  const deleted = Math.floor(services / 2);
  shape('delete', () => rmSync(join(out, servicePath(deleted))));
  shape('rename', () => git('mv', 'groups/platform', 'groups/platform-core'));
  const newService = (name, system) =>
    write(`services/payments/${name}/port.yml`, serviceText(popular, 1, { system }).replaceAll(`svc-${popular}`, name));
  for (const n of POPULARITY) shape(`target-${n}`, () => newService(`svc-new-${n}`, `sys-${n}`));
  shape('several-targets', () => {
    const others = [11, Math.floor(services / 3), Math.floor((2 * services) / 3)].map((i) => `svc-${i}`);
    const text = serviceText(popular, 1, { system: 'sys-100' }).replaceAll(`svc-${popular}`, 'svc-several');
    write('services/payments/svc-several/port.yml', text.replace(/dependsOn: \[.*\]/, `dependsOn: [${others}]`));
  });
  shape('delete-popular', () => rmSync(join(out, 'systems/sys-1000/port.yml')));
  shape('rename-popular', () => write('systems/sys-1000/port.yml', system('sys-1000-renamed')));
  if (fillerPerService > 0) {
    shape('service-with-code', () => {
      newService('svc-new-code', 'sys-100');
      for (let f = 0; f < 5; f++)
        write(`services/payments/svc-new-code/src/module-${f}.ts`, `export const value${f} = ${f};\n`);
    });
    shape('delete-with-code', () =>
      rmSync(join(out, servicePath(deleted).replace(/\/port\.yml$/, '')), { recursive: true }),
    );
    shape('code-only', () => {
      for (let k = 0; k < changed; k++) {
        const dir = servicePath(Math.floor(((k + 0.5) * services) / changed)).replace(/\/port\.yml$/, '');
        write(`${dir}/src/module-0.ts`, `export const value0 = ${k};\n`);
      }
    });
  }

  // The known change set on main: `changed` entity files, spread across the tree.
  for (let k = 0; k < changed; k++) {
    const i = Math.floor((k * services) / changed);
    write(servicePath(i), serviceText(i, 2));
  }
  git('commit', '-q', '-am', 'change');
  writeFileSync(stamp, wanted);
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      out: { type: 'string' },
      files: { type: 'string' },
      entities: { type: 'string' },
      changed: { type: 'string' },
    },
  });
  if (!values.out) throw new Error('--out DIR is required');
  const started = Date.now();
  generateMonorepo({
    out: values.out,
    files: Number(values.files ?? 200_000),
    entities: Number(values.entities ?? 10_000),
    changed: Number(values.changed ?? 10),
  });
  console.log(`generated ${values.out} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
