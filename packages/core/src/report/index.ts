export { EXIT, type ExitCode, exitCodeOf } from './exit.js';
export {
  type Report,
  type ReportEntity,
  type ReportError,
  type ReportFile,
  type WatermarkReport,
  buildReport,
} from './report.js';
