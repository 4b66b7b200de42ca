import { realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { LinearRegExp } from '@port-gitops/port-schema';
import { FatalError } from '../errors.js';
import { validateDraft07 } from '../precompiled.js';
import { readRepositoryFile } from '../files.js';
import { parseJsonSource, parseYamlSource } from '../source/index.js';

/** Larger than any schema worth writing; a file past it is refused rather than read into memory. */
const MAX_SCHEMA_BYTES = 8 * 1024 * 1024;

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

/** The newer JSON Schema drafts, loaded only for a shared schema that declares one. */
function loadDraft(draft: '2019' | '2020'): { Ajv2019: typeof Ajv; Ajv2020: typeof Ajv } {
  return createRequire(import.meta.url)(`ajv/dist/${draft}.js`) as { Ajv2019: typeof Ajv; Ajv2020: typeof Ajv };
}

/** The shared schema as read: the file and every sibling its relative `$ref`s reach, by the URI they resolve to. */
export interface SharedSchema {
  path: string;
  base: string;
  schema: Record<string, unknown>;
  siblings: Map<string, Record<string, unknown>>;
}

/**
 * The repository's shared schema and, recursively, the files its relative `$ref`s point at
 * (`./common.json#/definitions/team`), each read once, each inside the repository. Two locations are
 * tracked: the URI ajv resolves a reference to (against the referring schema's `$id`, if any) and the
 * file it is read from (against the referring file).
 */
export function readSharedSchema(root: string, path: string): SharedSchema {
  const schema = readSchemaFile(root, path, 'the shared schema (config "schema")');
  const fileUrl = pathToFileURL(join(root, path)).href;
  const base = typeof schema.$id === 'string' ? new URL(schema.$id, fileUrl).href : fileUrl;
  const siblings = new Map<string, Record<string, unknown>>();
  const rootUrl = pathToFileURL(`${root}/`).href;
  const visit = (node: unknown, where: { base: string; file: string }): void => {
    const stack = [node];
    while (stack.length > 0) {
      const current = stack.pop();
      if (Array.isArray(current)) stack.push(...current);
      if (typeof current !== 'object' || current === null || Array.isArray(current)) continue;
      for (const [key, value] of Object.entries(current)) {
        const refPath =
          key === '$ref' && typeof value === 'string' && !/^[a-z][a-z0-9+.-]*:/i.test(value)
            ? value.split('#')[0]
            : undefined;
        if (!refPath) {
          stack.push(value);
          continue;
        }
        const uri = new URL(refPath, where.base).href;
        if (uri === base || siblings.has(uri)) continue;
        const file = new URL(refPath, where.file).href;
        if (!file.startsWith(rootUrl)) {
          throw new FatalError('config', `the shared schema refers to ${value}, which is outside the repository`);
        }
        const sibling = readSchemaFile(root, decodeURIComponent(file.slice(rootUrl.length)), 'the schema file');
        siblings.set(uri, sibling);
        visit(sibling, { base: uri, file });
      }
    }
  };
  visit(schema, { base, file: fileUrl });
  return { path, base, schema, siblings };
}

/**
 * Compiles the shared schema in the draft it declares (draft-07 unless `$schema` says otherwise), its
 * siblings registered under the URIs their references resolve to. Its patterns run on the linear-time
 * engine when one is given; one it cannot run is a config error.
 */
export function compileSharedSchema(
  shared: SharedSchema,
  patterns?: LinearRegExp,
): { path: string; validate: ValidateFunction } {
  const draft = String(shared.schema.$schema ?? '');
  const ajvOptions = {
    allErrors: true,
    strict: false,
    verbose: true,
    ...(patterns ? { code: { regExp: patterns.engine } } : {}),
  };
  const newer = draft.includes('2020-12') ? '2020' : draft.includes('2019-09') ? '2019' : undefined;
  const draft07 = !newer && (draft === '' || draft.includes('draft-07'));
  // A draft-07 schema is checked against its meta-schema by a validator compiled at build time: ajv would
  // compile the meta-schema on every run to do the same.
  const ajv =
    newer === '2020'
      ? new (loadDraft('2020').Ajv2020)(ajvOptions)
      : newer === '2019'
        ? new (loadDraft('2019').Ajv2019)(ajvOptions)
        : new Ajv({ ...ajvOptions, ...(draft07 ? { validateSchema: false } : {}) });
  addFormats(ajv as Ajv);
  if (patterns) refuseUnboundedPatterns(shared.path, [shared.schema, ...shared.siblings.values()], patterns);
  try {
    if (draft07) {
      for (const schema of [...shared.siblings.values(), shared.schema]) {
        if (!validateDraft07(schema)) throw new Error(`schema is invalid: ${ajv.errorsText(validateDraft07.errors)}`);
      }
    }
    for (const [uri, sibling] of shared.siblings) ajv.addSchema({ ...sibling, $id: uri });
    return { path: shared.path, validate: ajv.compile({ ...shared.schema, $id: shared.base }) };
  } catch (error) {
    throw new FatalError(
      'config',
      `the shared schema ${shared.path} is not a valid JSON Schema: ${(error as Error).message}`,
    );
  }
}

/** A schema file of the repository: read like any repository file (inside it, a regular file, UTF-8). */
function readSchemaFile(root: string, path: string, what: string): Record<string, unknown> {
  const read = readRepositoryFile({ root, realRoot: realpathSync.native(root) }, path, {
    limit: MAX_SCHEMA_BYTES,
    noLink: false,
  });
  if (!read.ok) throw new FatalError('config', `${what} ${path} ${read.reason}`);
  const text = read.text;
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
 * A pattern of the shared schema that RE2 cannot run (lookaround, backreferences) is a config error: the
 * repository owns its schema and can write the pattern another way, and a backtracking engine would let
 * a crafted value hold every check for minutes.
 */
function refuseUnboundedPatterns(path: string, schemas: unknown[], patterns: LinearRegExp): void {
  const stack = [...schemas];
  while (stack.length > 0) {
    const node = stack.pop();
    if (Array.isArray(node)) stack.push(...node);
    else if (node !== null && typeof node === 'object') {
      for (const pattern of patternsOf(node as Record<string, unknown>)) {
        const reason = patterns.unsupported(pattern);
        if (reason) {
          throw new FatalError(
            'config',
            `the shared schema ${path} has the pattern ${pattern}, which cannot be checked in linear time (${reason})`,
            'write it without lookaround or backreferences: patterns run on RE2, so that no value can hold a check',
          );
        }
      }
      stack.push(...Object.values(node));
    }
  }
}

/** The regular expressions a schema object holds: its `pattern`, and the keys of its `patternProperties`. */
function patternsOf(node: Record<string, unknown>): string[] {
  const found = typeof node.pattern === 'string' ? [node.pattern] : [];
  const byPattern = node.patternProperties;
  if (byPattern !== null && typeof byPattern === 'object' && !Array.isArray(byPattern))
    found.push(...Object.keys(byPattern));
  return found;
}
