/** A blueprint definition as `GET /v1/blueprints/{id}` returns it (docs/port-fidelity.md), reduced to what validation reads. */
export interface Blueprint {
  identifier: string;
  title?: string;
  description?: string;
  icon?: string;
  schema: { properties: Record<string, BlueprintProperty>; required?: string[] };
  relations?: Record<string, BlueprintRelation>;
  mirrorProperties?: Record<string, unknown>;
  calculationProperties?: Record<string, unknown>;
  aggregationProperties?: Record<string, unknown>;
  /** Who owns its entities: teams set on each (`Direct`), or the teams of a related entity (`Inherited`). */
  ownership?: { type: 'Direct' | 'Inherited'; path?: string; [key: string]: unknown };
  /** The older spelling of inherited ownership: the relation path the team comes through. */
  teamInheritance?: { path: string };
  [key: string]: unknown;
}

type PropertyType = 'string' | 'number' | 'boolean' | 'object' | 'array';

export interface BlueprintProperty {
  type: PropertyType;
  title?: string;
  description?: string;
  format?: string;
  enum?: unknown[];
  default?: unknown;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  items?: BlueprintPropertyItems;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
  spec?: string;
  [key: string]: unknown;
}

interface BlueprintPropertyItems {
  type?: PropertyType;
  format?: string;
  enum?: unknown[];
  [key: string]: unknown;
}

export interface BlueprintRelation {
  target: string;
  required: boolean;
  many: boolean;
  title?: string;
  description?: string;
}

/** Property keys Port computes itself; an entity must not set them (docs/port-fidelity.md). */
export function computedPropertyKinds(blueprint: Blueprint): Map<string, 'mirror' | 'calculation' | 'aggregation'> {
  const kinds = new Map<string, 'mirror' | 'calculation' | 'aggregation'>();
  for (const key of Object.keys(blueprint.mirrorProperties ?? {})) kinds.set(key, 'mirror');
  for (const key of Object.keys(blueprint.calculationProperties ?? {})) kinds.set(key, 'calculation');
  for (const key of Object.keys(blueprint.aggregationProperties ?? {})) kinds.set(key, 'aggregation');
  return kinds;
}

/**
 * Whether the blueprint's entities take their team from a related entity, so that Port refuses a `team`
 * on them (422 `team_inheritance_enabled`, docs/port-fidelity.md). `ownership` decides when present (Port's
 * own tests pair `teamInheritance` with `Direct` ownership and set teams); a blueprint with only the older
 * `teamInheritance` is taken as inherited, the reading that cannot let a refused file pass.
 */
export function inheritsTeam(blueprint: Blueprint): boolean {
  if (blueprint.ownership?.type !== undefined) return blueprint.ownership.type === 'Inherited';
  return blueprint.teamInheritance !== undefined;
}
