/**
 * `@port-gitops/core/outcome`: how a run ends (the exit codes, and the error that stops a run) without the
 * run itself. A CLI needs these before it knows which command runs; importing them from the package's main
 * entry would load all of core (its parsers and validators) at every start.
 */
export { EXIT } from './report/exit.js';
export { FatalError } from './errors.js';
