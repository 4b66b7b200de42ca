/**
 * The jq input of a file as each Ocean integration builds it, so that a mapping written for one runs here
 * unchanged: the keys it has (`.content`, `.file.content`, `.file.content.raw` ...) and how it parses the
 * file's text (which extensions, YAML 1.2 or 1.1, several documents). Repository fields come from the
 * local git repository, never from a network call. docs/mappings.md lists the differences.
 */
import { basename, posix } from 'node:path';
import { parseAllDocuments } from 'yaml';

export type Provider = 'github' | 'gitlab' | 'azure-devops';

/** What the mapping may say of the repository, read from the local clone. */
export interface RepositoryFacts {
  /** The repository's name (`monorepo`), and with its owner or group (`acme/monorepo`) when a remote says it. */
  name: string;
  fullName: string;
  defaultBranch: string;
  /** The remote's address without credentials, for links (`https://github.com/acme/monorepo`). */
  url: string;
  /** The branch being checked or synced. */
  branch: string;
}

/** GitHub's and GitLab's integrations parse by the name's ending, with case (`str.endswith`). */
const PARSED_BY_EXTENSION = /\.(json|ya?ml)$/;

/**
 * `.` for one file, as the provider's integration builds it: the file's text parsed by its rules (or
 * kept as text with `skipParsing`), the file's path and name, the repository.
 */
export function rawItem(
  provider: Provider,
  file: { path: string; text: string },
  repository: RepositoryFacts,
  skipParsing: boolean,
): Record<string, unknown> {
  const size = Buffer.byteLength(file.text);
  switch (provider) {
    case 'github':
      return {
        content: skipParsing ? file.text : parseGithub(file.path, file.text),
        path: file.path,
        name: basename(file.path),
        branch: repository.branch,
        organization: repository.fullName.includes('/') ? repository.fullName.split('/')[0] : null,
        repository: {
          name: repository.name,
          full_name: repository.fullName,
          default_branch: repository.defaultBranch,
          html_url: repository.url,
          owner: { login: repository.fullName.split('/')[0] },
        },
        metadata: { path: file.path, size },
        __base_jq: '.content',
      };
    case 'gitlab':
      return {
        file: {
          content: skipParsing ? file.text : parseGitlab(file.path, file.text),
          file_name: basename(file.path),
          file_path: file.path,
          path: file.path,
          size,
          ref: repository.branch,
        },
        repo: {
          name: repository.name,
          path_with_namespace: repository.fullName,
          default_branch: repository.defaultBranch,
          web_url: repository.url,
        },
      };
    case 'azure-devops':
      return {
        file: {
          path: file.path,
          isFolder: false,
          size,
          content: { raw: file.text, parsed: parseAzureDevops(file.text) },
        },
        repo: {
          name: repository.name,
          remoteUrl: repository.url,
          defaultBranch: `refs/heads/${repository.defaultBranch}`,
          project: { name: repository.fullName.split('/')[0] },
        },
      };
  }
}

/** GitHub Ocean: JSON and YAML by extension, YAML 1.2, one document only; anything else, or a failure, is the text. */
function parseGithub(path: string, text: string): unknown {
  if (!PARSED_BY_EXTENSION.test(path)) return text;
  if (path.endsWith('.json')) return jsonOr(text, text);
  const documents = yamlDocuments(text, '1.2');
  return documents && documents.length === 1 ? documents[0] : text;
}

/**
 * GitLab: JSON, YAML and YML files only; JSON first, then YAML 1.1, split on `---` lines, always a list
 * of documents, a document that is a list flattened into it.
 */
function parseGitlab(path: string, text: string): unknown {
  if (!PARSED_BY_EXTENSION.test(path)) return text;
  const json = jsonOr(text, undefined);
  if (json !== undefined) return json;
  const documents = yamlDocuments(text, '1.1');
  if (!documents) return text;
  return documents.flatMap((document) => (Array.isArray(document) ? document : [document]));
}

/**
 * Azure DevOps: every file; JSON first, then YAML 1.1; several documents only when the text starts with
 * `---` (then a list, or the one document); a failure is null beside the raw text.
 */
function parseAzureDevops(text: string): unknown {
  const json = jsonOr(text, undefined);
  if (json !== undefined) return json;
  const documents = yamlDocuments(text, '1.1');
  if (!documents) return null;
  if (text.startsWith('---') && documents.length !== 1) return documents;
  return documents[0] ?? null;
}

function jsonOr<T>(text: string, fallback: T): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return fallback;
  }
}

/** The documents of a YAML text (dates as ISO strings, as Ocean turns them before jq), or undefined when it does not parse. */
function yamlDocuments(text: string, version: '1.1' | '1.2'): unknown[] | undefined {
  const documents = parseAllDocuments(text, { version, uniqueKeys: false, logLevel: 'silent' });
  if (documents.some((doc) => doc.errors.length > 0)) return undefined;
  return documents
    .filter((doc) => doc.contents !== null)
    .map((doc) => JSON.parse(JSON.stringify(doc.toJS({ maxAliasCount: 1000 })) ?? 'null'));
}

