/**
 * The names a change adds or removes, for a changed-only check's floor: the identifiers of the entities it
 * removes, and the relation targets it adds; and when it changes a file other than an entity file, the
 * `file://` marker, since finding which entity files pull such a file in takes one search for the marker
 * whatever the files are. Worked out here, outside the timed floor, by parsing each changed entity file at
 * both commits; the floor then greps for these names once.
 */
import { execFileSync } from 'node:child_process';
import { parseAllDocuments } from 'yaml';
import { ENTITY_PATHSPECS } from './entity-pathspecs.mjs';

const isEntityFile = (path) => ENTITY_PATHSPECS.some((spec) => path.endsWith(spec.slice(1)));

/** The entities of a file's text: one object, a list, or several YAML documents. */
function entitiesOf(text) {
  if (text === undefined) return [];
  try {
    return parseAllDocuments(text)
      .flatMap((doc) => doc.toJS())
      .filter((entity) => entity && typeof entity === 'object');
  } catch {
    return [];
  }
}

const targetsOf = (entity) =>
  Object.values(entity.relations ?? {})
    .flatMap((value) => (Array.isArray(value) ? value : [value]))
    .filter((value) => typeof value === 'string');

export function namesOfChange(repo, base, head) {
  const git = (...args) => execFileSync('git', args, { cwd: repo, maxBuffer: 1 << 30 }).toString('utf8');
  const show = (commit, path) => {
    try {
      return git('show', `${commit}:${path}`);
    } catch {
      return undefined;
    }
  };
  const fields = git('diff', '--name-status', '-z', '-M', base, head).split('\0').filter(Boolean);
  const before = new Map();
  const after = new Map();
  const others = new Set();
  for (let i = 0; i < fields.length; ) {
    const status = fields[i++];
    const from = fields[i++];
    const to = status.startsWith('R') || status.startsWith('C') ? fields[i++] : from;
    if (!isEntityFile(to) && !isEntityFile(from)) {
      others.add(to);
      continue;
    }
    for (const entity of entitiesOf(status === 'A' ? undefined : show(base, from)))
      before.set(entity.identifier, entity);
    for (const entity of entitiesOf(status === 'D' ? undefined : show(head, to))) after.set(entity.identifier, entity);
  }
  const names = new Set(others.size > 0 ? ['file://'] : []);
  for (const identifier of before.keys()) if (!after.has(identifier)) names.add(identifier);
  for (const [identifier, entity] of after) {
    const had = new Set(before.has(identifier) ? targetsOf(before.get(identifier)) : []);
    for (const target of targetsOf(entity)) if (!had.has(target)) names.add(target);
  }
  return [...names].filter((name) => typeof name === 'string' && name !== '');
}
