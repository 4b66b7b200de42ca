export { detectCiBase } from './ci-base.js';
export { GITLINK_MODE, Git, type GitChange, type MatchingLine, SYMLINK_MODE, gitText } from './git.js';
export { History, type Lineage } from './history.js';
export { type ResolvedRange, resolveRange } from './range.js';
export { type RepositoryInfo, describeRepository, repositoryId } from './repository.js';
export { type NameFilter, filterPathspecs, keepsName } from './name-filter.js';
