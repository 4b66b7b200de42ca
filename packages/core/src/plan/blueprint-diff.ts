/**
 * What a change to a blueprint definition does, key by key, each change classed by what Port does with
 * it (docs/port-fidelity.md, "Blueprints"):
 * - `safe`: an addition or a loosened rule (an optional property, a wider enum, a new relation);
 * - `breaking`: Port accepts it, and entities may stop validating (a property made required, an enum
 *   narrowed, a bound or pattern tightened, an ownership change, a key port-gitops does not know);
 * - `destructive`: Port accepts it, and data goes (a property or relation removed, a relation's target or
 *   `many` changed, a blueprint deleted);
 * - `blocked`: Port refuses it in place (a property's type, format or array-ness changed:
 *   `forbidden_format_change`), or it changes a system blueprint (`_user`, `_team`) other than by
 *   adding an optional part, all port-gitops writes to one.
 * Every key is compared, those port-gitops does not model included, after the fields Port owns
 * (timestamps, authors) are dropped and its defaults filled in.
 */

type ChangeClass = 'safe' | 'breaking' | 'destructive' | 'blocked';

export interface BlueprintChange {
  blueprint: string;
  /** Where in the definition, as a dotted path (`schema.properties.tier.enum`), or '' for the whole blueprint. */
  path: string;
  class: ChangeClass;
  reason: string;
  from?: unknown;
  to?: unknown;
  /**
   * A breaking or destructive change to a blueprint Port has: how many entities of it Port holds, and
   * how many of the selected entity files of it do not validate against the new definition.
   */
  impact?: { entitiesInPort: number; invalidFiles: number };
  /** Port's blueprint was changed outside git since the base, and this change overwrites that. */
  drift?: true;
}

type Json = Record<string, unknown>;

/** Fields Port writes itself: never part of a definition's change. */
const OWNED_BY_PORT = new Set(['createdAt', 'createdBy', 'updatedAt', 'updatedBy']);
/** Sections whose entries are computed by Port from other entities: removing one breaks what uses it. */
const COMPUTED = ['mirrorProperties', 'calculationProperties', 'aggregationProperties'];
const DESCRIPTIVE = new Set(['title', 'description', 'icon']);
const FORMAT_KEYS = ['type', 'format'];
/**
 * The suffix of the property a `--recreate-property` keeps values in while the property is recreated
 * (push/blueprints.ts): found in Port only when a run stopped half-way.
 */
export const RECREATION_COPY = '__port_gitops_copy';

