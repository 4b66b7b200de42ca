import { ApiError } from '../api-error.js';
import type { EmulatorOptions } from '../options.js';
import { type Route, route } from '../router.js';
import type { Tokens } from '../tokens.js';

/** `POST /v1/auth/access_token`: `{clientId, clientSecret}` and nothing else; any credentials unless restricted. */
export function authRoutes(tokens: Tokens, options: EmulatorOptions): Route[] {
  return [
    route('POST', '/v1/auth/access_token', false, (ctx) => {
      const body = ctx.body as Record<string, unknown> | undefined;
      const keys = body && typeof body === 'object' ? Object.keys(body) : [];
      if (
        typeof body?.clientId !== 'string' ||
        typeof body?.clientSecret !== 'string' ||
        keys.some((k) => k !== 'clientId' && k !== 'clientSecret')
      ) {
        throw new ApiError(422, 'body must have required properties clientId and clientSecret, and no others');
      }
      const restricted = options.clientId !== undefined && options.clientSecret !== undefined;
      if (restricted && (body.clientId !== options.clientId || body.clientSecret !== options.clientSecret)) {
        throw new ApiError(401, 'Invalid client credentials');
      }
      return { status: 200, body: { ok: true, ...tokens.issue(body.clientId), tokenType: 'Bearer' } };
    }),
  ];
}
