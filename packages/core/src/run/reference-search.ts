import { isEntityIdentifier } from '@port-gitops/port-schema';
import type { Git, MatchingLine } from '../git/index.js';
import type { SelectedFile } from '../model.js';
import { type EntityReader, readForSearch } from '../read/index.js';
import { OtherFilesScan, literalPattern } from '../validate/index.js';

/** Past this many changed entity files, they are not read ahead: the lookup searches on its own, later. */
const CHANGED_FILES_MAX = 100;

/**
 * A changed-only run's search for the lines that pull a changed file in (select's `searchReferences`),
 * which also asks git what the run later asks of the files it did not load (OtherFiles): where the
 * relation values of the changed entity files are defined, and which files name an entity the change
 * removes. A change that touches other files too (a new service with its code, a service deleted with its
 * folder) then searches the entity files once, not twice. The values of every relation of the changed
 * files hold the targets the change adds; the removed entities are worked out here as `diffEntities`
 * does, and OtherFiles takes `carried` only when they are the same.
 */
export class ReferenceSearch {
  /** What the search found for OtherFiles, once it ran with something to look for. */
  carried: OtherFilesScan | undefined;
  /** The changed files' base versions, by blob, read to work out the removed entities. */
  private baseBlobs: Map<string, string> | undefined;

  constructor(
    private readonly git: Git,
    private readonly root: string,
    private readonly reader: EntityReader,
  ) {}

  readonly search = async (
    markers: string[],
    pathspecs: string[],
    changed: SelectedFile[],
  ): Promise<MatchingLine[]> => {
    const scan = await this.scanOf(changed);
    if (!scan) return this.git.matchingLines(markers, pathspecs);
    const lines = await this.git.matchingLines([...markers.map(literalPattern), ...scan.patterns], pathspecs, {
      regex: true,
    });
    scan.take(lines);
    this.carried = scan;
    return lines.filter(({ text }) => markers.some((marker) => text.includes(marker)));
  };

  /** These base versions, when the search read them all already; undefined otherwise. */
  baseBlobsRead(shas: string[]): Map<string, string> | undefined {
    const read = this.baseBlobs;
    return read && shas.every((sha) => read.has(sha)) ? read : undefined;
  }

  /**
   * The scan for the relation values of the changed files at head and the entities they held at base
   * and no longer hold; none past CHANGED_FILES_MAX files, or when there is nothing to look for.
   */
  private async scanOf(changed: SelectedFile[]): Promise<OtherFilesScan | undefined> {
    if (changed.length === 0 || changed.length > CHANGED_FILES_MAX) return undefined;
    const values = new Set<string>();
    const atHead = new Set<string>();
    for (const { path } of changed.filter((file) => file.status !== 'deleted')) {
      for (const entity of this.reader.parse(path, readForSearch(this.root, path))) {
        atHead.add(`${this.reader.blueprintOf(path, entity)}\u0000${String(entity.identifier)}`);
        const relations = entity.relations;
        if (typeof relations !== 'object' || relations === null) continue;
        for (const value of Object.values(relations)) {
          for (const identifier of Array.isArray(value) ? value : [value]) {
            if (typeof identifier === 'string' && isEntityIdentifier(identifier)) values.add(identifier);
          }
        }
      }
    }
    const withBase = changed.filter((file) => file.baseBlob !== undefined);
    const blobs = await this.git.blobs(withBase.map((file) => file.baseBlob!));
    this.baseBlobs = blobs;
    const removed = new Set<string>();
    for (const file of withBase) {
      const path = file.previousPath ?? file.path;
      for (const entity of this.reader.parse(path, blobs.get(file.baseBlob!) ?? '')) {
        const blueprint = this.reader.blueprintOf(path, entity);
        const { identifier } = entity;
        if (blueprint && typeof identifier === 'string' && !atHead.has(`${blueprint}\u0000${identifier}`)) {
          removed.add(identifier);
        }
      }
    }
    return OtherFilesScan.carried(this.reader.identifierKeys, values, removed);
  }
}
