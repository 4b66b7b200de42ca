/**
 * Backstage descriptor files (`catalog-info.yaml`) read as entity files: each document is
 * translated into a Port entity through the config's mapping (kind → blueprint, field paths →
 * properties and relations). Pure functions: reading substituted files is load's job.
 */
import { encodePointer } from '../source/index.js';
import { type FieldPath, type Found, compilePath, evaluate } from './field-path.js';
import { type BackstageConfig, type BackstageKindMapping, DEFAULT_REFERENCE_KINDS } from './mapping.js';
import { type EntityRef, parseEntityRef } from './refs.js';

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

interface BackstageProblem {
  /** Into the document. */
  pointer: string;
  severity: 'error' | 'warning';
  code: 'shape' | 'blueprint';
  rule: string;
  message: string;
  hint?: string;
}

interface TranslatedDocument {
  /** The Port entity, with its `blueprint`; absent when the document is skipped or unusable. */
  entity?: Record<string, unknown>;
  problems: BackstageProblem[];
  /** The pointer into the document of a pointer into the entity. */
  sourceOf(pointer: string): string;
}

export type BackstageTranslator = (document: unknown) => TranslatedDocument;

/** Pointers into the entity → pointers into the document, for the parts that came from somewhere. */
class SourceMap {
  private readonly sources = new Map<string, string>();
  set(entityPointer: string, documentPointer: string): void {
    this.sources.set(entityPointer, documentPointer);
  }
  /** The nearest mapped ancestor of `pointer`, with the rest of the pointer appended. */
  readonly sourceOf = (pointer: string): string => {
    for (let probe = pointer; ; probe = probe.slice(0, probe.lastIndexOf('/'))) {
      const hit = this.sources.get(probe);
      if (hit !== undefined) return hit + pointer.slice(probe.length);
      if (probe === '') return pointer;
    }
  };
}

type IdentifierOf = (ref: EntityRef, namespace: string) => string;

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
  const identifierOf: IdentifierOf = (ref, namespace) =>
    config.identifier === 'name' ? ref.name : `${ref.namespace ?? namespace}/${ref.name}`;

  return (document) => {
    const problems: BackstageProblem[] = [];
    const sources = new SourceMap();
    const skip = (problem?: BackstageProblem): TranslatedDocument => ({
      problems: problem ? [problem] : [],
      sourceOf: sources.sourceOf,
    });
    const envelope = readEnvelope(document, kinds);
    if ('problem' in envelope) return skip(envelope.problem);
    if (!envelope.mapping) return skip();
    const { doc, mapping, name, namespace } = envelope;

    const entity: Record<string, unknown> = {
      identifier: identifierOf({ name }, namespace),
      blueprint: mapping.blueprint,
    };
    sources.set('/identifier', '/metadata/name');
    sources.set('/blueprint', '/kind');
    const title = evaluate(doc, mapping.title) ?? { value: name, pointer: '/metadata/name' };
    entity.title = title.value;
    sources.set('/title', title.pointer);

    const properties = translateProperties(doc, mapping, sources);
    if (Object.keys(properties).length > 0) entity.properties = properties;
    const relations = translateRelations(doc, mapping, { namespace, identifierOf, sources, problems });
    if (Object.keys(relations).length > 0) entity.relations = relations;
    return { entity, problems, sourceOf: sources.sourceOf };
  };
}

type Envelope =
  | { problem: BackstageProblem }
  | { mapping: null }
  | { mapping: CompiledKind; doc: Record<string, unknown>; name: string; namespace: string };

/** The document's kind, name and namespace, and the mapping of its kind (null: skipped without a word). */
function readEnvelope(document: unknown, kinds: Map<string, CompiledKind | null>): Envelope {
  const shape = (pointer: string, message: string): Envelope => ({
    problem: { pointer, severity: 'error', code: 'shape', rule: 'backstage-entity', message },
  });
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    return shape('', 'expected a Backstage entity (apiVersion, kind, metadata)');
  }
  const doc = document as Record<string, unknown>;
  if (typeof doc.kind !== 'string' || doc.kind === '') return shape('/kind', 'a Backstage entity needs a "kind"');
  const mapping = kinds.get(doc.kind.toLowerCase());
  if (mapping === undefined) {
    return {
      problem: {
        pointer: '/kind',
        severity: 'warning',
        code: 'blueprint',
        rule: 'backstage-kind',
        message: `kind "${doc.kind}" has no blueprint in the config's backstage.kinds: the document is skipped`,
        hint: `map it (backstage.kinds.${doc.kind}: { "blueprint": "…" }), or set it to null to skip it without a warning`,
      },
    };
  }
  if (mapping === null) return { mapping: null };
  const metadata = doc.metadata as Record<string, unknown> | undefined;
  const name = metadata?.name;
  if (typeof name !== 'string' || name === '') {
    const hasMetadata = typeof metadata === 'object' && metadata !== null;
    return shape(hasMetadata ? '/metadata' : '', 'a Backstage entity needs "metadata.name"');
  }
  const namespace =
    typeof metadata?.namespace === 'string' && metadata.namespace !== '' ? metadata.namespace : 'default';
  return { mapping, doc, name, namespace };
}

function translateProperties(doc: unknown, mapping: CompiledKind, sources: SourceMap): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  for (const { at, name, path } of mapping.properties) {
    const found = evaluate(doc, path);
    sources.set(at, found?.pointer ?? path.pointer);
    if (!found) continue;
    properties[name] = found.value;
    for (const [i, item] of (found.items ?? []).entries()) sources.set(`${at}/${i}`, item);
  }
  return properties;
}

interface RelationContext {
  namespace: string;
  identifierOf: IdentifierOf;
  sources: SourceMap;
  problems: BackstageProblem[];
}

/** Each mapped relation from its field's references (of its kind, when it names one). */
function translateRelations(doc: unknown, mapping: CompiledKind, context: RelationContext): Record<string, unknown> {
  const { sources, problems } = context;
  const relations: Record<string, unknown> = {};
  // Per reference field: its references, which of them some relation took, and those relations.
  const fields = new Map<string, { refs: Reference[]; taken: Set<number>; relations: string[] }>();
  for (const { at, name, from, path, kind, label } of mapping.relations) {
    const found = evaluate(doc, path);
    sources.set(at, found?.pointer ?? path.pointer);
    if (!found) continue;
    let field = fields.get(from);
    if (!field) {
      field = { refs: referencesIn(found, from, problems), taken: new Set(), relations: [] };
      fields.set(from, field);
    }
    field.relations.push(label);
    const matching: string[] = [];
    field.refs.forEach(({ ref, kind: refKind, pointer }, i) => {
      if (kind !== undefined && refKind !== kind) return;
      field.taken.add(i);
      sources.set(`${at}/${matching.length}`, pointer);
      matching.push(context.identifierOf(ref, context.namespace));
    });
    relations[name] = Array.isArray(found.value) ? matching : (matching[0] ?? null);
  }
  for (const [from, field] of fields) warnUnmapped(from, field, problems);
  return relations;
}

/** A reference that fits none of the relations mapped from its field would otherwise be lost without a word. */
function warnUnmapped(
  from: string,
  field: { refs: Reference[]; taken: Set<number>; relations: string[] },
  problems: BackstageProblem[],
): void {
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
