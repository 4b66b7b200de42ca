/** What to select. */
export type SelectionRequest =
  /** Every entity file (a full resync). */
  | { kind: 'all' }
  /**
   * What changed between the merge-base of `base` and `head` (default HEAD, which must be checked
   * out). Without `base`, the CI's environment names it (a pull request's base, a push's `before`).
   */
  | {
      kind: 'changed';
      base?: string;
      /**
       * Compare with `base` itself rather than its merge-base with the head (two-dot): `base` names the
       * tree Port holds, as a branch's watermark does.
       */
      exact?: boolean;
      head?: string;
      includeUncommitted?: boolean;
      fallbackAll?: boolean;
    }
  /** Exactly these files, as a pre-commit hook passes them (paths relative to `cwd`). */
  | { kind: 'files'; paths: string[] };

/** Options every run takes: where, what, and how strictly. */
export interface RunOptions {
  /** Where to run; the repository root is found from here. */
  cwd: string;
  /** The config file (default: port-gitops.config.{json,yaml,yml} at the root), relative to `cwd`. */
  configPath?: string;
  select: SelectionRequest;
  /** The blueprint of entities that name none and match no config rule. */
  defaultBlueprint?: string;
  /** A relation to an entity no file defines is an error, not a warning. */
  strictRelations?: boolean;
  /** An entity of a blueprint with no definition in `blueprintsDir` is an error, not a warning. */
  strictBlueprints?: boolean;
  /** The environment: the CI's base, the repository's name. Default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Notes, timings and progress as the run goes. */
  onEvent?: (event: RunEvent) => void;
}

/** What a run says as it goes; the report says the rest. */
export type RunEvent =
  /** Why the selection is what it is (a fallback, a config change, the CI's base). */
  | { type: 'note'; message: string }
  /** Something the user should know that the report does not show as a problem; printed as it is. */
  | { type: 'warning'; message: string }
  /** Advice for a person reading the text output (e.g. how to delete what was removed). */
  | { type: 'hint'; message: string }
  /** How long a stage took (ms). */
  | { type: 'timing'; stage: string; ms: number }
  /** What a bug report needs and a run does not otherwise say (why git was asked, not read); `--debug`. */
  | { type: 'debug'; message: string }
  /** Writes begin: `total` entities to write. */
  | { type: 'push-start'; total: number }
  | { type: 'push-progress'; entities: number; failed: number }
  | { type: 'push-end' };

/** Calls the listener, if any, and times stages. */
export class Events {
  private last = performance.now();
  constructor(private readonly listener: ((event: RunEvent) => void) | undefined) {}
  emit(event: RunEvent): void {
    this.listener?.(event);
  }
  /** Ends a stage: its time since the previous one. */
  stage(stage: string): void {
    const now = performance.now();
    this.emit({ type: 'timing', stage, ms: now - this.last });
    this.last = now;
  }
}
