import { repositoryId } from '../git/index.js';
import { type UpsertOperation, planUpserts } from '../plan/index.js';
import type { PreparedRun } from './prepare.js';

/**
 * The upserts of a run: the valid entities (of a changed-only run, those that changed), with their
 * origin written into the config's `provenance` property when it names one.
 */
export async function plannedUpserts(run: PreparedRun): Promise<UpsertOperation[]> {
  const { changes, validation, config, repository } = run;
  const entities = changes ? validation.valid.filter((entity) => changes.changed.has(entity)) : validation.valid;
  const provenance = config.provenance
    ? {
        property: config.provenance.property,
        commit: repository.head,
        repository: await repositoryId(repository, run.env),
      }
    : undefined;
  return planUpserts(entities, provenance);
}
