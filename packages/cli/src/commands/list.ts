import { EXIT, prepare } from '@port-gitops/core';
import type { Output } from '../output.js';
import { renderList } from '../render.js';
import { printEvents } from '../report-output.js';
import { type SelectionFlags, runOptions } from './options.js';

export type ListArgs = SelectionFlags & { format: 'text' | 'json' };

/** Prints what was selected: each file's status, why it was selected, and the entities it holds. */
export async function runList(args: ListArgs, output: Output, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const run = await prepare(runOptions(args, env, printEvents(output, { format: args.format, quiet: false }, env)));
  const entitiesByFile = new Map(
    run.files.map((file) => [
      file.path,
      file.entities.map((e) => ({ blueprint: e.blueprint ?? null, identifier: e.identifier ?? null })),
    ]),
  );
  const rows = run.selection.files.map((file) => ({ ...file, entities: entitiesByFile.get(file.path) ?? [] }));
  const removed = run.changes?.removed ?? [];
  if (args.format === 'json') {
    const { mode, base, head, notes } = run.selection;
    output.out(JSON.stringify({ mode, base, head, notes, files: rows, removed }, null, 2));
  } else {
    output.out(rows.length > 0 ? renderList(rows) : 'no entity files selected');
    for (const entity of removed)
      output.out(`removed  ${entity.blueprint}/${entity.identifier}  (was in ${entity.file})`);
  }
  return EXIT.ok;
}
