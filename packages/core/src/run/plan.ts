import { compareOperations, planBlueprints, planDeletes, readLive } from '../plan/index.js';
import type { PortConnector } from '../port.js';
import { type Report, buildReport } from '../report/index.js';
import { connect } from './connect.js';
import type { RunOptions } from './options.js';
import { prepare } from './prepare.js';
import { plannedUpserts } from './upserts.js';

/**
 * What sync would do, read against the live entities: create, update (with the fields that change),
 * unchanged, delete; with `manageBlueprints`, what the repository's definitions would change in Port's
 * blueprints. Writes nothing; reads through `connector`.
 */
export async function plan(options: RunOptions, connector: PortConnector): Promise<Report> {
  const run = await prepare(options);
  const operations = [...(await plannedUpserts(run)), ...planDeletes(run.changes?.removed ?? [])];
  const port = await connect(run, connector);
  const { manageBlueprints, blueprintsDir } = run.config;
  const blueprints = manageBlueprints
    ? await planBlueprints(port, run.blueprints, manageBlueprints, blueprintsDir)
    : undefined;
  const live = operations.length > 0 ? await readLive(port, operations) : new Map();
  const planned = compareOperations(operations, live, run.config.provenance?.property);
  return buildReport({
    command: 'plan',
    selection: run.selection,
    dryRun: true,
    files: run.files,
    validation: run.validation,
    changes: run.changes,
    pushed: planned,
    ...(blueprints ? { blueprints } : {}),
    startedAtMs: run.startedAtMs,
  });
}
