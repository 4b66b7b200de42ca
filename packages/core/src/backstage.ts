/**
 * Backstage descriptor files (`catalog-info.yaml`) read as entity files: each document is
 * translated into a Port entity through the config's mapping (kind → blueprint, field paths →
 * properties and relations). Pure functions: reading substituted files is load's job.
 */
import { encodePointer } from './source.js';

/** A Port relation filled from a Backstage field of entity references. */
export interface BackstageRelationMapping {
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
const DEFAULT_REFERENCE_KINDS: Record<string, string> = {
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

/** An entity reference, `[kind:][namespace/]name`. */
export interface EntityRef {
  kind?: string;
  namespace?: string;
  name: string;
}

/** Parses a reference as Backstage does; undefined when a part is empty. */
export function parseEntityRef(ref: string): EntityRef | undefined {
  let colon = ref.indexOf(':');
  const slash = ref.indexOf('/');
  // A colon after the namespace separator belongs to the name.
  if (slash !== -1 && slash < colon) colon = -1;
  const kind = colon === -1 ? undefined : ref.slice(0, colon);
  const namespace = slash === -1 ? undefined : ref.slice(colon + 1, slash);
  const name = ref.slice(Math.max(colon + 1, slash + 1));
  if (kind === '' || namespace === '' || name === '') return undefined;
  return { ...(kind !== undefined ? { kind } : {}), ...(namespace !== undefined ? { namespace } : {}), name };
}

type PathSegment = { key: string } | { each: true };

const KEY = '[A-Za-z0-9_@$-]+';
/** The syntax of a field path, for the config schema. */
export const FIELD_PATH_PATTERN = String.raw`^${KEY}(?:\.${KEY}|\[\]|\["(?:[^"\\]|\\.)*"\])*$`;
const FIRST_KEY = new RegExp(`^${KEY}`);
const NEXT_SEGMENT = new RegExp(String.raw`^(?:\.(${KEY})|\[\]|\["((?:[^"\\]|\\.)*)"\])`);

/**
 * A field path: keys joined by dots, `["key"]` for a key holding dots or slashes (annotations),
 * and `[]` for each item of a list (`metadata.links[].url`). Undefined when it does not parse.
 */
export function parseFieldPath(path: string): PathSegment[] | undefined {
  const first = FIRST_KEY.exec(path);
  if (!first) return undefined;
  const segments: PathSegment[] = [{ key: first[0] }];
  for (let rest = path.slice(first[0].length); rest.length > 0; ) {
    const match = NEXT_SEGMENT.exec(rest);
    if (!match) return undefined;
    if (match[1] !== undefined) segments.push({ key: match[1] });
    else if (match[2] !== undefined) segments.push({ key: JSON.parse(`"${match[2]}"`) as string });
    else segments.push({ each: true });
    rest = rest.slice(match[0].length);
  }
  return segments;
}

/** A field path parsed once per run. */
interface FieldPath {
  segments: PathSegment[];
  /** Where its value is in a document, up to the first `[]`: also where to point when it is absent. */
  pointer: string;
  /** Whether it has a `[]`. */
  projects: boolean;
}

function compilePath(path: string): FieldPath {
  // The config schema checked the syntax.
  const segments = parseFieldPath(path)!;
  const each = segments.findIndex((segment) => 'each' in segment);
  const keys = (each === -1 ? segments : segments.slice(0, each)) as Array<{ key: string }>;
  return { segments, pointer: encodePointer(keys.map((segment) => segment.key)), projects: each !== -1 };
}

interface Found {
  value: unknown;
  pointer: string;
  /** For a path with `[]`: the pointer of each item of `value`. */
  items?: string[];
}

/** The value at a field path, with its pointer; undefined when absent. */
function evaluate(document: unknown, path: FieldPath): Found | undefined {
  if (path.projects) return project(document, path.segments, []);
  let value = document;
  for (const segment of path.segments as Array<{ key: string }>) {
    if (typeof value !== 'object' || value === null || Array.isArray(value) || !Object.hasOwn(value, segment.key))
      return undefined;
    value = (value as Record<string, unknown>)[segment.key];
  }
  return value === undefined ? undefined : { value, pointer: path.pointer };
}

/** `evaluate` for a path with `[]`: the list of what each item holds, with the items' pointers. */
function project(document: unknown, segments: PathSegment[], from: Array<string | number>): Found | undefined {
  let value = document;
  const at = [...from];
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    if ('each' in segment) {
      if (!Array.isArray(value)) return undefined;
      const values: unknown[] = [];
      const items: string[] = [];
      value.forEach((item, index) => {
        const found = project(item, segments.slice(i + 1), [...at, index]);
        if (found) {
          values.push(found.value);
          items.push(found.pointer);
        }
      });
      return { value: values, pointer: encodePointer(at), items };
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value) || !Object.hasOwn(value, segment.key))
      return undefined;
    value = (value as Record<string, unknown>)[segment.key];
    at.push(segment.key);
  }
  return value === undefined ? undefined : { value, pointer: encodePointer(at) };
}

