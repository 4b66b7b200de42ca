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
