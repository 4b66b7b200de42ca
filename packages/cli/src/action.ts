/**
 * The GitHub Action (action.yml, `runs: using: node24`): its inputs (`INPUT_*`) become port-gitops
 * flags, the command runs in this process with the job's environment (the base comes from the event;
 * annotations and the step summary from GITHUB_ACTIONS), and the report's counts become step outputs
 * in $GITHUB_OUTPUT. The bundle (dist/action.mjs) holds everything: nothing is installed or built when
 * a job runs it.
 */
import { appendFileSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { EXIT } from '@port-gitops/core';
import { main } from './main.js';

const COMMANDS = ['check', 'sync', 'plan', 'list'];

/** An input as the runner passes it: `INPUT_` and the name upper-cased, hyphens kept. */
function input(env: NodeJS.ProcessEnv, name: string): string {
  return (env[`INPUT_${name.toUpperCase()}`] ?? '').trim();
}

/** Runs the action; returns its exit code (the CLI's). */
async function runAction(env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const yes = (name: string) => input(env, name).toLowerCase() === 'true';
  const command = input(env, 'command') || 'check';
  if (!COMMANDS.includes(command)) {
    process.stdout.write(`::error title=port-gitops::the command input must be one of ${COMMANDS.join(', ')}\n`);
    return EXIT.fatal;
  }
  const report = join(mkdtempSync(join(env.RUNNER_TEMP || tmpdir(), 'port-gitops-')), 'report.json');
  const args = [command];
  if (yes('all')) args.push('--all');
  else if (input(env, 'base')) args.push('--base', input(env, 'base'));
  if (input(env, 'config')) args.push('--config', input(env, 'config'));
  if (command === 'sync' && yes('delete-removed')) args.push('--delete-removed');
  if (command === 'sync' && yes('allow-breaking')) args.push('--allow-breaking');
  if (command === 'sync' && yes('allow-destructive')) args.push('--allow-destructive');
  if (command !== 'list') args.push('--report', report);
  const markdown = join(dirname(report), 'plan.md');
  if (command === 'plan') args.push('--markdown', markdown);
  if (command === 'plan' && yes('comment')) args.push('--comment');
  args.push('--cwd', resolve(input(env, 'working-directory') || '.'));

  // Credentials come as inputs; an empty input leaves what the job's environment has.
  const credentials: Record<string, string> = {};
  for (const [name, variable] of [
    ['client-id', 'PORT_CLIENT_ID'],
    ['client-secret', 'PORT_CLIENT_SECRET'],
    ['base-url', 'PORT_BASE_URL'],
    ['github-token', 'GITHUB_TOKEN'],
  ] as const) {
    const value = input(env, name);
    if (value) credentials[variable] = value;
  }
  const code = await main(args, { ...env, ...credentials });

  const outputs: Record<string, string | number> = { 'exit-code': code };
  if (existsSync(report)) {
    const { summary } = JSON.parse(readFileSync(report, 'utf8')) as { summary: Record<string, number> };
    Object.assign(outputs, { report });
    if (existsSync(markdown)) outputs.plan = markdown;
    for (const key of ['files', 'entities', 'upserted', 'deleted', 'failed', 'invalid'])
      outputs[key] = summary[key] ?? 0;
  }
  if (env.GITHUB_OUTPUT) {
    appendFileSync(
      env.GITHUB_OUTPUT,
      Object.entries(outputs)
        .map(([key, value]) => `${key}=${value}\n`)
        .join(''),
    );
  }
  return code;
}

process.exitCode = await runAction();
