// The README demo (`npm run demo`): build port-gitops, start the local Port API emulator with the example
// blueprints, run `port-gitops sync --all` on examples/monorepo against it, then show what the emulator
// holds. The build's own log is shown only when it fails.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('..', import.meta.url));
const example = `${repo}examples/monorepo`;
const bin = `${repo}packages/cli/dist/port-gitops.mjs`;

console.log('port-gitops demo: sync the example monorepo (examples/monorepo) into a local Port API emulator\n');
process.stdout.write('building port-gitops (npm run build)… ');
const build = spawnSync('npm', ['run', 'build', '--silent'], {
  cwd: repo,
  encoding: 'utf8',
  env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1' },
});
if (build.status !== 0) {
  console.log('failed:\n');
  console.log(build.stdout + build.stderr);
  process.exit(1);
}
console.log('done');

// Loaded once built: the emulator is one of the packages the build makes.
const { startEmulator } = await import('@port-gitops/emulator');
const { teams } = JSON.parse(readFileSync(`${example}/.port/teams.json`, 'utf8'));
const emulator = await startEmulator({
  port: 0,
  blueprintsDir: `${example}/.port/blueprints`,
  teams: teams.map((team) => team.identifier),
});
console.log(`Port API emulator listening on ${emulator.url}, with the example's blueprints and teams\n`);
console.log('$ port-gitops sync --all --cwd examples/monorepo --verbose\n');

const credentials = { PORT_CLIENT_ID: 'demo-client', PORT_CLIENT_SECRET: randomBytes(16).toString('hex') };
const exitCode = await new Promise((resolve) => {
  const child = spawn(process.execPath, [bin, 'sync', '--all', '--cwd', example, '--verbose'], {
    env: { ...process.env, ...credentials, PORT_BASE_URL: emulator.url },
    stdio: 'inherit',
  });
  child.on('exit', (code) => resolve(code ?? 1));
});

// Read the result back through the API, as any Port client would.
const token = await fetch(`${emulator.url}/v1/auth/access_token`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ clientId: credentials.PORT_CLIENT_ID, clientSecret: credentials.PORT_CLIENT_SECRET }),
}).then((r) => r.json());
const get = (path) =>
  fetch(`${emulator.url}${path}`, { headers: { authorization: `Bearer ${token.accessToken}` } }).then((r) => r.json());

console.log('\nWhat the emulator now holds:');
const { blueprints } = await get('/v1/blueprints');
// Port's own blueprints (_user, _team) hold the teams the emulator started with, not what the sync wrote.
for (const blueprint of blueprints.filter((b) => !b.identifier.startsWith('_'))) {
  const { entities } = await get(`/v1/blueprints/${encodeURIComponent(blueprint.identifier)}/entities`);
  console.log(`\n  ${blueprint.identifier} (${entities.length})`);
  for (const entity of entities.sort((a, b) => a.identifier.localeCompare(b.identifier))) {
    const relations = Object.entries(entity.relations ?? {}).map(
      ([key, value]) => `${key}→${[value].flat().join(',')}`,
    );
    const properties = Object.keys(entity.properties ?? {});
    console.log(
      `    ${entity.identifier.padEnd(12)} ${String(entity.title ?? '').padEnd(16)} team=${(entity.team ?? []).join(',') || '-'}  ${properties.length} properties  ${relations.join(' ')}`,
    );
  }
}
await emulator.close();
process.exitCode = exitCode;