/** A kind's mapping, its paths parsed and pointers built once per run. */
interface CompiledKind {
  blueprint: string;
  title: FieldPath;
  properties: Array<{ at: string; name: string; path: FieldPath }>;
  relations: Array<{
    at: string;
    name: string;
    from: string;
    path: FieldPath;
    kind: string | undefined;
    label: string;
  }>;
}

function compileKind(mapping: BackstageKindMapping): CompiledKind {
  return {
    blueprint: mapping.blueprint,
    title: compilePath(mapping.title ?? 'metadata.title'),
    properties: Object.entries(mapping.properties ?? {}).map(([name, path]) => ({
      at: encodePointer(['properties', name]),
      name,
      path: compilePath(path),
    })),
    relations: Object.entries(mapping.relations ?? {}).map(([name, spec]) => {
      const { from, kind } = typeof spec === 'string' ? { from: spec, kind: undefined } : spec;
      return {
        at: encodePointer(['relations', name]),
        name,
        from,
        path: compilePath(from),
        kind: kind?.toLowerCase(),
        label: kind ? `${name} (${kind})` : name,
      };
    }),
  };
}

export interface BackstageProblem {
  /** Into the document. */
  pointer: string;
  severity: 'error' | 'warning';
  code: 'shape' | 'blueprint';
  rule: string;
  message: string;
  hint?: string;
}

export interface TranslatedDocument {
  /** The Port entity, with its `blueprint`; absent when the document is skipped or unusable. */
  entity?: Record<string, unknown>;
  problems: BackstageProblem[];
  /** The pointer into the document of a pointer into the entity. */
  sourceOf(pointer: string): string;
}

export type BackstageTranslator = (document: unknown) => TranslatedDocument;

/**
 * Translates Backstage documents into Port entities: identifier from `metadata.name` (and namespace),
 * title, properties and relations by the mapping of the document's kind. Fields the mapping names
 * but a document lacks are left out; a reference field's relations filtered by kind get `null` or
 * `[]` when no reference is of their kind, so that a changed owner clears the old relation in Port.
 * The mapping is compiled once: a large catalog translates thousands of documents.
 */
