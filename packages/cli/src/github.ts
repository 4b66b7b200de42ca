import type { Report } from '@port-gitops/core';
import { code, plain } from './markdown.js';
import { printable } from './output.js';
import { planMarkdown } from './plan-markdown.js';

/** Workflow-command escaping, as GitHub's toolkit does it (`@actions/core`, command.ts). */
function escapeData(text: string): string {
  return printable(text.replaceAll('%', '%25').replaceAll('\r', '%0D').replaceAll('\n', '%0A'));
}
function escapeProperty(text: string): string {
  return escapeData(text).replaceAll(':', '%3A').replaceAll(',', '%2C');
}

/**
 * GitHub Actions annotations: each problem on its file, line and column, and each entity that failed
 * to push on its file. https://docs.github.com/actions/reference/workflow-commands-for-github-actions
 */
export function githubAnnotations(report: Report): string[] {
  const lines = report.errors.map((error) => {
    const title = `port-gitops ${error.rule ?? error.code}`;
    const message = error.hint ? `${error.message} (${error.hint})` : error.message;
    const level = error.severity === 'warning' ? 'warning' : 'error';
    return `::${level} file=${escapeProperty(error.file)},line=${error.line},col=${error.column},title=${escapeProperty(title)}::${escapeData(message)}`;
  });
  for (const entity of report.entities.filter((e) => e.result === 'failed')) {
    const message =
      `${entity.action} of ${entity.blueprint}/${entity.identifier} failed: ${entity.error?.status ?? ''} ${entity.error?.message ?? ''}`.trim();
    lines.push(
      `::error file=${escapeProperty(entity.file)},title=${escapeProperty('port-gitops push')}::${escapeData(message)}`,
    );
  }
  return lines;
}

const MAX_SUMMARY_ROWS = 50;

/**
 * A Markdown step summary: for `plan`, what merging would change (planMarkdown); otherwise the counts.
 * Then the problems and failures (the first 50 of each).
 */
export function githubStepSummary(report: Report): string {
  const s = report.summary;
  const lines =
    report.command === 'plan'
      ? [planMarkdown(report).trimEnd()]
      : [
          `### port-gitops ${report.command}${report.dryRun ? ' (dry run)' : ''}`,
          '',
          report.mode === 'all'
            ? 'All entity files.'
            : `Changes ${code(`${report.base?.slice(0, 8)}..${report.head?.slice(0, 8)}`)}.`,
          '',
          '| files | entities | upserted | deleted | unchanged | failed | invalid files | skipped files |',
          '|---:|---:|---:|---:|---:|---:|---:|---:|',
          `| ${s.files} | ${s.entities} | ${s.upserted} | ${s.deleted} | ${s.unchanged} | ${s.failed} | ${s.invalid} | ${s.skipped} |`,
        ];
  lines.push(...problemsAndFailures(report));
  return `${lines.join('\n')}\n`;
}

function problemsAndFailures(report: Report): string[] {
  const lines: string[] = [];
  if (report.errors.length > 0) {
    lines.push('', '| where | problem |', '|---|---|');
    for (const error of report.errors.slice(0, MAX_SUMMARY_ROWS)) {
      const label = error.severity === 'warning' ? '⚠️' : '❌';
      const hint = error.hint ? ` (${plain(error.hint)})` : '';
      lines.push(
        `| ${code(`${error.file}:${error.line}:${error.column}`)} | ${label} ${plain(error.message)}${hint} |`,
      );
    }
    if (report.errors.length > MAX_SUMMARY_ROWS)
      lines.push('', `…and ${report.errors.length - MAX_SUMMARY_ROWS} more in the job log.`);
  }
  const failed = report.entities.filter((e) => e.result === 'failed');
  if (failed.length > 0) {
    lines.push('', '| failed to push | status | message |', '|---|---:|---|');
    for (const entity of failed.slice(0, MAX_SUMMARY_ROWS)) {
      lines.push(
        `| ${code(`${entity.blueprint}/${entity.identifier}`)} (${code(entity.file)}) | ${entity.error?.status ?? ''} | ${plain(entity.error?.message ?? '')} |`,
      );
    }
  }
  return lines;
}
