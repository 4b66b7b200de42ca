import {
  type Blueprint,
  EntityValidator,
  type SchemaError,
  hasPattern,
  loadLinearRegExp,
  sharedPortAjv,
} from '@port-gitops/port-schema';
import type { LoadedEntity, LoadedFile, Locator, Problem } from '../model.js';
import { validateEntityFile } from '../precompiled.js';
import { type ErrorContext, toProblem } from './problems.js';
import type { KnownTeams } from '../read/index.js';
import { checkDefinitions } from './definitions.js';
import { unsendable } from './sendable.js';
import { compileSharedSchema, readSharedSchema } from './shared-schema.js';
import { checkTeams } from './teams.js';

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
  /** Where the definitions come from (config `blueprintsDir`), for messages. */
  blueprintsDir?: string;
  /** An entity of a blueprint without a definition is an error, not a warning. */
  strictBlueprints?: boolean;
  /** Port's teams, when the repository keeps a snapshot of them. */
  teams?: KnownTeams | undefined;
  /** A value refused by a rule Port does not document: an error (default) or a warning. */
  unverifiedRules?: 'error' | 'warning';
}

export interface Validator {
  validate(files: LoadedFile[]): ValidationResult;
}

/**
 * Compiles every schema once for the run: the entity file schema, the repository's shared schema,
 * and (lazily, once each) the blueprints' schemas. Patterns of the repository's own schemas (the
 * blueprints, the shared schema) run on a linear-time engine, loaded only when there is one.
 */
export async function createValidator(options: ValidatorOptions): Promise<Validator> {
  const sharedSchema = options.sharedSchemaPath ? readSharedSchema(options.root, options.sharedSchemaPath) : undefined;
  const needsPatterns =
    hasPattern([...options.blueprints.values()]) ||
    (sharedSchema !== undefined && hasPattern([sharedSchema.schema, ...sharedSchema.siblings.values()]));
  const patterns = needsPatterns ? await loadLinearRegExp() : undefined;
  const entities = new EntityValidator({ ajv: sharedPortAjv(), verbose: true, ...(patterns ? { patterns } : {}) });
  // Compiled at build time from ENTITY_FILE_SCHEMA (scripts/precompile.mjs).
  const fileSchema = validateEntityFile;
  const shared = sharedSchema ? compileSharedSchema(sharedSchema, patterns) : undefined;
  const definitions = checkDefinitions(options, entities);
  const teams = checkTeams(options);
  const unverified = options.unverifiedRules ?? 'error';

  const validateEntity = (entity: LoadedEntity, locator: Locator): Problem[] => {
    const problems: Problem[] = [];
    const report = (errors: SchemaError[] | null | undefined, context: ErrorContext) => {
      for (const error of errors ?? []) problems.push(toProblem(error, entity, locator, context));
    };
    // An entity a search query identifies (read/identifier-query.ts) updates one Port holds: its query is
    // Port's to judge, and the blueprint's requirements are already met by that entity.
    const data = entity.identifierQuery ? { ...entity.data, identifier: 'identified-by-a-search-query' } : entity.data;
    if (!fileSchema(data)) report(fileSchema.errors, { source: 'entity' });
    if (shared && !shared.validate(data)) report(shared.validate.errors, { source: 'shared', schemaPath: shared.path });
    const blueprint = entity.blueprint ? options.blueprints.get(entity.blueprint) : undefined;
    if (blueprint) {
      const errors = entities.validateAgainstBlueprint(blueprint, data);
      report(entity.identifierQuery ? errors.filter((error) => error.keyword !== 'required') : errors, {
        source: 'blueprint',
        blueprint,
        unverified,
      });
    }
    problems.push(...definitions(entity, locator), ...teams(entity, locator), ...unsendable(entity, locator));
    return dedupe(problems);
  };

  return {
    validate(files) {
      const problems: Problem[] = [];
      const invalidFiles = new Set<string>();
      const firstDefinition = new Map<string, { entity: LoadedEntity; locator: Locator }>();
      for (const file of files) {
        const fileProblems = [...file.problems];
        // A `file://` value that could not be read is one fault: its placeholder text is not also judged.
        const unresolved = new Set(file.problems.filter((p) => p.code === 'file-reference').map((p) => p.pointer));
        for (const entity of file.entities) {
          const judged = validateEntity(entity, file.locator);
          fileProblems.push(
            ...(unresolved.size > 0
              ? judged.filter((p) => !(p.code === 'schema' && unresolved.has(p.pointer)))
              : judged),
          );
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
  return reviseValidation(result, files, { add: extra, drop: new Set() });
}

/**
 * A validation result with problems added, and some dropped (doubts a later check settled): which files
 * are invalid, and so which entities are valid, follows from the problems that remain.
 */
export function reviseValidation(
  result: ValidationResult,
  files: LoadedFile[],
  change: { add: Problem[]; drop: ReadonlySet<Problem> },
): ValidationResult {
  if (change.add.length === 0 && change.drop.size === 0) return result;
  const problems = [...result.problems.filter((p) => !change.drop.has(p)), ...change.add].sort(byPosition);
  const invalidFiles = new Set(problems.filter((p) => p.severity === 'error').map((p) => p.file));
  const valid = files.filter((file) => !invalidFiles.has(file.path)).flatMap((file) => file.entities);
  return { valid, problems, invalidFiles };
}

/**
 * One message per fault: a value of the wrong type is not also reported against its enum or format, and
 * a number JSON cannot carry is not also judged against the blueprint's bounds.
 */
function dedupe(problems: Problem[]): Problem[] {
  const seen = new Set<string>();
  const unsendable = new Set(problems.filter((p) => p.rule === 'port entity: number').map((p) => p.pointer));
  // `relations:` left empty is one fault, not also each required relation missing inside it.
  const wrongTypeParents = new Set(problems.filter((p) => p.rule?.endsWith(': type')).map((p) => p.pointer));
  const parentOf = (pointer: string) => pointer.slice(0, pointer.lastIndexOf('/'));
  const wrongType = new Set(
    problems
      .filter((p) => p.message.startsWith('must be ') && !p.message.startsWith('must be one of'))
      .map((p) => p.pointer),
  );
  // A key that is not a property identifier: one message (propertyNames), not also its pattern's.
  const badKeys = new Set(
    problems.filter((p) => p.rule?.endsWith(': key-pattern')).map((p) => `${p.pointer}:${p.line}:${p.column}`),
  );
  return problems.filter((p) => {
    if (unsendable.has(p.pointer) && p.rule !== 'port entity: number') return false;
    if (p.rule?.endsWith(': pattern') && badKeys.has(`${p.pointer}:${p.line}:${p.column}`)) return false;
    if (p.rule?.endsWith(': required') && wrongTypeParents.has(parentOf(p.pointer))) return false;
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
