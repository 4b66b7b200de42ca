import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { FatalError } from '../errors.js';
import { parseJsonSource, parseYamlSource } from '../source/index.js';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

/** The newer JSON Schema drafts, loaded only for a shared schema that declares one. */
function loadDraft(draft: '2019' | '2020'): { Ajv2019: typeof Ajv; Ajv2020: typeof Ajv } {
  return createRequire(import.meta.url)(`ajv/dist/${draft}.js`) as { Ajv2019: typeof Ajv; Ajv2020: typeof Ajv };
}

/**
 * The repository's shared schema, in the draft it declares (draft-07 unless `$schema` says otherwise).
 * Relative `$ref`s to sibling files (`./common.json#/definitions/team`) are loaded too, each once,
 * and must stay inside the repository.
 */
export function compileSharedSchema(root: string, path: string): { path: string; validate: ValidateFunction } {
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
  const rootUrl = pathToFileURL(`${root}/`).href;
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const item of node) visit(item);
      return;
    }
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
