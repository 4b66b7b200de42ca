/** An entity as sent to Port (docs/port-fidelity.md); `blueprint` comes from the route. */
export interface PortEntity {
  identifier: string;
  title?: string;
  icon?: string;
  team?: string | string[];
  properties?: Record<string, unknown>;
  relations?: Record<string, unknown>;
  [key: string]: unknown;
}

/** An entity as Port returns it. */
export interface RemoteEntity extends PortEntity {
  blueprint?: string;
  createdAt?: string;
  createdBy?: string;
  updatedAt?: string;
  updatedBy?: string;
}

export interface UpsertOptions {
  /** Change only the fields sent (Port's GitOps default). Default true. */
  merge?: boolean;
  /** Create barebones targets for relations to entities that do not exist yet (Port's GitOps default). Default true. */
  createMissingRelatedEntities?: boolean;
  /** Ask Port to validate only; nothing is written. */
  validationOnly?: boolean;
}

/** The outcome of one entity of an `upsertEntities` call, at the entity's position in the input. */
export type EntityWriteResult =
  | { ok: true; created: boolean }
  | { ok: false; status: number; error: string; message: string };

export interface SearchQuery {
  combinator: 'and' | 'or';
  rules: unknown[];
}