export function createBackstageTranslator(config: BackstageConfig): BackstageTranslator {
  const kinds = new Map(
    Object.entries(config.kinds).map(([kind, mapping]) => [kind.toLowerCase(), mapping ? compileKind(mapping) : null]),
  );
  const identifierOf = (ref: EntityRef, namespace: string) =>
    config.identifier === 'name' ? ref.name : `${ref.namespace ?? namespace}/${ref.name}`;

  return (document) => {
    const problems: BackstageProblem[] = [];
    // Pointer into the entity → pointer into the document, for the parts that came from somewhere.
    const sources = new Map<string, string>();
    const sourceOf = (pointer: string): string => {
      for (let probe = pointer; ; probe = probe.slice(0, probe.lastIndexOf('/'))) {
        const hit = sources.get(probe);
        if (hit !== undefined) return hit + pointer.slice(probe.length);
        if (probe === '') return pointer;
      }
    };
    const skip = (problem?: BackstageProblem): TranslatedDocument => ({ problems: problem ? [problem] : [], sourceOf });

    if (typeof document !== 'object' || document === null || Array.isArray(document)) {
      return skip({
        pointer: '',
        severity: 'error',
        code: 'shape',
        rule: 'backstage-entity',
        message: 'expected a Backstage entity (apiVersion, kind, metadata)',
      });
    }
    const doc = document as Record<string, unknown>;
    if (typeof doc.kind !== 'string' || doc.kind === '') {
      return skip({
        pointer: '/kind',
        severity: 'error',
        code: 'shape',
        rule: 'backstage-entity',
        message: 'a Backstage entity needs a "kind"',
      });
    }
    const mapping = kinds.get(doc.kind.toLowerCase());
    if (mapping === undefined) {
      return skip({
        pointer: '/kind',
        severity: 'warning',
        code: 'blueprint',
        rule: 'backstage-kind',
        message: `kind "${doc.kind}" has no blueprint in the config's backstage.kinds: the document is skipped`,
        hint: `map it (backstage.kinds.${doc.kind}: { "blueprint": "…" }), or set it to null to skip it without a warning`,
      });
    }
    if (mapping === null) return skip();

    const metadata = doc.metadata as Record<string, unknown> | undefined;
    const name = metadata?.name;
    if (typeof name !== 'string' || name === '') {
      return skip({
        pointer: typeof metadata === 'object' && metadata !== null ? '/metadata' : '',
        severity: 'error',
        code: 'shape',
        rule: 'backstage-entity',
        message: 'a Backstage entity needs "metadata.name"',
      });
    }
    const namespace =
      typeof metadata?.namespace === 'string' && metadata.namespace !== '' ? metadata.namespace : 'default';

    const entity: Record<string, unknown> = {
      identifier: identifierOf({ name }, namespace),
      blueprint: mapping.blueprint,
    };
    sources.set('/identifier', '/metadata/name');
    sources.set('/blueprint', '/kind');
    const title = evaluate(doc, mapping.title) ?? { value: name, pointer: '/metadata/name' };
    entity.title = title.value;
    sources.set('/title', title.pointer);

    const properties: Record<string, unknown> = {};
    for (const { at, name: property, path } of mapping.properties) {
      const found = evaluate(doc, path);
      sources.set(at, found?.pointer ?? path.pointer);
      if (!found) continue;
      properties[property] = found.value;
      found.items?.forEach((item, i) => sources.set(`${at}/${i}`, item));
    }
    if (Object.keys(properties).length > 0) entity.properties = properties;

    const relations: Record<string, unknown> = {};
    // Per reference field: its references, which of them some relation took, and those relations.
    const fields = new Map<string, { refs: Reference[]; taken: Set<number>; relations: string[] }>();
    for (const { at, name: relation, from, path, kind, label } of mapping.relations) {
      const found = evaluate(doc, path);
      sources.set(at, found?.pointer ?? path.pointer);
      if (!found) continue;
      let field = fields.get(from);
      if (!field) {
        field = { refs: referencesIn(found, from, problems), taken: new Set(), relations: [] };
        fields.set(from, field);
      }
      field.relations.push(label);
      const taken = field.taken;
      const matching: string[] = [];
      field.refs.forEach(({ ref, kind: refKind, pointer }, i) => {
        if (kind !== undefined && refKind !== kind) return;
        taken.add(i);
        sources.set(`${at}/${matching.length}`, pointer);
        matching.push(identifierOf(ref, namespace));
      });
      relations[relation] = Array.isArray(found.value) ? matching : (matching[0] ?? null);
    }
    for (const [from, field] of fields) {
      field.refs.forEach(({ text, kind, pointer }, i) => {
        if (field.taken.has(i)) return;
        problems.push({
          pointer,
          severity: 'warning',
          code: 'shape',
          rule: 'backstage-unmapped-ref',
          message: `"${text}" (${kind ? `kind ${kind}` : 'no kind'}) fits none of the relations mapped from ${from}: ${field.relations.join(', ')}; it is left out`,
          hint: kind ? `map a relation from ${from} for kind ${kind}` : `write its kind, e.g. component:${text}`,
        });
      });
    }
    if (Object.keys(relations).length > 0) entity.relations = relations;
    return { entity, problems, sourceOf };
  };
}

