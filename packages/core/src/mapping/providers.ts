/**
 * The jq input of a file as each Ocean integration builds it, so that a mapping written for one runs here
 * unchanged: the keys it has (`.content`, `.file.content`, `.file.content.raw` ...) and how it parses the
 * file's text (which extensions, YAML 1.2 or 1.1, several documents). Repository fields come from the
 * local git repository, never from a network call. docs/mappings.md lists the differences.
 */
import { basename } from 'node:path';
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

const PARSED_BY_EXTENSION = /\.(json|ya?ml)$/i;

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
  if (/\.json$/i.test(path)) return jsonOr(text, text);
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
