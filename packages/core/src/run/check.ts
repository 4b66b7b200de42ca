import type { PortConnector } from '../port.js';
import { type Report, buildReport } from '../report/index.js';
import { connect } from './connect.js';
import type { RunOptions } from './options.js';
import { prepare } from './prepare.js';
import { validateRemotely } from './remote.js';

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
    validation = await validateRemotely(run.files, validation, run.blueprints, port);
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
