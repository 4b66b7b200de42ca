import { repositoryId } from '../git/index.js';
import type { PortApi, PortConnector } from '../port.js';
import type { PreparedRun } from './prepare.js';

/** Connects once the run knows its config and repository. */
export async function connect(run: PreparedRun, connector: PortConnector): Promise<PortApi> {
  return connector({ settings: run.config.port, repositoryId: await repositoryId(run.repository, run.env) });
}
