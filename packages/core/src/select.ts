import type { EntityFile, Selection } from './model.js';

/** A full resync: every discovered file. */
export function selectAll(files: EntityFile[], head: string | null): Selection {
  return { mode: 'all', base: null, head, files: files.map((file) => ({ path: file.path, status: 'all' })) };
}
