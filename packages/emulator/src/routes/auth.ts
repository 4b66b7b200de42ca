import { ApiError } from '../api-error.js';
import type { EmulatorOptions } from '../options.js';
import { type Route, route } from '../router.js';
import type { Tokens } from '../tokens.js';

/** `POST /v1/auth/access_token` (its body checked by the route's schema); any credentials unless restricted. */
export function authRoutes(tokens: Tokens, options: EmulatorOptions): Route[] {
  return [
    route('POST', '/v1/auth/access_token', false, (ctx) => {
      const body = ctx.body as { clientId: string; clientSecret: string };
      const restricted = options.clientId !== undefined && options.clientSecret !== undefined;
      if (restricted && (body.clientId !== options.clientId || body.clientSecret !== options.clientSecret)) {
        throw new ApiError('unauthorized', 'invalid client credentials');
      }
      return { status: 200, body: { ok: true, ...tokens.issue(body.clientId), tokenType: 'Bearer' } };
    }),
  ];
}
