import { type EntityReader, identifierKey, isSearchQuery } from '../read/index.js';
import type { LoadedEntity, LoadedFile, Selection } from '../model.js';

/** An entity that was in a selected file at base and is in none at head. */
export interface RemovedEntity {
  file: string;
  blueprint: string;
  identifier: string;
}

export interface EntityChanges {
  /** Entities to push: new, edited, or pulling in a changed `file://` target. */
  changed: Set<LoadedEntity>;
  /** Entities of selected files whose content is as it was (a pure rename, a sibling's edit). */
  unchanged: Set<LoadedEntity>;
  removed: RemovedEntity[];
  /**
   * The base version of each changed entity that had one, as written (for checks of what is new); for an
   * entity pushed only because a file it pulls in changed, the entity as written, which is as it was.
   */
  previous: Map<LoadedEntity, Record<string, unknown>>;
}

export interface DiffOptions {
  /** The contents of base blobs, by id, read all at once. */
  readBlobs: (shas: string[]) => Promise<Map<string, string>>;
  reader: EntityReader;
  /**
   * Head paths of files with problems. Their entities at base are never counted as removed: a file
   * that no longer parses must not delete what it held.
   */
  invalidFiles: ReadonlySet<string>;
  /**
   * When the change edits the file-kind mappings themselves: the base commit, and a reader with the
   * mappings as they were there. Each mapped file is then compared with what the base mappings made of
   * it at base, so that an entity a mapping stops making is removed and one it makes otherwise is pushed.
   */
  remapped?: { base: string; reader: EntityReader };
}

/**
 * Compares the selected files' entities at head with the same files at base, entity by entity
 * (blueprint and identifier): only what changed is pushed, and an identifier or blueprint that
 * disappeared from every selected file is removed. An identifier that moved to another file of the
 * same change is therefore neither removed nor, if its content is the same, pushed again.
 */
export async function diffEntities(
  selection: Selection,
  files: LoadedFile[],
  options: DiffOptions,
): Promise<EntityChanges> {
  const base = new Map<string, { file: string; written: string; data: Record<string, unknown>; removable: boolean }>();
  /** The entities a file held at base, read by `reader`; removable unless the file is invalid now. */
  const addBase = (reader: EntityReader, path: string, text: string, currentPath: string) => {
    for (const entity of reader.parse(path, text)) {
      const blueprint = reader.blueprintOf(path, entity);
      const identifier = identifierKey(entity.identifier);
      if (blueprint && identifier) {
        base.set(keyOf(blueprint, identifier), {
          file: path,
          written: canonical(entity),
          data: entity,
          // One a search query identifies is never deleted: which entity it updated is Port's answer.
          removable: !options.invalidFiles.has(currentPath) && !isSearchQuery(entity.identifier),
        });
      }
    }
  };
  const withBase = filesWithBase(selection);
  const blobs = await options.readBlobs(withBase.map((file) => file.baseBlob!));
  for (const file of withBase) {
    addBase(options.reader, file.previousPath ?? file.path, blobs.get(file.baseBlob!) ?? '', file.path);
  }
  // Mapped files, when the mappings changed: each at base, through the base mappings (`<base>:<path>`).
  const remapped = options.remapped;
  const remappedPaths = new Set(
    remapped
      ? selection.files
          .filter((file) => file.status === 'unchanged' && remapped.reader.resourcesOf(file.path).length > 0)
          .map((file) => file.path)
      : [],
  );
  if (remapped && remappedPaths.size > 0) {
    const texts = await options.readBlobs([...remappedPaths].map((path) => `${remapped.base}:${path}`));
    for (const path of remappedPaths) {
      const text = texts.get(`${remapped.base}:${path}`);
      if (text !== undefined) addBase(remapped.reader, path, text, path);
    }
  }
  const unchangedFiles = new Set(
    selection.files.filter((f) => f.status === 'unchanged' && !remappedPaths.has(f.path)).map((f) => f.path),
  );

  const changed = new Set<LoadedEntity>();
  const unchanged = new Set<LoadedEntity>();
  const previous = new Map<LoadedEntity, Record<string, unknown>>();
  const atHead = new Set<string>();
  for (const file of files) {
    for (const entity of file.entities) {
      const key = entity.blueprint && entity.identifier ? keyOf(entity.blueprint, entity.identifier) : undefined;
      if (key) atHead.add(key);
      const dependencyChanged = entity.dependencies.some((path) => selection.changedPaths.has(path));
      const before = key ? base.get(key) : undefined;
      const same = unchangedFiles.has(file.path) || before?.written === canonical(entity.written);
      (same && !dependencyChanged ? unchanged : changed).add(entity);
      // What it was at base: as written now when only a file it pulls in changed (its relations are not new).
      if (same && dependencyChanged) previous.set(entity, entity.written);
      else if (before && !same) previous.set(entity, before.data);
    }
  }

  const removed: RemovedEntity[] = [];
  for (const [key, value] of base) {
    if (atHead.has(key) || !value.removable) continue;
    const [blueprint, identifier] = key.split('\u0000') as [string, string];
    removed.push({ file: value.file, blueprint, identifier });
  }
  return { changed, unchanged, removed, previous };
}

/** The selected files read at base too: unchanged files are compared with themselves, added ones have no base. */
function filesWithBase(selection: Selection): Selection['files'] {
  return selection.files.filter((file) => file.status !== 'unchanged' && file.baseBlob);
}

/** The blobs `diffEntities` reads first, for a caller that starts reading them early. */
export function baseBlobsOf(selection: Selection): string[] {
  return filesWithBase(selection).map((file) => file.baseBlob!);
}

function keyOf(blueprint: string, identifier: string): string {
  return `${blueprint}\u0000${identifier}`;
}

/** JSON with sorted keys: two entities are the same when their canonical texts are. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(
          Object.entries(inner as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        )
      : inner,
  );
}