/** The changes from `before` (undefined: the blueprint is new) to `after` (undefined: it is deleted). */
export function diffBlueprint(
  identifier: string,
  before: Json | undefined,
  after: Json | undefined,
): BlueprintChange[] {
  const change = (path: string, cls: ChangeClass, reason: string, from?: unknown, to?: unknown): BlueprintChange => ({
    blueprint: identifier,
    path,
    class: cls,
    reason,
    ...(from === undefined ? {} : { from }),
    ...(to === undefined ? {} : { to }),
  });
  if (!before && !after) return [];
  if (!before && identifier.startsWith('_'))
    return [change('', 'blocked', "Port's system blueprints are Port's to create: this one is not in Port")];
  if (!before) return [change('', 'safe', 'a new blueprint')];
  if (!after) {
    return [
      change(
        '',
        identifier.startsWith('_') ? 'blocked' : 'destructive',
        identifier.startsWith('_')
          ? "Port's system blueprints cannot be deleted"
          : 'the blueprint is deleted with its entities (Port refuses while it holds any: has_dependents)',
      ),
    ];
  }
  const a = normalized(before);
  const b = normalized(after);
  const changes: BlueprintChange[] = [];
  const system = identifier.startsWith('_');

  for (const key of union(a, b)) {
    if (key === 'schema' || key === 'relations' || COMPUTED.includes(key)) continue;
    if (same(a[key], b[key])) continue;
    if (key === 'identifier') changes.push(change(key, 'breaking', 'the blueprint is renamed', a[key], b[key]));
    else if (DESCRIPTIVE.has(key)) changes.push(change(key, 'safe', 'a description changes', a[key], b[key]));
    else if (key === 'ownership' || key === 'teamInheritance')
      changes.push(
        change(key, 'breaking', "the ownership changes: entities' teams come from elsewhere", a[key], b[key]),
      );
    else changes.push(change(key, 'breaking', 'a key port-gitops does not model changes', a[key], b[key]));
  }

  // Properties.
  const aProps = (a.schema as Json).properties as Record<string, Json>;
  const bProps = (b.schema as Json).properties as Record<string, Json>;
  const aRequired = new Set((a.schema as Json).required as string[]);
  const bRequired = new Set((b.schema as Json).required as string[]);
  for (const name of union(aProps, bProps)) {
    const path = `schema.properties.${name}`;
    const was = aProps[name];
    const is = bProps[name];
    if (!was) {
      changes.push(
        bRequired.has(name)
          ? change(path, 'breaking', 'a required property is added: entities without it stop validating')
          : change(path, 'safe', 'an optional property is added'),
      );
      continue;
    }
    if (!is && name.endsWith(RECREATION_COPY) && bProps[name.slice(0, -RECREATION_COPY.length)]) {
      changes.push(
        change(
          path,
          'safe',
          `port-gitops's copy of "${name.slice(0, -RECREATION_COPY.length)}" left by a recreation that stopped half-way: its values are copied back, then it is removed`,
        ),
      );
      continue;
    }
    if (!is) {
      changes.push(
        change(
          path,
          system ? 'blocked' : 'destructive',
          system
            ? "a system blueprint's property cannot be removed"
            : "a property is removed: its values in Port's entities are lost",
        ),
      );
      continue;
    }
    changes.push(...propertyChanges(path, was, is).map((c) => ({ blueprint: identifier, ...c })));
    if (!aRequired.has(name) && bRequired.has(name))
      changes.push(
        change(`${path}.required`, 'breaking', 'the property becomes required: entities without it stop validating'),
      );
    if (aRequired.has(name) && !bRequired.has(name))
      changes.push(change(`${path}.required`, 'safe', 'the property is no longer required'));
  }
  for (const key of union(a.schema as Json, b.schema as Json)) {
    if (key === 'properties' || key === 'required') continue;
    if (!same((a.schema as Json)[key], (b.schema as Json)[key]))
      changes.push(
        change(
          `schema.${key}`,
          'breaking',
          'a key port-gitops does not model changes',
          (a.schema as Json)[key],
          (b.schema as Json)[key],
        ),
      );
  }

  // Relations.
  const aRel = a.relations as Record<string, Json>;
  const bRel = b.relations as Record<string, Json>;
  for (const name of union(aRel, bRel)) {
    const path = `relations.${name}`;
    const was = aRel[name];
    const is = bRel[name];
    if (!was) {
      changes.push(
        is!.required
          ? change(path, 'breaking', 'a required relation is added: entities without it stop validating')
          : change(path, 'safe', 'a relation is added'),
      );
      continue;
    }
    if (!is) {
      changes.push(change(path, 'destructive', "a relation is removed: its values in Port's entities are lost"));
      continue;
    }
    for (const key of union(was, is)) {
      if (same(was[key], is[key])) continue;
      const at = `${path}.${key}`;
      if (key === 'target' || key === 'many')
        changes.push(
          change(
            at,
            'destructive',
            `the relation's ${key} changes: what Port does with its values is not known (treated as lost)`,
            was[key],
            is[key],
          ),
        );
      else if (key === 'required')
        changes.push(
          is[key]
            ? change(at, 'breaking', 'the relation becomes required', was[key], is[key])
            : change(at, 'safe', 'the relation is no longer required', was[key], is[key]),
        );
      else if (DESCRIPTIVE.has(key)) changes.push(change(at, 'safe', 'a description changes', was[key], is[key]));
      else changes.push(change(at, 'breaking', 'a key port-gitops does not model changes', was[key], is[key]));
    }
  }

  // Mirror, calculation and aggregation properties: computed by Port.
  for (const section of COMPUTED) {
    const was = (a[section] ?? {}) as Json;
    const is = (b[section] ?? {}) as Json;
    for (const name of union(was, is)) {
      if (same(was[name], is[name])) continue;
      const path = `${section}.${name}`;
      if (was[name] === undefined) changes.push(change(path, 'safe', 'a computed property is added'));
      else if (is[name] === undefined)
        changes.push(
          change(path, 'breaking', 'a computed property is removed: pages and scorecards that show it lose it'),
        );
      else changes.push(change(path, 'breaking', 'a computed property is computed otherwise', was[name], is[name]));
    }
  }
  if (system) {
    // Port owns a system blueprint; port-gitops only adds optional parts to it (a PATCH of them alone).
    for (const c of changes) {
      if (c.class === 'blocked' || (c.class === 'safe' && isAddition(c.path, a))) continue;
      c.class = 'blocked';
      c.reason = `${c.reason}; Port owns system blueprints, and port-gitops only adds optional parts to them`;
    }
  }
  return changes;
}

/** Whether the change at `path` adds a named part (a property, relation, computed property) `before` lacks. */
function isAddition(path: string, before: Json): boolean {
  const [section, name, ...deeper] = path.startsWith('schema.properties.')
    ? ['properties', ...path.slice('schema.properties.'.length).split('.')]
    : path.split('.');
  if (deeper.length > 0 || name === undefined) return false;
  const parts = (section === 'properties' ? (before.schema as Json).properties : before[section!]) as Json | undefined;
  return (section === 'properties' || section === 'relations' || COMPUTED.includes(section!)) && !parts?.[name];
}

