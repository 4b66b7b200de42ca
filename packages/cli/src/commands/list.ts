import type { Output } from '../output.js';
import { discoverAndValidate, type SelectionArgs } from '../pipeline.js';
import { renderList } from '../render.js';

export type ListArgs = SelectionArgs & { format: 'text' | 'json' };

/** Prints what was discovered and selected: file, status, and the entities each file holds. */
export async function runList(args: ListArgs, output: Output): Promise<number> {
  const loaded = await discoverAndValidate(args);
  const entitiesByFile = new Map(loaded.files.map((file) => [file.path, file.entities.map((e) => ({ blueprint: e.blueprint ?? null, identifier: e.identifier ?? null }))]));
  const rows = loaded.selection.files.map((file) => ({ ...file, entities: entitiesByFile.get(file.path) ?? [] }));
  if (args.format === 'json') {
    output.out(JSON.stringify({ mode: loaded.selection.mode, base: loaded.selection.base, head: loaded.selection.head, files: rows }, null, 2));
  } else {
    output.out(rows.length > 0 ? renderList(rows) : 'no entity files selected');
  }
  return 0;
}