/** A `file://` value in a file's parsed content, and the repository path the provider reads for it. */
export interface ContentReference {
  /** A JSON pointer into the content. */
  pointer: string;
  reference: string;
  /** Undefined when it would leave the repository. */
  path: string | undefined;
}

const FILE_REFERENCE = 'file://';

/**
 * The `file://` values of a file's parsed content that the provider's integration replaces before jq
 * runs (docs/mappings.md), where it reads each:
 * - GitHub: the top-level values of an object, or of each object in a top-level list; the path is
 *   relative to the matched file's folder;
 * - GitLab: any value, however deep; the path is relative to the repository root, and `file:///...`
 *   is left as it is;
 * - Azure DevOps: none.
 */
export function contentReferences(provider: Provider, path: string, content: unknown): ContentReference[] {
  const found: ContentReference[] = [];
  const isObject = (value: unknown): value is Record<string, unknown> =>
    typeof value === 'object' && value !== null && !Array.isArray(value);
  const pointerOf = (keys: Array<string | number>) =>
    keys.map((key) => `/${String(key).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
  if (provider === 'github') {
    const folder = posix.dirname(path);
    const topLevel = (object: Record<string, unknown>, prefix: Array<string | number>) => {
      for (const [key, value] of Object.entries(object)) {
        if (typeof value !== 'string' || !value.startsWith(FILE_REFERENCE)) continue;
        // Ocean drops every `file://` of the value, and joins what is left to the file's folder.
        const relative = value.split(FILE_REFERENCE).join('');
        found.push({ pointer: pointerOf([...prefix, key]), reference: value, path: inRepository(folder, relative) });
      }
    };
    if (isObject(content)) topLevel(content, []);
    else if (Array.isArray(content)) {
      for (const [i, item] of content.entries()) if (isObject(item)) topLevel(item, [i]);
    }
  } else if (provider === 'gitlab') {
    const walk = (value: unknown, keys: Array<string | number>) => {
      if (typeof value === 'string') {
        if (value.startsWith(FILE_REFERENCE) && !value.startsWith(`${FILE_REFERENCE}/`)) {
          found.push({
            pointer: pointerOf(keys),
            reference: value,
            path: inRepository('.', value.slice(FILE_REFERENCE.length)),
          });
        }
      } else if (Array.isArray(value)) {
        for (const [i, item] of value.entries()) walk(item, [...keys, i]);
      } else if (isObject(value)) for (const [key, inner] of Object.entries(value)) walk(inner, [...keys, key]);
    };
    if (typeof content !== 'string') walk(content, []);
  }
  return found;
}

/** `relative` joined to `folder`, normalised; undefined when it leaves the repository. */
function inRepository(folder: string, relative: string): string | undefined {
  const joined = posix.normalize(folder === '.' ? relative : `${folder}/${relative}`);
  return joined === '..' || joined.startsWith('../') || joined.startsWith('/') || joined === '.' ? undefined : joined;
}

/**
 * The jq input with the `file://` values of its content replaced as the provider replaces them: GitHub
 * parses a referenced file as it parses a matched one and puts "" for one that is not in the repository;
 * GitLab puts the text as it is, and null for a missing one. `read` gives a repository file's text, or
 * why it cannot. The references are returned, the unread ones with the reason, for the dependency on
 * them and for a warning.
 */
export function withContentReferences(
  provider: Provider,
  path: string,
  item: Record<string, unknown>,
  read: (path: string) => { ok: true; text: string } | { ok: false; message: string },
): { item: Record<string, unknown>; references: Array<ContentReference & { unread?: string }> } {
  const content = contentOf(provider, item);
  const found = contentReferences(provider, path, content);
  if (found.length === 0) return { item, references: [] };
  const copy = structuredClone(content) as Record<string, unknown> | unknown[];
  const references = found.map((reference) => {
    const got = reference.path === undefined ? undefined : read(reference.path);
    const text = got?.ok ? got.text : undefined;
    const keys = reference.pointer
      .slice(1)
      .split('/')
      .map((key) => key.replace(/~1/g, '/').replace(/~0/g, '~'));
    let parent = copy as Record<string, unknown>;
    for (const key of keys.slice(0, -1)) parent = parent[key] as Record<string, unknown>;
    parent[keys.at(-1)!] = provider === 'github' ? (text ? parseGithub(reference.path!, text) : '') : (text ?? null);
    if (got?.ok) return reference;
    return { ...reference, unread: got ? got.message : 'it names a file outside the repository' };
  });
  const replaced =
    provider === 'github'
      ? { ...item, content: copy }
      : { ...item, file: { ...(item.file as Record<string, unknown>), content: copy } };
  return { item: replaced, references };
}

/** The content of a provider's jq input (the parsed one for Azure DevOps). */
export function contentOf(provider: Provider, item: Record<string, unknown>): unknown {
  if (provider === 'github') return item.content;
  const file = item.file as Record<string, unknown>;
  return provider === 'gitlab' ? file.content : (file.content as Record<string, unknown>).parsed;
}