function propertyChanges(path: string, was: Json, is: Json): Array<Omit<BlueprintChange, 'blueprint'>> {
  const out: Array<Omit<BlueprintChange, 'blueprint'>> = [];
  const push = (at: string, cls: ChangeClass, reason: string, from: unknown, to: unknown) =>
    out.push({
      path: at,
      class: cls,
      reason,
      ...(from === undefined ? {} : { from }),
      ...(to === undefined ? {} : { to }),
    });
  for (const key of union(was, is)) {
    const from = was[key];
    const to = is[key];
    if (same(from, to)) continue;
    const at = `${path}.${key}`;
    if (FORMAT_KEYS.includes(key))
      push(
        at,
        'blocked',
        `the property's ${key} changes: Port refuses that in place (forbidden_format_change)`,
        from,
        to,
      );
    else if (key === 'items') {
      const itemsFrom = (from ?? {}) as Json;
      const itemsTo = (to ?? {}) as Json;
      if (!same(itemsFrom.type, itemsTo.type) || !same(itemsFrom.format, itemsTo.format))
        push(
          at,
          'blocked',
          "the type of the array's items changes: Port refuses that in place (forbidden_format_change)",
          from,
          to,
        );
      else if (!same(itemsFrom.enum, itemsTo.enum))
        push(
          at,
          narrows(itemsFrom.enum, itemsTo.enum) ? 'breaking' : 'safe',
          narrows(itemsFrom.enum, itemsTo.enum)
            ? 'the allowed values of its items narrow'
            : 'the allowed values of its items widen',
          from,
          to,
        );
      else push(at, 'breaking', 'a key port-gitops does not model changes', from, to);
    } else if (key === 'enum')
      push(
        at,
        narrows(from, to) ? 'breaking' : 'safe',
        narrows(from, to)
          ? 'the allowed values narrow: entities with a value left out stop validating'
          : 'the allowed values widen',
        from,
        to,
      );
    else if (key === 'minLength' || key === 'minimum' || key === 'minItems')
      push(
        at,
        to !== undefined && (from === undefined || (to as number) > (from as number)) ? 'breaking' : 'safe',
        to !== undefined && (from === undefined || (to as number) > (from as number))
          ? 'a lower bound rises'
          : 'a lower bound falls',
        from,
        to,
      );
    else if (key === 'maxLength' || key === 'maximum' || key === 'maxItems')
      push(
        at,
        to !== undefined && (from === undefined || (to as number) < (from as number)) ? 'breaking' : 'safe',
        to !== undefined && (from === undefined || (to as number) < (from as number))
          ? 'an upper bound falls'
          : 'an upper bound rises',
        from,
        to,
      );
    else if (key === 'pattern' || key === 'uniqueItems')
      push(
        at,
        to === undefined || to === false ? 'safe' : 'breaking',
        to === undefined || to === false
          ? 'a rule is dropped'
          : 'a rule is added or changed: entities may stop validating',
        from,
        to,
      );
    else if (DESCRIPTIVE.has(key) || key === 'enumColors' || key === 'default')
      push(at, 'safe', 'a description changes', from, to);
    else push(at, 'breaking', 'a key port-gitops does not model changes', from, to);
  }
  return out;
}

/** Whether `to` leaves out a value `from` allows (an enum that narrows; no enum allows everything). */
function narrows(from: unknown, to: unknown): boolean {
  if (!Array.isArray(to)) return false;
  if (!Array.isArray(from)) return true;
  return from.some((value) => !to.some((other) => same(value, other)));
}

/** The definition as compared: without what Port writes itself, with its defaults filled in. */
function normalized(blueprint: Json): Json {
  const out: Json = {};
  for (const [key, value] of Object.entries(blueprint)) if (!OWNED_BY_PORT.has(key)) out[key] = value;
  const schema = (out.schema ?? {}) as Json;
  out.schema = {
    ...schema,
    properties: schema.properties ?? {},
    required: [...((schema.required as string[]) ?? [])].sort(),
  };
  const relations: Record<string, Json> = {};
  for (const [name, relation] of Object.entries((out.relations ?? {}) as Record<string, Json>)) {
    relations[name] = { many: false, required: false, ...relation };
  }
  out.relations = relations;
  return out;
}

function union(a: object, b: object): string[] {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
}

function same(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

function canonical(value: unknown): string {
  return (
    JSON.stringify(value, (_key, inner: unknown) =>
      inner && typeof inner === 'object' && !Array.isArray(inner)
        ? Object.fromEntries(Object.entries(inner as Json).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)))
        : inner,
    ) ?? 'undefined'
  );
}
