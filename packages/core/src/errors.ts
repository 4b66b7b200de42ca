/**
 * Conditions that end a run before anything is written: a bad config, an unusable git state, bad usage,
 * or (`stale`) a run of a commit older than one already synced. Each carries a stable code; the CLI maps
 * `stale` to exit code 4 and the others to 3.
 */
export class FatalError extends Error {
  readonly code: 'config' | 'usage' | 'git' | 'auth' | 'stale';
  readonly hint: string | undefined;
  constructor(code: FatalError['code'], message: string, hint?: string) {
    super(message);
    this.name = 'FatalError';
    this.code = code;
    this.hint = hint;
  }
}
