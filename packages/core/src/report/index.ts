export { EXIT, type ExitCode, exitCodeOf } from './exit.js';
export { type Report, type ReportEntity, type ReportError, buildReport } from './report.js';
