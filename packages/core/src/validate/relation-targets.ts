import { type Blueprint, isEntityIdentifier } from '@port-gitops/port-schema';
import type { EntityChanges } from '../select/index.js';
import { type EntityFileMatcher, entityPathspecs } from '../discover/index.js';
import type { Git, MatchingLine } from '../git/index.js';
import { type EntityReader, readForSearch } from '../read/index.js';
import type { LoadedFile, Problem } from '../model.js';
import { encodePointer, place } from '../source/index.js';

export interface RelationTargetOptions {
  blueprints: ReadonlyMap<string, Blueprint>;
  /** `--strict-relations`: an unknown target is an error rather than a warning. */
  strict: boolean;
  /**
   * Which of these `blueprint\0identifier` keys some entity file outside `files` defines. A
   * changed-only run loaded only the changed files; a full run passes nothing (all were loaded).
   */
  findElsewhere?: (keys: Array<{ blueprint: string; identifier: string }>) => Promise<Set<string>>;
  /**
   * A changed-only run checks only what the change introduces: entities it did not change are
   * skipped, and a target an entity already had at base was checked when it was added.
   */
  changes?: Pick<EntityChanges, 'unchanged' | 'previous'>;
}

/**
 * Relations whose target is defined by no entity file of the repository. Port may hold the target
 * already (created elsewhere), so this is a warning unless `strict`. Checked only where the
 * blueprint definition is known (it names the relation's target blueprint), and not for Port's own
 * blueprints (`_user`, `_team`, ...), which files never define.
 */
export async function checkRelationTargets(files: LoadedFile[], options: RelationTargetOptions): Promise<Problem[]> {
  // Identifiers by blueprint: a lookup per relation value builds no string.
  const defined = new Map<string, Set<string>>();
  for (const file of files) {
    for (const entity of file.entities) {
      if (!entity.blueprint || !entity.identifier) continue;
      const identifiers = defined.get(entity.blueprint) ?? new Set<string>();
      defined.set(entity.blueprint, identifiers);
      identifiers.add(entity.identifier);
    }
  }
  const severity = options.strict ? ('error' as const) : ('warning' as const);
  const hint = options.strict
    ? 'define it in an entity file, or fix the identifier'
    : 'it may exist in Port already; --strict-relations makes this an error';
  // Each problem is placed as it is found; a changed-only run then drops those whose target another file
  // defines (`targets` holds each problem's target for that question).
  const problems: Problem[] = [];
  const targets: Array<{ blueprint: string; identifier: string }> = [];
  for (const file of files) {
    for (const entity of file.entities) {
      const blueprint = entity.blueprint ? options.blueprints.get(entity.blueprint) : undefined;
      const relations = entity.data.relations;
      if (!blueprint || typeof relations !== 'object' || relations === null) continue;
      if (options.changes?.unchanged.has(entity)) continue;
      const before = options.changes?.previous.get(entity)?.relations as Record<string, unknown> | undefined;
      for (const name in relations) {
        if (!Object.hasOwn(relations, name)) continue;
        const target = blueprint.relations?.[name]?.target;
        if (!target || target.startsWith('_')) continue;
        // A target the entity already had at base was checked when it was added.
        const had = before?.[name];
        const value = (relations as Record<string, unknown>)[name];
        const many = Array.isArray(value);
        for (let i = 0; i < (many ? value.length : 1); i++) {
          const identifier: unknown = many ? value[i] : value;
          if (typeof identifier !== 'string' || defined.get(target)?.has(identifier)) continue;
          // A value that cannot be an identifier has its own error; no entity could be looked up by it.
          if (!isEntityIdentifier(identifier)) continue;
          if (had === identifier || (Array.isArray(had) && had.includes(identifier))) continue;
          const at = place(
            file.locator,
            entity.pointer + encodePointer(many ? ['relations', name, i] : ['relations', name]),
          );
          problems.push({
            file: file.path,
            line: at.line,
            column: at.column,
            pointer: at.pointer,
            code: 'relation-target',
            severity,
            rule: 'relation-target',
            message: `relation "${name}" points at "${identifier}" of blueprint "${target}", which no entity file defines`,
            hint,
          });
          if (options.findElsewhere) targets.push({ blueprint: target, identifier });
        }
      }
    }
  }
  if (!options.findElsewhere || problems.length === 0) return problems;
  const elsewhere = await options.findElsewhere(targets);
  if (elsewhere.size === 0) return problems;
  return problems.filter((_, i) => !elsewhere.has(`${targets[i]!.blueprint}\u0000${targets[i]!.identifier}`));
}

