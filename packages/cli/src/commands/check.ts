import {
  type LoadedFile,
  type Problem,
  buildReport,
  decodePointer,
  encodePointer,
  exitCodeOf,
  place,
  withProblems,
} from '@port-gitops/core';
import type { Output } from '../output.js';
import { type Loaded, discoverAndValidate, type SelectionArgs } from '../pipeline.js';
import type { Region } from '../target.js';
import { emitNotes, emitReport, type ReportFlags } from './report-output.js';

export type CheckArgs = SelectionArgs & ReportFlags & { remote: boolean; baseUrl?: string; region?: Region };

/** select → load → validate; needs no credentials, unless `--remote` asks Port too. */
export async function runCheck(args: CheckArgs, output: Output, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const startedAtMs = performance.now();
  const loaded = await discoverAndValidate(args, env);
  emitNotes(loaded.selection, output);
  const validation = args.remote
    ? withProblems(loaded.validation, loaded.files, await validateRemotely(loaded, args, output, env))
    : loaded.validation;
  const report = buildReport({
    command: 'check',
    selection: loaded.selection,
    dryRun: false,
    files: loaded.files,
    validation,
    changes: loaded.changes,
    startedAtMs,
  });
  emitReport(report, output, args, env);
  return exitCodeOf(report);
}

/**
 * Asks Port to validate the entities that passed the offline check, through the bulk route with
 * `validation_only=true`: nothing is written. Port's answer becomes a problem on the entity, on the
 * property it names when its message starts with one (`"properties.tier" must be number`).
 */
async function validateRemotely(
  loaded: Loaded,
  args: CheckArgs,
  output: Output,
  env: NodeJS.ProcessEnv,
): Promise<Problem[]> {
  // Loaded here: a plain check never needs the HTTP client.
  const { connectToPort } = await import('../port.js');
  const client = await connectToPort('check --remote', args, loaded, output, env);
  await client.authenticate();
  const byBlueprint = new Map<string, typeof loaded.validation.valid>();
  for (const entity of loaded.validation.valid)
    byBlueprint.set(entity.blueprint!, [...(byBlueprint.get(entity.blueprint!) ?? []), entity]);
  const locatorOf = new Map<string, LoadedFile>(loaded.files.map((file) => [file.path, file]));
  const problems: Problem[] = [];
  await Promise.all(
    [...byBlueprint].map(async ([blueprint, entities]) => {
      const bodies = entities.map(({ data: { blueprint: _blueprint, ...body } }) => body as { identifier: string });
      const results = await client.upsertEntities(blueprint, bodies, { validationOnly: true });
      results.forEach((result, i) => {
        if (result.ok) return;
        const entity = entities[i]!;
        const named = /^"([^"]+)"/.exec(result.message)?.[1];
        const pointer =
          entity.pointer + (named && /^(properties|relations)\./.test(named) ? encodePointer(named.split('.')) : '');
        const where = place(locatorOf.get(entity.file)!.locator, pointer, { key: decodePointer(pointer).length > 0 });
        problems.push({
          file: entity.file,
          ...where,
          code: 'remote',
          severity: 'error',
          rule: `port ${result.status}`,
          message: `Port rejects this entity: ${result.message}`,
        });
      });
    }),
  );
  return problems;
}
