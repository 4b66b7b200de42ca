import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Ajv, type AnySchema, type ErrorObject, type ValidateFunction } from 'ajv';
import { createRequire } from 'node:module';
import addFormatsModule from 'ajv-formats';
import { type Blueprint, EntityValidator, computedPropertyKinds, sharedPortAjv } from '@port-gitops/port-schema';
import { closest } from './closest.js';
import { ENTITY_FILE_SCHEMA } from './entity-file-schema.js';
import { FatalError } from './errors.js';
import type { LoadedEntity, LoadedFile, Locator, Problem } from './model.js';
import { parseJsonSource, parseYamlSource, place } from './source.js';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

/** The newer JSON Schema drafts, loaded only for a shared schema that declares one. */
function loadDraft(draft: '2019' | '2020'): { Ajv2019: typeof Ajv; Ajv2020: typeof Ajv } {
  return createRequire(import.meta.url)(`ajv/dist/${draft}.js`) as { Ajv2019: typeof Ajv; Ajv2020: typeof Ajv };
}

export interface ValidationResult {
  /** Entities of files without any problem, ready to push. */
  valid: LoadedEntity[];
  problems: Problem[];
  /** Paths of files with at least one problem: none of their entities is pushed. */
  invalidFiles: Set<string>;
}

export interface ValidatorOptions {
  root: string;
  /** Repository-relative path of the shared JSON Schema (config `schema`). */
  sharedSchemaPath?: string;
  blueprints: ReadonlyMap<string, Blueprint>;
}

export interface Validator {
  validate(files: LoadedFile[]): ValidationResult;
}

/**
 * Compiles every schema once for the run: the entity file schema, the repository's shared schema,
 * and (lazily, once each) the blueprints' schemas.
 */
export function createValidator(options: ValidatorOptions): Validator {
  const entities = new EntityValidator(sharedPortAjv());
  const fileSchema = entities.compile(ENTITY_FILE_SCHEMA);
  const shared = options.sharedSchemaPath ? compileSharedSchema(options.root, options.sharedSchemaPath) : undefined;

  const validateEntity = (entity: LoadedEntity, locator: Locator): Problem[] => {
    const problems: Problem[] = [];
    const report = (errors: ErrorObject[] | null | undefined, context: ErrorContext) => {
      for (const error of errors ?? []) problems.push(toProblem(error, entity, locator, context));
    };
    if (!fileSchema(entity.data)) report(fileSchema.errors, { source: 'entity' });
    if (shared && !shared.validate(entity.data))
      report(shared.validate.errors, { source: 'shared', schemaPath: shared.path });
    const blueprint = entity.blueprint ? options.blueprints.get(entity.blueprint) : undefined;
    if (blueprint)
      report(entities.validateAgainstBlueprint(blueprint, entity.data), { source: 'blueprint', blueprint });
    return dedupe(problems);
  };

  return {
    validate(files) {
      const problems: Problem[] = [];
      const invalidFiles = new Set<string>();
      const firstDefinition = new Map<string, { entity: LoadedEntity; locator: Locator }>();
      for (const file of files) {
        const fileProblems = [...file.problems];
        for (const entity of file.entities) {
          fileProblems.push(...validateEntity(entity, file.locator));
          if (entity.blueprint && entity.identifier) {
            const key = `${entity.blueprint}\u0000${entity.identifier}`;
            const first = firstDefinition.get(key);
            if (!first) {
              firstDefinition.set(key, { entity, locator: file.locator });
            } else {
              // Both places are reported: pushing either would silently overwrite the other.
              const here = file.locator.locate(entity.pointer);
              const there = first.locator.locate(first.entity.pointer);
              const message = (where: string) =>
                `entity "${entity.identifier}" of blueprint "${entity.blueprint}" is also defined at ${where}`;
              fileProblems.push({
                file: file.path,
                ...here,
                pointer: entity.pointer,
                code: 'duplicate',
                severity: 'error',
                rule: 'unique-identifier',
                message: message(`${first.entity.file}:${there.line}`),
              });
              problems.push({
                file: first.entity.file,
                ...there,
                pointer: first.entity.pointer,
                code: 'duplicate',
                severity: 'error',
                rule: 'unique-identifier',
                message: message(`${file.path}:${here.line}`),
              });
              invalidFiles.add(first.entity.file);
            }
          }
        }
        if (fileProblems.some((p) => p.severity === 'error')) invalidFiles.add(file.path);
        problems.push(...fileProblems);
      }
      const valid = files.filter((file) => !invalidFiles.has(file.path)).flatMap((file) => file.entities);
      problems.sort(byPosition);
      return { valid, problems, invalidFiles };
    },
  };
}

