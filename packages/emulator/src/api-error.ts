import { DECISIONS, type Decision } from './decisions.js';

/** The emulator cannot start as asked (a blueprint it cannot serve as Port would). */
export class EmulatorSetupError extends Error {
  override name = 'EmulatorSetupError';
}

/** A refusal, answered with Port's error envelope `{ ok: false, error, message }` (docs/port-fidelity.md). */
export class ApiError extends Error {
  readonly decision: Decision;
  readonly status: number;
  readonly error: string;
  constructor(decision: Decision, message: string) {
    super(message);
    this.decision = decision;
    this.status = DECISIONS[decision].status;
    this.error = DECISIONS[decision].error;
  }
  toBody(): { ok: false; error: string; message: string } {
    return { ok: false, error: this.error, message: this.message };
  }
}
