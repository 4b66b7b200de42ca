import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { EXIT, FatalError } from '@port-gitops/core';
import {
  BLUEPRINT_CHANGE_CHOICES,
  type BlueprintChangeDecisions,
  EmulatorSetupError,
  type EmulatorOptions,
  startEmulator,
} from '@port-gitops/emulator';
import type { Output } from '../output.js';

export interface EmulatorArgs {
  host: string;
  port: number;
  blueprints?: string;
  data?: string;
  teams?: string;
  clientId?: string;
  clientSecret?: string;
  latencyMs?: number;
  errorRate?: number;
  writeErrorRate?: number;
  rateLimit?: string;
  resetRate?: number;
  tokenTtlS?: number;
  seed?: number;
  decide?: string[];
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|::1|\[::1\])$/;

/** Runs the emulator until SIGINT or SIGTERM; the first line on stdout says where it listens. */
export async function runEmulator(args: EmulatorArgs, output: Output): Promise<number> {
  if (!LOOPBACK.test(args.host)) {
    throw new FatalError(
      'usage',
      `the emulator listens on loopback only, not on ${args.host}`,
      'use --host 127.0.0.1 (the default) or ::1',
    );
  }
  output.addSecret(args.clientSecret);
  const options: EmulatorOptions = {
    host: args.host,
    port: args.port,
    ...(args.blueprints ? { blueprintsDir: resolve(args.blueprints) } : {}),
    ...(args.data ? { dataFile: resolve(args.data) } : {}),
    ...(args.teams ? { teams: readTeams(args.teams) } : {}),
    ...(args.clientId !== undefined ? { clientId: args.clientId } : {}),
    ...(args.clientSecret !== undefined ? { clientSecret: args.clientSecret } : {}),
    ...(args.latencyMs !== undefined ? { latencyMs: args.latencyMs } : {}),
    ...(args.errorRate !== undefined ? { errorRate: probability(args.errorRate, '--error-rate') } : {}),
    ...(args.writeErrorRate !== undefined
      ? { writeErrorRate: probability(args.writeErrorRate, '--write-error-rate') }
      : {}),
    ...(args.resetRate !== undefined ? { resetRate: probability(args.resetRate, '--reset-rate') } : {}),
    ...(args.rateLimit !== undefined
      ? { rateLimit: args.rateLimit === 'off' ? false : parseRateLimit(args.rateLimit) }
      : {}),
    ...(args.tokenTtlS !== undefined ? { tokenTtlSeconds: args.tokenTtlS } : {}),
    ...(args.seed !== undefined ? { seed: args.seed } : {}),
    ...(args.decide && args.decide.length > 0 ? { blueprintChanges: parseDecisions(args.decide) } : {}),
  };
  const emulator = await startEmulator(options).catch((error: unknown) => {
    if (error instanceof EmulatorSetupError) throw new FatalError('config', error.message);
    throw error;
  });
  output.out(`listening on ${emulator.url}`);
  const blueprints = emulator.store.listBlueprints().map((b) => b.identifier);
  output.err(`blueprints: ${blueprints.length > 0 ? blueprints.join(', ') : '(none: pass --blueprints DIR)'}`);
  await new Promise<void>((done) => {
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
  await emulator.close();
  return EXIT.ok;
}

/** The team names of a teams file as `teams pull` writes it: `{ "teams": [{ "identifier": ... }] }`. */
function readTeams(path: string): string[] {
  let teams: unknown;
  try {
    teams = (JSON.parse(readFileSync(resolve(path), 'utf8')) as { teams?: unknown }).teams;
  } catch (error) {
    throw new FatalError('usage', `--teams ${path}: ${(error as Error).message}`);
  }
  if (!Array.isArray(teams) || teams.some((team) => typeof team?.identifier !== 'string')) {
    throw new FatalError('usage', `--teams ${path} is not a teams file (it needs "teams": [{ "identifier": ... }])`);
  }
  return teams.map((team: { identifier: string }) => team.identifier);
}

function probability(value: number, flag: string): number {
  if (!(value >= 0 && value <= 1))
    throw new FatalError('usage', `${flag} takes a probability from 0 to 1, not ${value}`);
  return value;
}

/** `N/SECONDS`, e.g. `100/60`: at most 100 requests per 60-second window. */
export function parseRateLimit(text: string): { requests: number; windowSeconds: number } {
  const match = /^(\d+)\/(\d+(?:\.\d+)?)$/.exec(text.trim());
  if (!match || Number(match[1]) < 1 || Number(match[2]) <= 0) {
    throw new FatalError('usage', `--rate-limit takes N/SECONDS, e.g. 100/60, not "${text}"`);
  }
  return { requests: Number(match[1]), windowSeconds: Number(match[2]) };
}

/** `--decide NAME=CHOICE`: how the emulator meets a blueprint change no source of Port's settles. */
function parseDecisions(given: string[]): Partial<BlueprintChangeDecisions> {
  const decisions: Record<string, string> = {};
  const choices = BLUEPRINT_CHANGE_CHOICES as Record<string, string[]>;
  for (const item of given) {
    const at = item.indexOf('=');
    const [name, choice] = at < 0 ? [item, ''] : [item.slice(0, at), item.slice(at + 1)];
    if (!choices[name]?.includes(choice)) {
      throw new FatalError(
        'usage',
        `--decide takes NAME=CHOICE, not ${JSON.stringify(item)}`,
        Object.entries(choices)
          .map(([key, values]) => `${key}=${values.join('|')}`)
          .join(', '),
      );
    }
    decisions[name] = choice;
  }
  return decisions as Partial<BlueprintChangeDecisions>;
}