/** File by file, then line and column. */
function byPosition(a: Problem, b: Problem): number {
  return a.file === b.file ? a.line - b.line || a.column - b.column : a.file < b.file ? -1 : 1;
}

/** Adds problems found by a later check (relation targets, Port's own verdict) to a validation result. */
export function withProblems(result: ValidationResult, files: LoadedFile[], extra: Problem[]): ValidationResult {
  if (extra.length === 0) return result;
  const invalidFiles = new Set(result.invalidFiles);
  for (const problem of extra) if (problem.severity === 'error') invalidFiles.add(problem.file);
  const problems = [...result.problems, ...extra].sort(byPosition);
  const valid = files.filter((file) => !invalidFiles.has(file.path)).flatMap((file) => file.entities);
  return { valid, problems, invalidFiles };
}

/**
 * The repository's shared schema, in the draft it declares (draft-07 unless `$schema` says otherwise).
 * Relative `$ref`s to sibling files (`./common.json#/definitions/team`) are loaded too, each once,
 * and must stay inside the repository.
 */
function compileSharedSchema(root: string, path: string): { path: string; validate: ValidateFunction } {
  const schema = readSchemaFile(root, path, 'the shared schema (config "schema")');
  const draft = String(schema?.$schema ?? '');
  const ajvOptions = { allErrors: true, strict: false, verbose: true };
  const ajv = draft.includes('2020-12')
    ? new (loadDraft('2020').Ajv2020)(ajvOptions)
    : draft.includes('2019-09')
      ? new (loadDraft('2019').Ajv2019)(ajvOptions)
      : new Ajv(ajvOptions);
  addFormats(ajv as Ajv);
  const fileUrl = pathToFileURL(join(root, path)).href;
  const base = typeof schema.$id === 'string' ? new URL(schema.$id, fileUrl).href : fileUrl;
  try {
    addSiblingSchemas(ajv as Ajv, root, schema, { base, file: fileUrl }, new Set([base]));
    return { path, validate: ajv.compile({ ...schema, $id: base }) };
  } catch (error) {
    if (error instanceof FatalError) throw error;
    throw new FatalError('config', `the shared schema ${path} is not a valid JSON Schema: ${(error as Error).message}`);
  }
}

