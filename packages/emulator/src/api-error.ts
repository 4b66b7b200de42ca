/**
 * A failure answered with Port's error envelope `{ ok: false, error, message }` (docs/port-fidelity.md).
 * Port documents the id only for 404 (`not_found`); the other ids are the emulator's own choice and
 * are listed in one place so that nothing depends on them by accident.
 */
const ERROR_IDS = {
  400: 'bad_request',
  401: 'unauthorized',
  404: 'not_found',
  409: 'identifier_taken',
  413: 'payload_too_large',
  422: 'invalid_request',
  429: 'too_many_requests',
  503: 'service_unavailable',
} as const;

export type ErrorStatus = keyof typeof ERROR_IDS;

export class ApiError extends Error {
  readonly status: ErrorStatus;
  readonly error: string;
  constructor(status: ErrorStatus, message: string) {
    super(message);
    this.status = status;
    this.error = ERROR_IDS[status];
  }
  toBody(): { ok: false; error: string; message: string } {
    return { ok: false, error: this.error, message: this.message };
  }
}
