import { type PushResult, buildReport, exitCodeOf, planUpserts, push, withoutPushing } from '@port-gitops/core';
import { PortClient } from '@port-gitops/port-client';
import type { Output } from '../output.js';
import { discoverAndValidate, type SelectionArgs } from '../pipeline.js';
import { type Region, requireCredentials, resolveBaseUrl } from '../target.js';
import { VERSION } from '../version.js';
import { emitReport, type ReportFlags } from './report-output.js';

export type SyncArgs = SelectionArgs &
  ReportFlags & {
    dryRun: boolean;
    partial: boolean;
    concurrency?: number;
    baseUrl?: string;
    region?: Region;
  };

/**
 * select → load → validate → plan → push → report. Invalid files are never pushed; with
 * `--no-partial` nothing is pushed while any file is invalid.
 */
export async function runSync(args: SyncArgs, output: Output, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const startedAtMs = performance.now();
  const loaded = await discoverAndValidate(args);
  const operations = planUpserts(loaded.validation.valid);

  let pushed: PushResult[];
  let authFailure: string | undefined;
  if (args.dryRun) {
    pushed = withoutPushing(operations, 'planned');
  } else if (!args.partial && loaded.validation.invalidFiles.size > 0) {
    pushed = withoutPushing(operations, 'skipped');
    if (args.format === 'text') output.err(`--no-partial: ${loaded.validation.invalidFiles.size} invalid file(s), so nothing was pushed`);
  } else {
    const credentials = requireCredentials(env, 'sync');
    if ('clientSecret' in credentials) output.addSecret(credentials.clientSecret);
    else output.addSecret(credentials.accessToken);
    const client = new PortClient({
      baseUrl: resolveBaseUrl(args, loaded.config.port.baseUrl, env),
      credentials,
      userAgent: `port-gitops/${VERSION} (repo/${loaded.repository.id})`,
      concurrency: args.concurrency ?? loaded.config.port.concurrency,
      timeoutMs: loaded.config.port.timeoutMs,
      maxRetries: loaded.config.port.maxRetries,
    });
    // Refused credentials end the run before anything is written (exit 3).
    await client.authenticate();
    pushed = await push(operations, {
      upsertEntities: (blueprint, entities) => client.upsertEntities(blueprint, entities),
    });
    const refused = pushed.find((r) => r.error?.status === 401);
    if (refused) authFailure = refused.error?.message;
  }

  const report = buildReport({ command: 'sync', selection: loaded.selection, dryRun: args.dryRun, files: loaded.files, validation: loaded.validation, pushed, startedAtMs });
  emitReport(report, output, args);
  if (authFailure) {
    output.err(`error: Port refused the credentials during the push: ${authFailure}`);
    return 3;
  }
  return exitCodeOf(report);
}

