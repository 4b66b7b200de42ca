import { isEntityIdentifier } from '@port-gitops/port-schema';
import type { Git, MatchingLine } from '../git/index.js';
import type { SelectedFile } from '../model.js';
import { type EntityReader, readForSearch } from '../read/index.js';
import { DefinitionSearch } from '../validate/index.js';

/** Past this many changed entity files, their relations are not read ahead: the lookup searches on its own. */
const CHANGED_FILES_MAX = 100;

/**
 * A changed-only run's search for the lines that pull a changed file in (select's `searchReferences`),
 * which also asks git where the relation values of the changed entity files are defined. A change that
 * adds a relation target and touches some other file (a new service with its code) then searches the
 * entity files once, not twice: `presearched` answers the lookup of the targets it adds (OtherFiles).
 * The values of every relation of the changed files are asked for, which holds the targets the change
 * adds, whatever their blueprint.
 */
export class ReferenceSearch {
  /** The definitions the search looked for, once it ran with some. */
  presearched: DefinitionSearch | undefined;

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
    const definitions = DefinitionSearch.of(this.reader.identifierKeys, this.relationValues(changed));
    if (!definitions) return this.git.matchingLines(markers, pathspecs);
    const lines = await this.git.matchingLines([...markers.map(literal), ...definitions.patterns], pathspecs, {
      regex: true,
    });
    definitions.take(lines);
    this.presearched = definitions;
    return lines.filter(({ text }) => markers.some((marker) => text.includes(marker)));
  };

  /** The identifiers the relations of these files' entities hold, as written; none past CHANGED_FILES_MAX files. */
  private relationValues(changed: SelectedFile[]): Set<string> {
    const values = new Set<string>();
    const files = changed.filter((file) => file.status !== 'deleted');
    if (files.length > CHANGED_FILES_MAX) return values;
    for (const { path } of files) {
      for (const entity of this.reader.parse(path, readForSearch(this.root, path))) {
        const relations = entity.relations;
        if (typeof relations !== 'object' || relations === null) continue;
        for (const value of Object.values(relations)) {
          for (const identifier of Array.isArray(value) ? value : [value]) {
            if (typeof identifier === 'string' && isEntityIdentifier(identifier)) values.add(identifier);
          }
        }
      }
    }
    return values;
  }
}

/** `text` as an expression that matches it alone, in the syntax POSIX extended and Perl-compatible ones share. */
function literal(text: string): string {
  return text.replace(/[.[\]()*+?{}|^$\\]/g, '\\$&');
}