export interface OtherFilesOptions {
  root: string;
  include: string[];
  matcher: EntityFileMatcher;
  /** The files this run loaded: they were searched already. */
  loaded: LoadedFile[];
  reader: EntityReader;
  /**
   * The `blueprint\0identifier` keys the file-kind mappings make of the files this run did not load: no
   * search of the text finds them (jq computes them), so they are mapped, once, when a lookup needs them.
   */
  mappedElsewhere?: () => Promise<Set<string>>;
  /**
   * Given, as the search finds them, the files that name a removed entity: `relationsToRemoved` reads
   * them once the search is over (through its `readFiles`), and a caller may read them meanwhile, while
   * git searches on. Each file is given once.
   */
  onMentioning?: (paths: string[]) => void;
  /**
   * A scan of the entity files another search already carried (`OtherFilesScan.carried`): when it looked
   * for the mentions of exactly the removed entities, it answers for its names without a git grep.
   */
  carried?: OtherFilesScan;
}

/**
 * An identifier key (or a Backstage name) whose value, as written on its line, is not the name itself: a
 * block scalar, an alias, a tag, a value on the next line, or a double-quoted value with escapes (JSON's
 * `\u002d`, YAML's `\x2d`); and a YAML explicit key (`? identifier`). Such a file may define any name:
 * its parse decides.
 */
