import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { ApiError } from './api-error.js';

interface Token {
  value: string;
  clientId: string;
  expiresAtMs: number;
}

/** Access tokens: one active token per credential set, as Port hands them out. */
export class Tokens {
  private readonly byValue = new Map<string, Token>();
  private readonly byClient = new Map<string, Token>();
  constructor(private readonly ttlMs: number) {}

  /** Asking again while a token is valid returns the same token, with less time left. */
  issue(clientId: string): { accessToken: string; expiresIn: number } {
    const now = Date.now();
    let token = this.byClient.get(clientId);
    if (!token || token.expiresAtMs <= now) {
      if (token) this.byValue.delete(token.value);
      token = { value: `emu.${randomBytes(24).toString('base64url')}`, clientId, expiresAtMs: now + this.ttlMs };
      this.byValue.set(token.value, token);
      this.byClient.set(clientId, token);
    }
    return { accessToken: token.value, expiresIn: Math.max(0, Math.floor((token.expiresAtMs - now) / 1000)) };
  }

  /** The client id behind a request's bearer token; 401 when there is none or it expired. */
  authenticate(req: IncomingMessage): string {
    const header = req.headers.authorization ?? '';
    const value = header.startsWith('Bearer ') ? header.slice('Bearer '.length) : '';
    const token = this.byValue.get(value);
    if (!token) throw new ApiError('unauthorized', 'missing or invalid access token');
    if (token.expiresAtMs <= Date.now()) throw new ApiError('unauthorized', 'the access token has expired');
    return token.clientId;
  }
}