interface Reference {
  text: string;
  ref: EntityRef;
  /** Lower case; the field's default when the reference names none. */
  kind: string | undefined;
  pointer: string;
}

/** The entity references a field holds (one, or a list), each with its pointer; bad ones become problems. */
function referencesIn(found: Found, from: string, problems: BackstageProblem[]): Reference[] {
  const { value } = found;
  if (typeof value !== 'string' && !Array.isArray(value)) {
    problems.push({
      pointer: found.pointer,
      severity: 'error',
      code: 'shape',
      rule: 'backstage-ref',
      message: `${from} must be an entity reference or a list of them`,
    });
    return [];
  }
  const items: Array<[unknown, string]> =
    typeof value === 'string'
      ? [[value, found.pointer]]
      : value.map((item, i) => [item, found.items?.[i] ?? `${found.pointer}/${i}`]);
  const references: Reference[] = [];
  for (const [text, pointer] of items) {
    const ref = typeof text === 'string' ? parseEntityRef(text) : undefined;
    if (!ref) {
      problems.push({
        pointer,
        severity: 'error',
        code: 'shape',
        rule: 'backstage-ref',
        message: `${JSON.stringify(text)} is not an entity reference`,
        hint: 'write [kind:][namespace/]name, e.g. group:default/payments',
      });
      continue;
    }
    references.push({
      text: text as string,
      ref,
      kind: (ref.kind ?? DEFAULT_REFERENCE_KINDS[from])?.toLowerCase(),
      pointer,
    });
  }
  return references;
}

/** A Backstage substitution: `{ $text: ./README.md }` (also `$json`, `$yaml`), anywhere in a document. */
export interface Substitution {
  /** Into the document. */
  pointer: string;
  kind: '$text' | '$json' | '$yaml';
  location: unknown;
}

const SUBSTITUTION_KINDS = new Set(['$text', '$json', '$yaml']);

/** Every substitution in a document, depth first. */
export function substitutionsOf(value: unknown, path: Array<string | number> = []): Substitution[] {
  if (Array.isArray(value)) return value.flatMap((item, i) => substitutionsOf(item, [...path, i]));
  if (typeof value !== 'object' || value === null) return [];
  const keys = Object.keys(value);
  if (keys.length === 1 && SUBSTITUTION_KINDS.has(keys[0]!)) {
    return [
      {
        pointer: encodePointer(path),
        kind: keys[0] as Substitution['kind'],
        location: (value as Record<string, unknown>)[keys[0]!],
      },
    ];
  }
  return keys.flatMap((key) => substitutionsOf((value as Record<string, unknown>)[key], [...path, key]));
}

/** A copy of the document with each substitution replaced by its value (pointer → value). */
export function substitute(document: unknown, values: Map<string, unknown>, path = ''): unknown {
  if (values.has(path)) return values.get(path);
  if (Array.isArray(document)) return document.map((item, i) => substitute(item, values, `${path}/${i}`));
  if (typeof document !== 'object' || document === null) return document;
  return Object.fromEntries(
    Object.entries(document).map(([key, value]) => [key, substitute(value, values, path + encodePointer([key]))]),
  );
}
