// The GitHub Action's entry point (action.yml): inputs (INPUT_*) to port-gitops flags, the CLI run with
// the job's environment (the base comes from the event, annotations and the step summary from
// GITHUB_ACTIONS), then the report's counts as step outputs in $GITHUB_OUTPUT. Exits with the CLI's code.
import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const COMMANDS = ['check', 'sync', 'plan', 'list'];
const cli = fileURLToPath(new URL('../packages/cli/dist/port-gitops.mjs', import.meta.url));
const input = (name) => (process.env[`INPUT_${name}`] ?? '').trim();
const yes = (name) => input(name).toLowerCase() === 'true';

const command = input('COMMAND') || 'check';
if (!COMMANDS.includes(command)) {
  console.log(`::error title=port-gitops::the command input must be one of ${COMMANDS.join(', ')}, not "${command}"`);
  process.exit(3);
}
const report = join(mkdtempSync(join(process.env.RUNNER_TEMP || tmpdir(), 'port-gitops-')), 'report.json');
const args = [command];
if (yes('ALL')) args.push('--all');
else if (input('BASE')) args.push('--base', input('BASE'));
if (input('CONFIG')) args.push('--config', input('CONFIG'));
if (command === 'sync' && yes('DELETE_REMOVED')) args.push('--delete-removed');
if (command !== 'list') args.push('--report', report);

// Empty inputs arrive as empty variables: drop them so that defaults apply.
const env = Object.fromEntries(
  Object.entries(process.env).filter(([key, value]) => !(key.startsWith('PORT_') && value === '')),
);
const code = await new Promise((done) => {
  const child = spawn(process.execPath, [cli, ...args], {
    cwd: resolve(input('WORKING_DIRECTORY') || '.'),
    env,
    stdio: 'inherit',
  });
  child.on('close', (exitCode) => done(exitCode ?? 3));
});

const outputs = { 'exit-code': code };
if (existsSync(report)) {
  const { summary } = JSON.parse(readFileSync(report, 'utf8'));
  Object.assign(outputs, {
    report,
    files: summary.files,
    entities: summary.entities,
    upserted: summary.upserted,
    deleted: summary.deleted,
    failed: summary.failed,
    invalid: summary.invalid,
  });
}
if (process.env.GITHUB_OUTPUT)
  appendFileSync(
    process.env.GITHUB_OUTPUT,
    Object.entries(outputs)
      .map(([key, value]) => `${key}=${value}\n`)
      .join(''),
  );
process.exit(code);
