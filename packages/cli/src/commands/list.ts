import { EXIT, prepare } from '@port-gitops/core';
import { type Output, printable } from '../output.js';
import { renderList } from '../render.js';
import { printEvents } from '../report-output.js';
import { type SelectionFlags, runOptions } from './options.js';

export type ListArgs = SelectionFlags & { format: 'text' | 'json'; debug?: boolean };

/** Prints what was selected: each file's status, why it was selected, and the entities it holds. */
export async function runList(args: ListArgs, output: Output, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const run = await prepare(
    runOptions(args, env, printEvents(output, { format: args.format, quiet: false, debug: args.debug }, env)),
  );
  const entitiesByFile = new Map(
    run.files.map((file) => [
      file.path,
      file.entities.map((e) => ({ blueprint: e.blueprint ?? null, identifier: e.identifier ?? null })),
    ]),
  );
  const rows = run.selection.files.map((file) => ({ ...file, entities: entitiesByFile.get(file.path) ?? [] }));
  const removed = run.changes?.removed ?? [];
  const { mode, base, head, notes, skipped, refused } = run.selection;
  if (args.format === 'json') {
    output.out(JSON.stringify({ mode, base, head, notes, files: rows, removed, skipped, refused }, null, 2));
  } else {
    output.out(rows.length > 0 ? renderList(rows) : 'no entity files selected');
    for (const entity of removed) {
      output.out(printable(`removed  ${entity.blueprint}/${entity.identifier}  (was in ${entity.file})`));
    }
    // Every file matching include that is not read, and why.
    for (const note of refused) output.out(printable(`refused   ${note.path}  (${note.reason})`));
    for (const note of skipped) output.out(printable(`skipped   ${note.path}  (${note.reason})`));
  }
  return EXIT.ok;
}
