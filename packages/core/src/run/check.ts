import type { LoadedEntity, LoadedFile, Problem } from '../model.js';
import type { PortApi, PortConnector } from '../port.js';
import { type Report, buildReport } from '../report/index.js';
import { decodePointer, encodePointer, place } from '../source/index.js';
import { withProblems } from '../validate/index.js';
import { connect } from './connect.js';
import type { RunOptions } from './options.js';
import { prepare } from './prepare.js';

export interface CheckOptions extends RunOptions {
  /** Also ask Port to validate the entities (`validation_only`); needs `connect`. */
  remote?: boolean;
}

/** discover → select → load → validate; needs no credentials unless `remote` asks Port too. */
export async function check(options: CheckOptions, connector?: PortConnector): Promise<Report> {
  const run = await prepare(options);
  let validation = run.validation;
  if (options.remote) {
    if (!connector) throw new TypeError('check: `remote` needs a Port connector');
    const port = await connect(run, connector);
    await port.authenticate();
    validation = withProblems(validation, run.files, await validateRemotely(run.files, validation.valid, port));
  }
  return buildReport({
    command: 'check',
    selection: run.selection,
    dryRun: false,
    files: run.files,
    validation,
    changes: run.changes,
    startedAtMs: run.startedAtMs,
  });
}

/**
 * Asks Port to validate the entities that passed the offline check, through the bulk route with
 * `validation_only=true`: nothing is written. Port's answer becomes a problem on the entity, on the
 * property it names when its message starts with one (`"properties.tier" must be number`).
 */
async function validateRemotely(files: LoadedFile[], valid: LoadedEntity[], port: PortApi): Promise<Problem[]> {
  const byBlueprint = new Map<string, LoadedEntity[]>();
  for (const entity of valid) {
    const group = byBlueprint.get(entity.blueprint!);
    if (group) group.push(entity);
    else byBlueprint.set(entity.blueprint!, [entity]);
  }
  const fileOf = new Map<string, LoadedFile>(files.map((file) => [file.path, file]));
  const problems: Problem[] = [];
  await Promise.all(
    [...byBlueprint].map(async ([blueprint, entities]) => {
      const bodies = entities.map(({ data: { blueprint: _blueprint, ...body } }) => body as { identifier: string });
      const results = await port.upsertEntities(blueprint, bodies, { validationOnly: true });
      results.forEach((result, i) => {
        if (result.ok) return;
        const entity = entities[i]!;
        const named = /^"([^"]+)"/.exec(result.message)?.[1];
        const pointer =
          entity.pointer + (named && /^(properties|relations)\./.test(named) ? encodePointer(named.split('.')) : '');
        const where = place(fileOf.get(entity.file)!.locator, pointer, { key: decodePointer(pointer).length > 0 });
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
