/**
 * The entity files of the bench's repositories as pathspecs, the ones port-gitops' own searches name to git
 * (the `*.port.*` names are a subset of the others; listing with or without them costs the same).
 */
export const ENTITY_PATHSPECS = [
  '*port.json',
  '*port.yml',
  '*port.yaml',
  '*entity.json',
  '*.port.json',
  '*.port.yml',
  '*.port.yaml',
];

/** `git grep` of every entity file for a text none holds: the least a search of them costs. */
export const SEARCH_OF_ENTITY_FILES = ['grep', '-l', '-F', '-e', 'no-such-text-in-any-file', '--', ...ENTITY_PATHSPECS];
