import { createHash } from 'node:crypto';
import { applyEdits, modify, parse as parseJsonc } from 'jsonc-parser';
import { type Blueprint, type JsonSchema, compileBlueprintSchema } from '@port-gitops/port-schema';
import { ENTITY_FILE_SCHEMA } from './entity-file-schema.js';

/** The key under which a generated schema records the blueprints it was made from. */
const MADE_FROM = 'x-port-gitops-blueprints';

/**
 * String formats editors know and check as port-gitops checks them: none, for now. Port's `url`,
 * `date-time`, `email`, `ipv4`... are checked by port-gitops with Port's own rules (formats.ts), which no
 * editor's format check matches value for value; Port's own formats (`markdown`, `yaml`, `user`, `team`,
 * `timer`, `proto`, ...) are unknown to editors. A format is left out of the editor's schema rather than
 * let an editor raise an error `check` would not (docs/config.md says formats are `check`'s).
 */
const EDITOR_FORMATS = new Set<string>();

/**
 * One JSON Schema (draft-07, which VS Code's JSON and YAML support and JetBrains IDEs read) for entity
 * files, in which each blueprint's rules (its properties' types, enums, bounds and patterns, required
 * properties and relations, unknown keys) apply where an entity's `blueprint` names it; with
 * `defaultBlueprint`, they also apply to an entity that names none (a file a config rule gives a
 * blueprint). What JSON Schema cannot say stays with `check`: relation targets across files,
 * duplicates, teams, formats, values sync could not send as written.
 */
export function editorSchema(
  blueprints: ReadonlyMap<string, Blueprint>,
  options: { defaultBlueprint?: string } = {},
): JsonSchema {
  const definitions: Record<string, JsonSchema> = {};
  const byBlueprint: JsonSchema[] = [];
  // Definitions are numbered: a blueprint identifier may hold `/`, `:` or `~`, which a `$ref` would escape.
  const sorted = [...blueprints].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const refOf = new Map(sorted.map(([identifier], i) => [identifier, `#/definitions/blueprint-${i}`]));
  sorted.forEach(([identifier, blueprint], i) => {
    // check reads a missing `properties` or `relations` as empty: one the blueprint requires is missing.
    const required = [
      ...((blueprint.schema?.required ?? []).length > 0 ? ['properties'] : []),
      ...(Object.values(blueprint.relations ?? {}).some((relation) => relation.required) ? ['relations'] : []),
    ];
    definitions[`blueprint-${i}`] = {
      title: identifier,
      ...(forEditors(compileBlueprintSchema(blueprint)) as JsonSchema),
      ...(required.length > 0 ? { required } : {}),
    };
    byBlueprint.push(
      when({ properties: { blueprint: { const: identifier } }, required: ['blueprint'] }, refOf.get(identifier)!),
    );
  });
  const fallback = options.defaultBlueprint ? refOf.get(options.defaultBlueprint) : undefined;
  if (fallback) byBlueprint.push(when({ not: { required: ['blueprint'] } }, fallback));
  definitions.entity = { ...ENTITY_FILE_SCHEMA, allOf: byBlueprint };
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'port-gitops entity file',
    description: `One Port entity, or a list of them, checked against the repository's blueprints${options.defaultBlueprint ? ` (an entity without \`blueprint\` is a ${options.defaultBlueprint})` : ''}. Written by \`port-gitops schemas\`; run it again when the blueprints change (\`check\` says when).`,
    [MADE_FROM]: blueprintsDigest(blueprints),
    definitions,
    anyOf: [{ $ref: '#/definitions/entity' }, { type: 'array', items: { $ref: '#/definitions/entity' } }],
  };
}

/** A digest of the blueprint definitions, as a generated schema records it, to tell when it is out of date. */
export function blueprintsDigest(blueprints: ReadonlyMap<string, Blueprint>): string {
  const hash = createHash('sha256');
  for (const [identifier, blueprint] of [...blueprints].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    hash.update(`${identifier}\u0000${canonical(blueprint)}\u0000`);
  }
  return hash.digest('hex').slice(0, 16);
}

/** The digest a generated schema's text records, or undefined when it records none (not one of port-gitops'). */
export function digestRecordedIn(schemaText: string): string | undefined {
  try {
    const recorded = (JSON.parse(schemaText) as Record<string, unknown>)[MADE_FROM];
    return typeof recorded === 'string' ? recorded : undefined;
  } catch {
    return undefined;
  }
}

/** The compiled schema without what editors would judge otherwise than `check` (`EDITOR_FORMATS`). */
function forEditors(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(forEditors);
  if (typeof schema !== 'object' || schema === null) return schema;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'format' && typeof value === 'string' && !EDITOR_FORMATS.has(value)) continue;
    // Patterns run on editors' JavaScript engine with the `u` flag, as port-gitops runs them (RE2).
    out[key] = forEditors(value);
  }
  return out;
}

/** JSON Schema's `if`/`then`: where `condition` holds, the schema `ref` names applies. */
function when(condition: JsonSchema, ref: string): JsonSchema {
  // biome-ignore lint/suspicious/noThenProperty: JSON Schema's keyword, in data that is never awaited.
  return { if: condition, then: { $ref: ref } };
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** One schema file for editors and the files it is for, as `.vscode/settings.json` maps them. */
export interface EditorSchemaFile {
  /** Repository-relative path. */
  path: string;
  /** Repository-relative globs of the files it checks. */
  files: string[];
}

/**
 * VS Code's settings (`.vscode/settings.json`, JSON with comments) with `yaml.schemas` (the YAML
 * extension) and `json.schemas` pointing each glob at its schema: entries port-gitops wrote before are
 * replaced, every other setting and comment is kept as written.
 */
export function vscodeSettingsWithSchemas(text: string, schemas: EditorSchemaFile[]): string {
  const current = (parseJsonc(text || '{}') ?? {}) as Record<string, unknown>;
  const ours = new Set(schemas.map(({ path }) => `./${path}`));
  const yamlSchemas = Object.fromEntries(
    Object.entries((current['yaml.schemas'] as Record<string, unknown> | undefined) ?? {}).filter(
      ([url]) => !ours.has(url),
    ),
  );
  const jsonSchemas = ((current['json.schemas'] as Array<{ url?: string }> | undefined) ?? []).filter(
    (entry) => !ours.has(entry.url ?? ''),
  );
  for (const { path, files } of schemas) {
    const yaml = files.filter((glob) => /\.ya?ml$/.test(glob));
    const json = files.filter((glob) => /\.json$/.test(glob));
    if (yaml.length > 0) yamlSchemas[`./${path}`] = yaml;
    if (json.length > 0) jsonSchemas.push({ fileMatch: json, url: `./${path}` } as { url: string });
  }
  const formatting = { formattingOptions: { insertSpaces: true, tabSize: 2 } };
  let out = text.trim() ? text : '{}\n';
  out = applyEdits(out, modify(out, ['yaml.schemas'], yamlSchemas, formatting));
  out = applyEdits(out, modify(out, ['json.schemas'], jsonSchemas, formatting));
  return out.endsWith('\n') ? out : `${out}\n`;
}