const VALUE_ELSEWHERE = /(?:identifier|name)["']?\s*:\s*(?:[|>&*!]|$|"[^"]*\\)|^\s*\?(?:\s|$)/;

/** The last `/` part of an identifier: what a Backstage file qualified by namespace (`retail/shop`) writes. */
const nameOf = (identifier: string) => identifier.slice(identifier.lastIndexOf('/') + 1) || identifier;

/** A line that holds nothing but an identifier key and its value (`identifier: svc-8`, `- name: shop`). */
const KEY_LINE_ONLY = /^\s*(?:-\s+)?["']?(?:identifier|name)["']?\s*:\s*["']?[^\s"',}\]]+["']?\s*(?:#.*)?$/;

/**
 * How the other entity files are searched: every line with an identifier key (`keys`, whose cost the
 * number of names does not change), or, for a few names, only the lines that may define one of them or
 * name a removed one (`definitions`: git prints a line or two for a name that defines something, however
 * many files name it, and nothing is left to sift). Both give the same answers (relation-targets.test.ts
 * holds them to it).
 */
type LineSearch = 'keys' | 'definitions';

/** Up to this many names, a lookup asks git for their definitions alone; past it, one pattern per name costs more. */
const TARGETED_NAMES_MAX = 100;

/**
 * Expressions (in the syntax POSIX extended and Perl-compatible expressions share, so that git can run
 * either) for the lines `scanOtherFiles` keeps: an identifier key whose value on the line is one of
 * `names` (alone, or after a `namespace/`); an identifier key whose value is written otherwise
 * (`VALUE_ELSEWHERE`); and any line that holds one of `mentioned` as a word (as `git grep -w` reads a
 * word: letters, digits and `_`).
 */
function definitionPatterns(keys: string[], names: ReadonlySet<string>, mentioned: ReadonlySet<string>): string[] {
  const key = `(^|[^[:alnum:]_])(${keys.join('|')})["']?[[:space:]]*:[[:space:]]*`;
  const alternatives = (set: ReadonlySet<string>) => [...set].map(literalPattern).join('|');
  return [
    `${key}["']?([^][:space:]"',}]*/)?(${alternatives(names)})([][:space:]"',}]|$)`,
    `${key}([|>&*!]|$|"[^"]*\\\\)`,
    '^[[:space:]]*\\?([[:space:]]|$)',
    ...(mentioned.size > 0 ? [`(^|[^[:alnum:]_])(${alternatives(mentioned)})([^[:alnum:]_]|$)`] : []),
  ];
}

/** `text` as an expression that matches it alone, in the syntax POSIX extended and Perl-compatible ones share. */
export function literalPattern(text: string): string {
  return text.replace(/[.[\]()*+?{}|^$\\]/g, '\\$&');
}

/**
 * What a search of the entity files makes of the lines git prints for `definitionPatterns` (or, in
 * `keys` mode, for every identifier key and removed name as a word): the files that may define one of
 * `names` (its value on the key's line, or a value written otherwise: `VALUE_ELSEWHERE`), and those that
 * may name one of `mentioned` (any other line that holds it as a word). Nothing is parsed here.
 */
export class OtherFilesScan {
  /** The names looked for, as `nameOf` writes them (the mentioned ones among them). */
  readonly names: ReadonlySet<string>;
  readonly mentioned: ReadonlySet<string>;
  readonly defining = new Set<string>();
  readonly mentioning = new Set<string>();
  private readonly keyOnLine: RegExp;
  private readonly mentionOnLine: RegExp | undefined;

  /**
   * The scan another search of the entity files can carry (a changed-only run's search for the lines
   * that pull a file in): none when the names are more than one search asks for one pattern each.
   */
  static carried(keys: string[], names: Iterable<string>, mentioned: Iterable<string>): OtherFilesScan | undefined {
    const scan = new OtherFilesScan(keys, names, mentioned);
    return scan.names.size > 0 && scan.names.size <= TARGETED_NAMES_MAX ? scan : undefined;
  }

  constructor(
    private readonly keys: string[],
    names: Iterable<string>,
    mentioned: Iterable<string>,
  ) {
    this.mentioned = new Set([...mentioned].map(nameOf));
    this.names = new Set([...[...names].map(nameOf), ...this.mentioned]);
    this.keyOnLine = new RegExp(`(?:${keys.join('|')})["']?\\s*:\\s*["']?([^\\s"',}\\]]+)`, 'g');
    // A word as git grep -w reads one: ASCII letters, digits and `_` (any other byte ends a word).
    this.mentionOnLine =
      this.mentioned.size > 0
        ? new RegExp(`(?:^|[^A-Za-z0-9_])(?:${[...this.mentioned].map(escapeRegExp).join('|')})(?:[^A-Za-z0-9_]|$)`)
        : undefined;
  }

  /** The expressions of a search for the definitions of the names and the mentions of the mentioned ones. */
  get patterns(): string[] {
    return definitionPatterns(this.keys, this.names, this.mentioned);
  }

  /** Takes in lines git printed; gives the files newly found to name a mentioned one. */
  take(lines: MatchingLine[]): string[] {
    const newlyMentioning: string[] = [];
    for (const { path, text } of lines) {
      if (this.mayDefine(text)) this.defining.add(path);
      // A line that names a removed entity, other than its definition, may relate to it.
      if (this.mentionOnLine?.test(text) && !KEY_LINE_ONLY.test(text) && !this.mentioning.has(path)) {
        this.mentioning.add(path);
        newlyMentioning.push(path);
      }
    }
    return newlyMentioning;
  }

  private mayDefine(text: string): boolean {
    if (VALUE_ELSEWHERE.test(text)) return true;
    for (const match of text.matchAll(this.keyOnLine)) if (this.names.has(nameOf(match[1]!))) return true;
    return false;
  }
}

/** What one search found: the files that may define one of the names, and those that may name a removed one. */
interface ScanResult {
  defining: Set<string>;
  mentioning: Set<string>;
}

/**
 * One git grep (in C) over the entity files the run did not load, for the lines that may define one of
 * `names` and, for `mentioned`, the lines that name one as a word (`OtherFilesScan`). In `definitions`
 * mode the cost is git reading the entity files, and the lines it prints grow with the answer (the
 * definitions, and the files that name a removed entity), not with how many files name a target the
 * change adds.
 */
async function scanOtherFiles(
  git: Git,
  options: OtherFilesOptions,
  names: Set<string>,
  mentioned: Set<string>,
  search: LineSearch = names.size > TARGETED_NAMES_MAX ? 'keys' : 'definitions',
): Promise<ScanResult> {
  const seen = new Set(options.loaded.map((file) => file.path));
  const keys = options.reader.identifierKeys;
  const scan = new OtherFilesScan(keys, names, mentioned);
  const pathspecs = entityPathspecs(options.include);
  const onLines = (lines: MatchingLine[]) => {
    const newlyMentioning = scan.take(
      lines.filter(({ path }) => !seen.has(path) && options.matcher.isEntityFile(path)),
    );
    if (newlyMentioning.length > 0) options.onMentioning?.(newlyMentioning);
  };
  if (search === 'definitions') {
    await git.matchingLines(scan.patterns, pathspecs, { regex: true, onLines });
  } else {
    await git.matchingLines([...keys, ...mentioned], pathspecs, { word: true, onLines });
  }
  return { defining: scan.defining, mentioning: scan.mentioning };
}

function sameSet(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  return a.size === b.size && [...a].every((item) => b.has(item));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The `blueprint\0identifier` keys these files define, parsed: the parse decides. */
function definedIn(paths: Iterable<string>, options: OtherFilesOptions): Set<string> {
  const found = new Set<string>();
  for (const path of [...paths].sort()) {
    for (const entity of options.reader.parse(path, readForSearch(options.root, path))) {
      const blueprint = options.reader.blueprintOf(path, entity);
      if (blueprint && typeof entity.identifier === 'string') found.add(`${blueprint}\u0000${entity.identifier}`);
    }
  }
  return found;
}

/** These keys, and those the mappings make of the files the run did not load, when there are mappings. */
async function withMapped(found: Set<string>, options: OtherFilesOptions): Promise<Set<string>> {
  if (!options.mappedElsewhere) return found;
  return new Set([...found, ...(await options.mappedElsewhere())]);
}

/**
 * The entity files a changed-only run did not load, searched once for both questions the run asks of
 * them: which targets its relations add are defined there (`definedInOtherFiles`), and which of them
 * relate to an entity it removes (`relationsToRemoved`). The removed entities are known from the start;
 * the added targets join them on the first question, so that one git grep answers both.
 */
export class OtherFiles {
  private last: { names: Set<string>; result: Promise<ScanResult> } | undefined;
  private readonly removedNames: Set<string>;

  constructor(
    private readonly git: Git,
    readonly options: OtherFilesOptions,
    removed: ReadonlyArray<{ identifier: string }>,
    /** Forces a way of searching (tests hold both to the same answers); by default chosen by the names' count. */
    private readonly search?: LineSearch,
  ) {
    this.removedNames = new Set(removed.map(({ identifier }) => nameOf(identifier)));
    // A scan another search carried answers when it looked for the mentions of exactly these removed names.
    const carried = options.carried;
    if (carried && sameSet(carried.mentioned, this.removedNames)) {
      const loaded = new Set(options.loaded.map((file) => file.path));
      const unloaded = (paths: Set<string>) =>
        new Set([...paths].filter((path) => !loaded.has(path) && options.matcher.isEntityFile(path)));
      this.last = {
        names: new Set(carried.names),
        result: Promise.resolve({ defining: unloaded(carried.defining), mentioning: unloaded(carried.mentioning) }),
      };
    }
  }

  /** The search for the definitions of `names` (and of the removed entities) and the mentions of the removed ones. */
  scan(names: Iterable<string>): Promise<ScanResult> {
    const wanted = new Set([...names].map(nameOf));
    if (this.last && [...wanted].every((name) => this.last!.names.has(name))) return this.last.result;
    const all = new Set([...wanted, ...this.removedNames]);
    const result = scanOtherFiles(this.git, this.options, all, this.removedNames, this.search);
    this.last = { names: all, result };
    return result;
  }
}

/** For a changed-only run: which of these entities an entity file it did not load defines. */
export async function definedInOtherFiles(
  others: OtherFiles,
  keys: Array<{ blueprint: string; identifier: string }>,
): Promise<Set<string>> {
  const { defining } = await others.scan(keys.map(({ identifier }) => identifier));
  return withMapped(definedIn(defining, others.options), others.options);
}

/**
 * For a changed-only run: the relations of files the change did not touch that point at an entity the
 * change removed (and no other file defines). A full run reports each as a relation to an entity no file
 * defines; a change that creates them must say so too, in the files that hold them. The shared search
 * finds the files that name a removed identifier; only those are read (`readFiles`), and only their
 * relations to removed entities are reported, nothing else of them.
 */
export async function relationsToRemoved(
  others: OtherFiles,
  options: Pick<RelationTargetOptions, 'blueprints' | 'strict'>,
  removed: Array<{ file: string; blueprint: string; identifier: string }>,
  readFiles: (paths: string[]) => LoadedFile[],
): Promise<Problem[]> {
  const defined = new Set(
    others.options.loaded.flatMap((file) => file.entities.map((e) => `${e.blueprint}\u0000${e.identifier}`)),
  );
  let gone = removed.filter((entity) => !defined.has(`${entity.blueprint}\u0000${entity.identifier}`));
  if (gone.length === 0) return [];
  const scan = await others.scan([]);
  const elsewhere = await withMapped(definedIn(scan.defining, others.options), others.options);
  gone = gone.filter((entity) => !elsewhere.has(`${entity.blueprint}\u0000${entity.identifier}`));
  if (gone.length === 0 || scan.mentioning.size === 0) return [];
  const wanted = new Map(gone.map((entity) => [`${entity.blueprint}\u0000${entity.identifier}`, entity]));
  const problems: Problem[] = [];
  for (const file of readFiles([...scan.mentioning].sort())) {
    for (const entity of file.entities) {
      const blueprint = entity.blueprint ? options.blueprints.get(entity.blueprint) : undefined;
      const relations = entity.data.relations;
      if (!blueprint || typeof relations !== 'object' || relations === null) continue;
      for (const [name, value] of Object.entries(relations as Record<string, unknown>)) {
        const target = blueprint.relations?.[name]?.target;
        if (!target) continue;
        const ids: Array<[unknown, Array<string | number>]> =
          typeof value === 'string'
            ? [[value, [name]]]
            : Array.isArray(value)
              ? value.map((id, i) => [id, [name, i]])
              : [];
        for (const [identifier, path] of ids) {
          const gone = typeof identifier === 'string' ? wanted.get(`${target}\u0000${identifier}`) : undefined;
          if (!gone) continue;
          problems.push({
            file: file.path,
            ...place(file.locator, entity.pointer + encodePointer(['relations', ...path])),
            code: 'relation-target',
            severity: options.strict ? 'error' : 'warning',
            rule: 'relation-target',
            message: `relation "${name}" points at "${gone.identifier}" of blueprint "${target}", which no entity file defines`,
            hint: `this change removes it from ${gone.file}; ${options.strict ? 'keep it, or change this relation' : 'it may still exist in Port; --strict-relations makes this an error'}`,
          });
        }
      }
    }
  }
  return problems;
}
