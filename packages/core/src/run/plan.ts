import { compareOperations, planDeletes, readLive } from '../plan/index.js';
import type { PortConnector } from '../port.js';
import { type Report, buildReport } from '../report/index.js';
import { connect } from './connect.js';
import type { RunOptions } from './options.js';
import { readManagedBlueprints } from './managed-blueprints.js';
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
  const managed = await readManagedBlueprints(run, port, true);
  // A blueprint the sync would create has no entities to read: each of its entities is a creation.
  const created = new Set(managed?.filter((b) => b.live === undefined).map((b) => b.identifier));
  const existing = operations.filter((operation) => !created.has(operation.blueprint));
  const live = existing.length > 0 ? await readLive(port, existing) : new Map();
  const planned = compareOperations(operations, live, run.config.provenance?.property);
  return buildReport({
    command: 'plan',
    selection: run.selection,
    dryRun: true,
    files: run.files,
    validation: run.validation,
    changes: run.changes,
    pushed: planned,
    ...(managed ? { blueprints: managed.flatMap((b) => b.changes) } : {}),
    startedAtMs: run.startedAtMs,
  });
}
