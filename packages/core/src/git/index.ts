export { detectCiBase } from './ci-base.js';
export { Git, type GitChange } from './git.js';
export { type ResolvedRange, resolveRange } from './range.js';
export { type RepositoryInfo, describeRepository, repositoryId } from './repository.js';
