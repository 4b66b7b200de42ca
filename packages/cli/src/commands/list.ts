import type { Output } from '../output.js';
import { discoverAndValidate, type SelectionArgs } from '../pipeline.js';
import { renderList } from '../render.js';
import { emitNotes } from './report-output.js';

export type ListArgs = SelectionArgs & { format: 'text' | 'json' };

/** Prints what was selected: each file's status, why it was selected, and the entities it holds. */
export async function runList(args: ListArgs, output: Output): Promise<number> {
  const loaded = await discoverAndValidate(args);
  emitNotes(loaded.selection, output);
  const entitiesByFile = new Map(
    loaded.files.map((file) => [
      file.path,
      file.entities.map((e) => ({ blueprint: e.blueprint ?? null, identifier: e.identifier ?? null })),
    ]),
  );
  const rows = loaded.selection.files.map((file) => ({ ...file, entities: entitiesByFile.get(file.path) ?? [] }));
  const removed = loaded.changes?.removed ?? [];
  if (args.format === 'json') {
    const { mode, base, head, notes } = loaded.selection;
    output.out(JSON.stringify({ mode, base, head, notes, files: rows, removed }, null, 2));
  } else {
    output.out(rows.length > 0 ? renderList(rows) : 'no entity files selected');
    for (const entity of removed)
      output.out(`removed  ${entity.blueprint}/${entity.identifier}  (was in ${entity.file})`);
  }
  return 0;
}
