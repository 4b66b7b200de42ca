/**
 * What the run needs from a Port client: core speaks to Port only through this, so that it holds no
 * HTTP code. `@port-gitops/port-client` implements it; a test or an embedding program may bring its own.
 */

/** The outcome of one entity's write, in the order the entities were given. */
export type WriteOutcome = { ok: true } | { ok: false; status: number; error: string; message: string };

/** An entity as sent to Port: the file's entity without `blueprint`, which goes in the route. */
export type EntityBody = Record<string, unknown> & { identifier: string };

/** An entity as Port returns it, reduced to what a file can set. */
export interface LiveEntity {
  identifier: string;
  title?: unknown;
  icon?: unknown;
  team?: unknown;
  properties?: Record<string, unknown>;
  relations?: Record<string, unknown>;
}

/** A Port search query: `{ combinator, rules }`, where a rule may nest another query. */
export interface SearchQuery {
  combinator: 'and' | 'or';
  rules: unknown[];
}

export interface WriteOptions {
  /** Validate only; nothing is written (`check --remote`). */
  validationOnly?: boolean;
  /** Create bare entities for relation targets that do not exist yet. Default true. */
  createMissingRelatedEntities?: boolean;
}

/** @public */
export interface PortApi {
  /** Fails, before anything is written, when the credentials are refused. */
  authenticate(): Promise<void>;
  /** One outcome per entity, in input order; throws only when nothing more can be written. */
  upsertEntities(blueprint: string, entities: EntityBody[], options?: WriteOptions): Promise<WriteOutcome[]>;
  deleteEntities(blueprint: string, identifiers: string[]): Promise<WriteOutcome[]>;
  /** One entity, or undefined when Port has no such entity (or no such blueprint). */
  getEntity(blueprint: string, identifier: string): Promise<LiveEntity | undefined>;
  /** Creates the blueprint unless Port has it already (port-gitops's own watermark blueprint). */
  ensureBlueprint(definition: Record<string, unknown> & { identifier: string }): Promise<void>;
  /** A blueprint's definition as Port holds it, or undefined when Port has none of that identifier. */
  findBlueprint(identifier: string): Promise<Record<string, unknown> | undefined>;
  /** How many entities of the blueprint Port holds. */
  countEntities(blueprint: string): Promise<number>;
  /** Creates a blueprint (a managed definition Port does not have yet). */
  createBlueprint(definition: Record<string, unknown> & { identifier: string }): Promise<void>;
  /** Replaces a blueprint's whole definition. */
  replaceBlueprint(identifier: string, definition: Record<string, unknown>): Promise<void>;
  /** Deletes a blueprint (Port refuses while it holds entities of it). */
  deleteBlueprint(identifier: string): Promise<void>;
  /** Adds the parts in `partial` to a blueprint's definition (a system blueprint is only extended so). */
  patchBlueprint(identifier: string, partial: Record<string, unknown>): Promise<void>;
  /** Deletes every entity of a blueprint, and with `deleteBlueprint` the blueprint; resolves once done. */
  deleteAllEntities(blueprint: string, options: { deleteBlueprint: boolean }): Promise<void>;
  /** Runs one of Port's data migrations (`POST /v1/migrations`); resolves once it has completed. */
  migrate(body: { sourceBlueprint: string; mapping: Record<string, unknown> }): Promise<void>;
  /** Every entity of a blueprint matching `query`, all pages; with `include`, only those parts of each. */
  searchBlueprintEntities(
    blueprint: string,
    query?: SearchQuery,
    options?: { include?: string[] },
  ): Promise<LiveEntity[]>;
  /** Send nothing new; requests in flight may finish. */
  stop?(): void;
  /** Set by the run: called as writes finish, for progress. */
  onProgress?: ((done: { entities: number; failed: number }) => void) | undefined;
}

/**
 * Connects to Port once the run knows what it needs: the config (for the target and limits) and the
 * repository's stable name (Port records the User-Agent that carries it as `$datasource`). A run that
 * never talks to Port (a dry run, a check) never calls it, so it needs no credentials.
 */
export type PortConnector = (target: PortTarget) => PortApi | Promise<PortApi>;

export interface PortTarget {
  /** `port` settings of the config file. */
  settings: { baseUrl?: string; concurrency: number; timeoutMs: number; maxRetries: number };
  repositoryId: string;
}
