import { repositoryId } from '../git/index.js';
import type { PortApi, PortConnector } from '../port.js';
import type { OpenedRun, PreparedRun } from './prepare.js';

/** Connects once the run knows its config and repository. */
export async function connect(run: PreparedRun, connector: PortConnector): Promise<PortApi> {
  return connector({ settings: run.config.port, repositoryId: await repositoryId(run.repository, run.env) });
}

/**
 * A connection, authenticated, started as soon as the config is known and awaited when the run needs it:
 * the token request (and the HTTP client's start) then overlaps reading and checking the files. A failure
 * (no credentials, refused ones) surfaces where the connection is awaited, as it would without the head start.
 */
export function connectAhead(run: OpenedRun, connector: PortConnector): () => Promise<PortApi> {
  const connection = (async () => {
    const port = await connector({
      settings: run.config.port,
      repositoryId: await repositoryId(run.repository, run.env),
    });
    await port.authenticate();
    return port;
  })();
  connection.catch(() => undefined); // awaited later; this only keeps an early failure from going unhandled
  return () => connection;
}
