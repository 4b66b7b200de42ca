import { type Config, type RepositoryInfo, repositoryId } from '@port-gitops/core';
import { PortClient } from '@port-gitops/port-client';
import type { Output } from './output.js';
import { type Region, requireCredentials, resolveBaseUrl } from './target.js';
import { VERSION } from './version.js';

export interface TargetFlags {
  baseUrl?: string;
  region?: Region;
  concurrency?: number;
}

/**
 * The Port client of a command that talks to Port: credentials from the environment (and from then
 * on never printed), the target from flags, environment and config, and the User-Agent that Port
 * records as `$datasource`.
 */
export async function connectToPort(
  command: string,
  flags: TargetFlags,
  context: { config: Config; repository: RepositoryInfo },
  output: Output,
  env: NodeJS.ProcessEnv,
): Promise<PortClient> {
  const credentials = requireCredentials(env, command);
  output.addSecret('clientSecret' in credentials ? credentials.clientSecret : credentials.accessToken);
  const { port } = context.config;
  return new PortClient({
    baseUrl: resolveBaseUrl(flags, port.baseUrl, env),
    credentials,
    userAgent: `port-gitops/${VERSION} (repo/${await repositoryId(context.repository, env)})`,
    concurrency: flags.concurrency ?? port.concurrency,
    timeoutMs: port.timeoutMs,
    maxRetries: port.maxRetries,
  });
}
