// Generates a synthetic monorepo for benchmarks: services with entity files among filler files, a
// shared schema, blueprints, and a git history whose last commit is a known change set.
//
//   node scripts/generate-monorepo.mjs --out DIR [--files 200000] [--entities 10000] [--changed 10]
//
// The last commit modifies `changed` entity files, so `--base HEAD~1` selects exactly those.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

export function generateMonorepo({ out, files = 200_000, entities = 10_000, changed = 10 }) {
  const stamp = join(out, '.generated.json');
  const wanted = JSON.stringify({ files, entities, changed, version: 3 });
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === wanted) return out;
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });

  const languages = ['typescript', 'go', 'python', 'java', 'kotlin', 'rust'];
  const teams = ['payments', 'search', 'platform', 'identity', 'growth', 'data'];
  const fillerPerService = Math.max(0, Math.floor((files - entities) / entities));
  const write = (path, text) => {
    mkdirSync(join(out, path, '..'), { recursive: true });
    writeFileSync(join(out, path), text);
  };

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
          },
          required: ['language'],
        },
        relations: { dependsOn: { target: 'service', required: false, many: true } },
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

  const entityText = (i, revision) => {
    const team = teams[i % teams.length];
    return [
      `identifier: svc-${i}`,
      'blueprint: service',
      `title: Service ${i}`,
      `team: ${team}`,
      'properties:',
      `  language: ${languages[i % languages.length]}`,
      `  tier: ${1 + (i % 3)}`,
      `  url: https://svc-${i}.example.com`,
      `  revision: ${revision}`,
      'relations:',
      `  dependsOn: [svc-${(i + 1) % entities}]`,
      '',
    ].join('\n');
  };
  for (let i = 0; i < entities; i++) {
    const dir = `services/${teams[i % teams.length]}/svc-${i}`;
    write(`${dir}/port.yml`, entityText(i, 1));
    for (let f = 0; f < fillerPerService; f++)
      write(`${dir}/src/module-${f}.ts`, `export const value${f} = ${i * 1000 + f};\n`);
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
  // The known change set: `changed` entity files, spread across the tree.
  for (let k = 0; k < changed; k++) {
    const i = Math.floor((k * entities) / changed);
    write(`services/${teams[i % teams.length]}/svc-${i}/port.yml`, entityText(i, 2));
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
