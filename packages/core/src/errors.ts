/**
 * Conditions that end a run before any entity is judged: a bad config, an unusable git state, bad
 * usage. Each carries a stable code; the CLI maps all of them to exit code 3.
 */
export class FatalError extends Error {
  readonly code: 'config' | 'usage' | 'git' | 'auth';
  readonly hint: string | undefined;
  constructor(code: FatalError['code'], message: string, hint?: string) {
    super(message);
    this.name = 'FatalError';
    this.code = code;
    this.hint = hint;
  }
}
