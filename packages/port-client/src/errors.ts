import { isIPv4, isIPv6 } from 'node:net';

/** A failure answered by Port (or a transport failure, with status 0), after retries. */
export class PortApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly traceId: string | undefined;
  constructor(status: number, code: string, message: string, traceId?: string) {
    super(message);
    this.name = 'PortApiError';
    this.status = status;
    this.code = code;
    this.traceId = traceId;
  }
}

/** The credentials were refused: nothing can be pushed, whatever is retried. */
export class PortAuthError extends PortApiError {
  constructor(status: number, message: string, traceId?: string) {
    super(status, 'unauthorized', message, traceId);
    this.name = 'PortAuthError';
  }
}

/** A base URL the client will not send credentials to. */
export class InsecureBaseUrlError extends Error {
  constructor(baseUrl: string) {
    super(
      `refusing to send credentials over plain http to ${baseUrl}: use https, or a loopback address for a local emulator`,
    );
    this.name = 'InsecureBaseUrlError';
  }
}

/** A base URL that is not one: no URL at all, another scheme, or one that carries a user or password. */
export class InvalidBaseUrlError extends Error {
  constructor(why: string) {
    super(`the Port base URL ${why}`);
    this.name = 'InvalidBaseUrlError';
  }
}

/**
 * A base URL the client may send credentials to: https, or plain http to a literal loopback address
 * (127.0.0.0/8, ::1) or localhost, for the emulator. A name that merely starts like one
 * (`127.0.0.1.nip.io`) resolves anywhere and is refused. Credentials in the URL itself are refused without
 * being echoed: they would end up in logs.
 */
export function checkBaseUrl(baseUrl: string): void {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    // Not echoed: a string that fails to parse may still hold a password.
    throw new InvalidBaseUrlError('is not a URL (expected https://api.port.io or similar)');
  }
  if (url.username || url.password) {
    throw new InvalidBaseUrlError(
      `must not hold a user name or password (${url.protocol}//***@${url.host}): credentials come from PORT_CLIENT_ID and PORT_CLIENT_SECRET`,
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new InvalidBaseUrlError(
      `uses ${url.protocol.slice(0, -1)}; it must be https (or http to a loopback address)`,
    );
  }
  if (url.protocol === 'http:' && !isLoopback(url.hostname)) throw new InsecureBaseUrlError(url.origin);
}

function isLoopback(hostname: string): boolean {
  if (hostname === 'localhost') return true;
  const host = hostname.replace(/^\[|\]$/g, '');
  if (isIPv4(host)) return host.startsWith('127.');
  return isIPv6(host) && host === '::1';
}