function readSchemaFile(root: string, path: string, what: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(join(root, path), 'utf8');
  } catch (error) {
    throw new FatalError(
      'config',
      `cannot read ${what} ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
    );
  }
  const source = /\.json$/i.test(path) ? parseJsonSource(text) : parseYamlSource(text);
  const firstError = source.errors[0];
  if (firstError)
    throw new FatalError('config', `${path}:${firstError.line}:${firstError.column}: ${firstError.message}`);
  const schema = source.documents[0];
  if (typeof schema !== 'object' || schema === null)
    throw new FatalError('config', `${path} is not a JSON Schema object`);
  return schema as Record<string, unknown>;
}

/**
 * Registers the files that relative `$ref`s point at, recursively, each once. Two locations are
 * tracked: the URI ajv resolves a reference to (against the referring schema's `$id`, if any) and
 * the file it is read from (against the referring file), which must be inside the repository.
 */
function addSiblingSchemas(
  ajv: Ajv,
  root: string,
  schema: unknown,
  where: { base: string; file: string },
  loaded: Set<string>,
): void {
  const rootUrl = pathToFileURL(root + '/').href;
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (typeof node !== 'object' || node === null) return;
    for (const [key, value] of Object.entries(node)) {
      const refPath =
        key === '$ref' && typeof value === 'string' && !/^[a-z][a-z0-9+.-]*:/i.test(value)
          ? value.split('#')[0]
          : undefined;
      if (!refPath) {
        visit(value);
        continue;
      }
      const uri = new URL(refPath, where.base).href;
      if (loaded.has(uri)) continue;
      loaded.add(uri);
      const file = new URL(refPath, where.file).href;
      if (!file.startsWith(rootUrl))
        throw new FatalError('config', `the shared schema refers to ${value}, which is outside the repository`);
      const sibling = readSchemaFile(root, decodeURIComponent(file.slice(rootUrl.length)), 'the schema file');
      // Registered under the URI the reference resolves to, whatever `$id` the file declares.
      ajv.addSchema({ ...sibling, $id: uri });
      addSiblingSchemas(ajv, root, sibling, { base: uri, file }, loaded);
    }
  };
  visit(schema);
}

interface ErrorContext {
  source: 'entity' | 'shared' | 'blueprint';
  schemaPath?: string;
  blueprint?: Blueprint;
}

function toProblem(error: ErrorObject, entity: LoadedEntity, locator: Locator, context: ErrorContext): Problem {
  let relative = error.instancePath;
  let key = false;
  let message: string;
  let hint: string | undefined;
  let rule: string = error.keyword;
  const params = error.params as Record<string, unknown>;
  const found = error.data === undefined ? '' : ` (found ${shorten(error.data)})`;

  switch (error.keyword) {
    case 'required':
      // The property is not there: point at the key of the object that lacks it.
      relative += `/${escape(String(params.missingProperty))}`;
      key = true;
      message = `missing required property "${String(params.missingProperty)}"`;
      break;
    case 'additionalProperties': {
      const name = String(params.additionalProperty);
      relative += `/${escape(name)}`;
      key = true;
      const area =
        error.instancePath === '/properties' ? 'property' : error.instancePath === '/relations' ? 'relation' : 'field';
      rule = `unknown-${area}`;
      const known = Object.keys((error.parentSchema as { properties?: Record<string, unknown> })?.properties ?? {});
      message = `unknown ${area} "${name}"${context.blueprint && area !== 'field' ? ` in blueprint "${context.blueprint.identifier}"` : ''}`;
      const suggestion = closest(name, known);
      if (suggestion) hint = `did you mean "${suggestion}"?`;
      else if (known.length > 0 && known.length <= 12) hint = `known: ${known.join(', ')}`;
      break;
    }
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).filter((v) => v !== null);
      message = `must be one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}${found}`;
      break;
    }
    case 'type': {
      // null (clears a value) and a search-query object are always allowed; naming them only distracts.
      const types = String(params.type)
        .split(',')
        .filter((t) => t !== 'null' && !(t === 'object' && error.instancePath.startsWith('/relations/')));
      message = `must be ${types.join(' or ')}${found}`;
      if (error.instancePath.startsWith('/relations/')) hint = relationHint(error.instancePath, context.blueprint);
      break;
    }
    case 'format':
      message = `must match format "${String(params.format)}"${found}`;
      break;
    case 'pattern':
      if (context.source !== 'shared' && /^\/(identifier|relations\/)/.test(error.instancePath)) {
        message = `is not a valid identifier${found}`;
        hint = 'identifiers hold letters, digits and @ _ . + : \\ / = - only, and may not be "." or ".."';
        rule = 'identifier';
      } else {
        message = `must match the pattern ${String(params.pattern)}${found}`;
      }
      break;
    case 'propertyNames':
      message = `has an invalid key ${JSON.stringify(params.propertyName)}`;
      rule = 'key-pattern';
      hint = 'property and relation keys hold A-Z a-z 0-9 @ _ = - only';
      break;
    case 'false schema': {
      const name = error.instancePath.split('/').pop() ?? '';
      const kind = context.blueprint
        ? computedPropertyKinds(context.blueprint).get(name.replaceAll('~1', '/').replaceAll('~0', '~'))
        : undefined;
      message = `"${name}" is ${kind === 'aggregation' ? 'an' : 'a'} ${kind ?? 'computed'} property: Port computes it, so it cannot be set in a file`;
      rule = 'computed-property';
      key = true;
      break;
    }
    default:
      message = `${error.message ?? 'is invalid'}${found}`;
  }
  if (context.source === 'shared') message += ` (shared schema ${context.schemaPath})`;
  const origin =
    context.source === 'blueprint'
      ? `blueprint ${context.blueprint?.identifier}`
      : context.source === 'shared'
        ? 'shared schema'
        : 'port entity';
  return {
    file: entity.file,
    ...place(locator, entity.pointer + relative, { key }),
    code: 'schema',
    severity: 'error',
    rule: `${origin}: ${rule}`,
    message,
    ...(hint ? { hint } : {}),
  };
}

function relationHint(instancePath: string, blueprint: Blueprint | undefined): string | undefined {
  const name = instancePath.split('/')[2];
  const relation = name ? blueprint?.relations?.[name] : undefined;
  if (!relation) return undefined;
  return relation.many
    ? `"${name}" is a many relation to "${relation.target}": a list of identifiers, e.g. ["a", "b"]`
    : `"${name}" is a single relation to "${relation.target}": one identifier, e.g. "a"`;
}

/** One message per fault: a value of the wrong type is not also reported against its enum or format. */
function dedupe(problems: Problem[]): Problem[] {
  const seen = new Set<string>();
  const wrongType = new Set(
    problems
      .filter((p) => p.message.startsWith('must be ') && !p.message.startsWith('must be one of'))
      .map((p) => p.pointer),
  );
  return problems.filter((p) => {
    if (
      wrongType.has(p.pointer) &&
      (p.message.startsWith('must be one of') || p.message.startsWith('must match format'))
    )
      return false;
    const key = `${p.pointer}\u0000${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function escape(segment: string): string {
  return segment.replaceAll('~', '~0').replaceAll('/', '~1');
}

/** A value as shown in a message, cut short: messages must stay readable whatever the file holds. */
export function shorten(value: unknown): string {
  const text = typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}
