import type { PortCredentials } from '@port-gitops/port-client';
import { checkBaseUrl } from '@port-gitops/port-client/errors';
import { FatalError } from '@port-gitops/core/outcome';

/** Port's API hosts by region (docs/port-fidelity.md); EU is the default. */
export const REGION_BASE_URLS = { eu: 'https://api.port.io', us: 'https://api.us.port.io' } as const;
export type Region = keyof typeof REGION_BASE_URLS;

/**
 * `--base-url`, then `PORT_BASE_URL`, then the config's `port.baseUrl`, then `--region`; checked before any
 * request (https, or http to loopback; no credentials in it), and an error names where it came from.
 */
export function resolveBaseUrl(
  flags: { baseUrl?: string; region?: Region },
  configBaseUrl: string | undefined,
  env: NodeJS.ProcessEnv,
): string {
  const [url, source] =
    flags.baseUrl !== undefined
      ? [flags.baseUrl, '--base-url']
      : env.PORT_BASE_URL !== undefined
        ? [env.PORT_BASE_URL, 'PORT_BASE_URL']
        : configBaseUrl !== undefined
          ? [configBaseUrl, "the config's port.baseUrl"]
          : [REGION_BASE_URLS[flags.region ?? 'eu'], '--region'];
  try {
    checkBaseUrl(url);
  } catch (error) {
    throw new FatalError('usage', `${source}: ${(error as Error).message}`);
  }
  return url;
}

/** Credentials from the environment only: flags would leave them in shell history and process lists. */
function readCredentials(env: NodeJS.ProcessEnv): PortCredentials | undefined {
  if (env.PORT_CLIENT_ID && env.PORT_CLIENT_SECRET)
    return { clientId: env.PORT_CLIENT_ID, clientSecret: env.PORT_CLIENT_SECRET };
  if (env.PORT_ACCESS_TOKEN) return { accessToken: env.PORT_ACCESS_TOKEN };
  return undefined;
}

export function requireCredentials(env: NodeJS.ProcessEnv, command: string): PortCredentials {
  const credentials = readCredentials(env);
  if (!credentials) {
    throw new FatalError(
      'auth',
      `${command} needs Port credentials`,
      'set PORT_CLIENT_ID and PORT_CLIENT_SECRET (or PORT_ACCESS_TOKEN) in the environment, or use --dry-run',
    );
  }
  return credentials;
}
