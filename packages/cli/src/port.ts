import type { PortTarget } from '@port-gitops/core';
import { PortClient } from '@port-gitops/port-client';
import type { TargetFlags } from './commands/options.js';
import type { Output } from './output.js';
import { requireCredentials, resolveBaseUrl } from './target.js';
import { VERSION } from './version.js';

/**
 * The Port connector of a command that talks to Port: credentials from the environment (and from then
 * on never printed), the target from flags, environment and config, and the User-Agent that Port
 * records as `$datasource`. Credentials are asked for only when the run connects.
 */
export function portConnector(
  command: string,
  flags: TargetFlags,
  output: Output,
  env: NodeJS.ProcessEnv,
): (target: PortTarget) => PortClient {
  return ({ settings, repositoryId }) => {
    const credentials = requireCredentials(env, command);
    output.addSecret('clientSecret' in credentials ? credentials.clientSecret : credentials.accessToken);
    return new PortClient({
      baseUrl: resolveBaseUrl(flags, settings.baseUrl, env),
      credentials,
      userAgent: `port-gitops/${VERSION} (repo/${repositoryId})`,
      concurrency: flags.concurrency ?? settings.concurrency,
      timeoutMs: settings.timeoutMs,
      maxRetries: settings.maxRetries,
    });
  };
}
