export { EXIT, type ExitCode, exitCodeOf } from './exit.js';
export { type Report, type ReportEntity, type ReportError, type ReportFile, buildReport } from './report.js';
