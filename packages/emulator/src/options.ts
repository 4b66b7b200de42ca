import type { Blueprint } from '@port-gitops/port-schema';

export interface EmulatorOptions {
  /** Loopback address to listen on (default 127.0.0.1). */
  host?: string;
  /** Port to listen on; 0 picks a free one (default 5555). */
  port?: number;
  /** Blueprint definitions to serve. */
  blueprints?: Blueprint[];
  /** A folder whose `*.json` files are blueprint definitions. */
  blueprintsDir?: string;
  /** A JSON file that keeps entities across restarts. */
  dataFile?: string;
  /** When both are set, only these credentials get a token; otherwise any are accepted. */
  clientId?: string;
  clientSecret?: string;
  /** Fault injection: delay before every answer. */
  latencyMs?: number;
  /** Fault injection: share of API requests (0..1) answered with a 5xx. */
  errorRate?: number;
  /**
   * Rate limits. By default Port's (5-minute windows; `x-ratelimit-*` headers on every answer, 429 past the
   * limit). An object injects a tighter one on every authenticated route; `false` turns limits and headers
   * off (to compare a client with and without them).
   */
  rateLimit?: { requests: number; windowSeconds: number } | false;
  /** Fault injection: a tighter limit on the token route alone (Port counts unauthenticated requests apart). */
  tokenRateLimit?: { requests: number; windowSeconds: number };
  /** Teams (`_team` entities) that exist from the start; an entity's `team` must name one. */
  teams?: string[];
  /**
   * Fault injection: share of writes (0..1: creating, upserting or deleting; not reads, searches or tokens)
   * answered with a 5xx, as when Port is up for reading but failing writes.
   */
  writeErrorRate?: number;
  /** Fault injection: share of requests (0..1) whose connection is dropped without an answer. */
  resetRate?: number;
  /** Fault injection: a body limit below Port's 1 MiB, to see a client's 413 fallback at work. */
  maxBodyBytes?: number;
  /** Lifetime of an access token in seconds (Port: 3 hours). */
  tokenTtlSeconds?: number;
  /** Seed for the fault dice, so a run can be repeated. */
  seed?: number;
  /** Keep every request and answer in `emulator.exchanges` (for contract tests). */
  record?: boolean;
  /** How a blueprint replacement meets what no source of Port's settles (docs/port-fidelity.md). */
  blueprintChanges?: Partial<BlueprintChangeDecisions>;
}

/**
 * What Port does on a blueprint replacement that no source settles, switchable so that a test can hold
 * port-gitops's plan to the same class whichever way Port decides. Defaults: the lenient reading for a
 * required property (accepted; entities that lack it fail their next write), the strict one for a
 * relation's reshaping (refused), and teams dropped when entities stop being owned directly.
 */
export interface BlueprintChangeDecisions {
  /** A property made required while entities lack it: `accept` the definition, or `refuse` it. */
  requiredOnExisting: 'accept' | 'refuse';
  /** A relation's `target` or `many` changed: `refuse`, or `accept` and drop the relation's values. */
  relationReshape: 'accept' | 'refuse';
  /** Ownership no longer `Direct`: the entities' teams are `dropped` or `kept`. */
  teamsOnOwnershipChange: 'drop' | 'keep';
}

/** Each decision's choices, the default first. */
export const BLUEPRINT_CHANGE_CHOICES: { [K in keyof BlueprintChangeDecisions]: Array<BlueprintChangeDecisions[K]> } = {
  requiredOnExisting: ['accept', 'refuse'],
  relationReshape: ['refuse', 'accept'],
  teamsOnOwnershipChange: ['drop', 'keep'],
};

export const DEFAULT_BLUEPRINT_CHANGES: BlueprintChangeDecisions = {
  requiredOnExisting: 'accept',
  relationReshape: 'refuse',
  teamsOnOwnershipChange: 'drop',
};

export const DEFAULT_TOKEN_TTL_SECONDS = 3 * 60 * 60;
