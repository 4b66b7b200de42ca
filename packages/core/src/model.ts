/** Typed data passed between the pipeline stages: discover → select → load → validate → plan → push → report. */

/** Why a file was not read as a regular file of the repository. */
export type UnreadKind = 'missing' | 'link' | 'outside' | 'not-regular' | 'too-large' | 'unreadable';

/** A 1-based line and column in a file. */
export interface Position {
  line: number;
  column: number;
}

export type ProblemCode =
  | 'read' // the file could not be read
  | 'parse' // not valid JSON or YAML
  | 'shape' // valid data, but not an entity or a list of entities
  | 'blueprint' // no blueprint could be found for an entity
  | 'schema' // the Port entity schema, the shared schema or the blueprint rejects a value
  | 'file-reference' // a `file://` reference (or a Backstage substitution) could not be resolved
  | 'duplicate' // the same blueprint and identifier are defined twice
  | 'relation-target' // a relation points at an entity no entity file defines
  | 'remote' // Port itself (check --remote) rejected the entity
  | 'mapping'; // a file-kind mapping could not make an entity of a file as written (docs/mappings.md)

/** Something in an entity file that its author must fix. */
export interface Problem extends Position {
  /** Repository-relative path, with `/` separators. */
  file: string;
  /** JSON pointer into the file's data; a multi-document YAML file reads as the list of its documents. */
  pointer: string;
  code: ProblemCode;
  /** An error makes the file invalid; a warning is reported and changes nothing. */
  severity: 'error' | 'warning';
  /** The rule that was broken, e.g. `enum`, `format`, `unknown-property`, `blueprint:service`. */
  rule?: string;
  message: string;
  hint?: string;
}

/** A file that discovery found, by repository-relative path. */
export interface EntityFile {
  path: string;
  /**
   * No symbolic link leads to it (git's `has_symlink_leading_path` is false): its folders are real folders
   * of the repository, since git's index lists it (git never reaches a tracked path through a link) or a
   * walk that follows no link found it. Reading it then checks only the file itself.
   */
  noLeadingSymlink?: true;
}

/**
 * A file that matches `include` but is not read, and why: `skipped` ones were left out on purpose (the
 * config's `exclude`, `.gitignore`), `refused` ones cannot be entity files (a symbolic link, not a
 * regular file, a named file that is not an entity file) and make the run fail.
 */
export interface FileNote {
  path: string;
  reason: string;
}

type SelectionMode = 'all' | 'changed';
/** `unchanged`: the file did not change, but is selected for a reason (a `file://` target or the config changed). */
type FileStatus = 'all' | 'added' | 'modified' | 'renamed' | 'deleted' | 'unchanged';

export interface SelectedFile {
  path: string;
  status: FileStatus;
  /** Path at base, for renames. */
  previousPath?: string;
  /** The file's blob at base, for modified, renamed and deleted files. */
  baseBlob?: string;
  /** Why the file was selected, when it is not (only) its own change. */
  reason?: string;
  /** Found by discovery through real folders only (see `EntityFile`). */
  noLeadingSymlink?: true;
}

export interface Selection {
  mode: SelectionMode;
  /** The commit compared with (the merge-base), for a changed-only selection. */
  base: string | null;
  head: string | null;
  files: SelectedFile[];
  /** Every path the change touched, entity file or not (for `file://` dependencies). */
  changedPaths: Set<string>;
  /** Why the selection is what it is, when that needs saying (a fallback, a config change, a submodule). */
  notes: string[];
  /** Files matching `include` left out on purpose, with the reason. */
  skipped: FileNote[];
  /** Files matching `include` that cannot be entity files, with the reason: each is a problem too. */
  refused: FileNote[];
}

/** Finds the source position of a JSON pointer in a parsed file. */
export interface Locator {
  /** The position of the value at `pointer`, or of its key when `key` is set; the nearest existing ancestor otherwise. */
  locate(pointer: string, options?: { key?: boolean }): Position;
  /**
   * The pointer into the file's own data for a pointer into its entities, where the two differ: a
   * Backstage document is translated, so `/relations/owningGroup` comes from `/spec/owner`.
   */
  inFile?(pointer: string): string;
  /**
   * For a file read through a file-kind mapping: the filter that made the value at `pointer` (or the
   * nearest field above it), as `port-app-config.yml:LINE:COLUMN`, to name beside a problem with it.
   */
  origin?(pointer: string): string | undefined;
  /** The text of the scalar at `pointer` as the file writes it (`9007199254740993`, `1e400`), if there is one. */
  raw?(pointer: string): string | undefined;
  /**
   * The file holds a number a double may not carry as written (16 digits or more, a three-digit
   * exponent): each of its numbers is compared with its text (`raw`) before it may be sent.
   */
  mayAlterNumbers?: boolean;
}

/** One entity read from a file, with `file://` references resolved. */
export interface LoadedEntity {
  file: string;
  /** The entity's JSON pointer in the file (`''` when the file holds a single entity). */
  pointer: string;
  /** From the entity, a config rule, or `--blueprint`; undefined when none applies. */
  blueprint: string | undefined;
  /** The identifier; for an entity identified by a search query, the query's key (read/identifier-query.ts). */
  identifier: string | undefined;
  /** Set when a mapping identifies the entity by a search query, which Port resolves on the write. */
  identifierQuery?: true;
  /**
   * The entity to push: as written, with `file://` values replaced by the targets' content (for a
   * Backstage document, its translation, with `$text`/`$json`/`$yaml` substituted).
   */
  data: Record<string, unknown>;
  /** The entity before any referenced file was read, compared with base: a target's change is a dependency's. */
  written: Record<string, unknown>;
  /** Repository-relative paths of the files it pulls in (`file://`, Backstage substitutions). */
  dependencies: string[];
}

export interface LoadedFile {
  path: string;
  format: 'json' | 'yaml';
  entities: LoadedEntity[];
  problems: Problem[];
  locator: Locator;
  /** Read through a file-kind mapping (docs/mappings.md) rather than as an entity file. */
  mapped?: true;
  /**
   * Set when the file could not be read as a regular file, with why (its problem says it to the user): a
   * full run whose discovery left looking at tracked files to their reading looks at these again.
   */
  unread?: UnreadKind;
}
