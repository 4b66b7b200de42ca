/** The mapping from Backstage kinds and fields to Port blueprints, properties and relations, and its defaults. */

/** A Port relation filled from a Backstage field of entity references. */
interface BackstageRelationMapping {
  /** The field path of the reference or list of references, e.g. `spec.owner`. */
  from: string;
  /** Only references of this kind (e.g. `Group`); a reference without a kind has its field's default kind. */
  kind?: string;
}

export interface BackstageKindMapping {
  blueprint: string;
  /** Field path of the entity's title; `metadata.title` unless set. `metadata.name` when the field is absent. */
  title?: string;
  /** Port property → Backstage field path. */
  properties?: Record<string, string>;
  /** Port relation → Backstage field path of entity references, or a mapping that filters them by kind. */
  relations?: Record<string, string | BackstageRelationMapping>;
}

export interface BackstageConfig {
  /** Globs of Backstage descriptor files; they are entity files too, whatever `include` says. */
  files: string[];
  /** `name`: metadata.name, as Port's Backstage integration does; `namespace/name`: always qualified. */
  identifier: 'name' | 'namespace/name';
  /** By kind (matched without regard to case); `null` skips the kind's documents without a word. */
  kinds: Record<string, BackstageKindMapping | null>;
}

const COMMON_PROPERTIES = {
  description: 'metadata.description',
  tags: 'metadata.tags',
  links: 'metadata.links[].url',
  labels: 'metadata.labels',
  annotations: 'metadata.annotations',
};
const OWNER = { owningGroup: { from: 'spec.owner', kind: 'Group' }, owningUser: { from: 'spec.owner', kind: 'User' } };
const DEPENDS_ON = {
  dependsOnComponent: { from: 'spec.dependsOn', kind: 'Component' },
  dependsOnResource: { from: 'spec.dependsOn', kind: 'Resource' },
};

/**
 * The mapping used when the config's `backstage` gives no `kinds`: the blueprints, properties and
 * relations of Port's own Backstage integration, plus `definition` on API (where `$text` usually
 * points). The README prints it in full, to copy and adapt.
 */
export const DEFAULT_BACKSTAGE_KINDS: Record<string, BackstageKindMapping | null> = {
  Component: {
    blueprint: 'component',
    properties: { ...COMMON_PROPERTIES, type: 'spec.type', lifecycle: 'spec.lifecycle' },
    relations: {
      ...OWNER,
      system: 'spec.system',
      subcomponentOf: 'spec.subcomponentOf',
      providesApis: 'spec.providesApis',
      consumesApis: 'spec.consumesApis',
      ...DEPENDS_ON,
    },
  },
  API: {
    blueprint: 'API',
    properties: { ...COMMON_PROPERTIES, type: 'spec.type', lifecycle: 'spec.lifecycle', definition: 'spec.definition' },
    relations: { ...OWNER, system: 'spec.system' },
  },
  System: { blueprint: 'system', properties: COMMON_PROPERTIES, relations: { ...OWNER, domain: 'spec.domain' } },
  Domain: { blueprint: 'domain', properties: COMMON_PROPERTIES, relations: OWNER },
  Resource: {
    blueprint: 'resource',
    properties: { ...COMMON_PROPERTIES, type: 'spec.type' },
    relations: { ...OWNER, system: 'spec.system', ...DEPENDS_ON },
  },
  Group: {
    blueprint: 'group',
    title: 'spec.profile.displayName',
    properties: { ...COMMON_PROPERTIES, type: 'spec.type', email: 'spec.profile.email' },
    relations: { parent: 'spec.parent', members: 'spec.members' },
  },
  User: {
    blueprint: 'user',
    title: 'spec.profile.displayName',
    properties: { ...COMMON_PROPERTIES, email: 'spec.profile.email' },
  },
  // Backstage's own plumbing, not catalog content.
  Location: null,
  Template: null,
};

export const DEFAULT_BACKSTAGE_FILES = ['**/catalog-info.yaml', '**/catalog-info.yml'];

/**
 * The kind a reference without one takes, by the field it is in, as Backstage's descriptor format
 * documents (lower case, as kinds compare). `dependsOn` and `dependencyOf` have none: Backstage
 * requires the kind there.
 */
export const DEFAULT_REFERENCE_KINDS: Record<string, string> = {
  'spec.owner': 'group',
  'spec.system': 'system',
  'spec.domain': 'domain',
  'spec.subdomainOf': 'domain',
  'spec.subcomponentOf': 'component',
  'spec.providesApis': 'api',
  'spec.consumesApis': 'api',
  'spec.parent': 'group',
  'spec.children': 'group',
  'spec.members': 'user',
  'spec.memberOf': 'group',
};
