import type { Report, ReportError, ReportFile, SelectedFile } from '@port-gitops/core';
import { type Output, printable } from './output.js';

const MAX_SHOWN_VALUE = 60;

/** The human report: problems grouped by file, then failures, then one summary line. */
export function renderReport(report: Report, output: Output, options: { verbose: boolean; quiet: boolean }): string {
  const lines: string[] = [];
  const byFile = new Map<string, ReportError[]>();
  for (const error of report.errors) {
    const errors = byFile.get(error.file);
    if (errors) errors.push(error);
    else byFile.set(error.file, [error]);
  }
  for (const [file, errors] of byFile) {
    lines.push(output.paint('bold', printable(file)));
    for (const error of errors) {
      const where = `${printable(file)}:${error.line}:${error.column}`;
      const label = error.severity === 'warning' ? output.paint('yellow', 'warning') : output.paint('red', 'error');
      const rule = `[${error.rule ?? error.code}${error.pointer ? ` ${printable(error.pointer)}` : ''}]`;
      lines.push(`  ${label} ${where} ${printable(error.message)} ${output.paint('dim', rule)}`);
      if (error.hint) lines.push(`        ${output.paint('dim', `hint: ${printable(error.hint)}`)}`);
    }
  }
  const skipped = renderSkipped(report.files, output, options.verbose);
  if (skipped.length > 0) {
    if (lines.length > 0) lines.push('');
    lines.push(...skipped);
  }
  const failed = report.entities.filter((e) => e.result === 'failed');
  if (failed.length > 0) {
    if (lines.length > 0) lines.push('');
    lines.push(output.paint('bold', `${failed.length} ${failed.length === 1 ? 'entity' : 'entities'} failed to push:`));
    for (const entity of failed) {
      const status = entity.error?.status ? `${entity.error.status} ` : '';
      const name = printable(`${entity.blueprint}/${entity.identifier} (${entity.file || 'in no file'})`);
      lines.push(`  ${output.paint('red', 'failed')} ${name}: ${status}${printable(entity.error?.message ?? '')}`);
    }
  }
  if (options.verbose && !options.quiet) {
    if (lines.length > 0) lines.push('');
    for (const entity of report.entities) {
      const name = printable(`${entity.blueprint ?? '?'}/${entity.identifier ?? '?'}`);
      const file = printable(entity.file || '(in no file: pruned)');
      lines.push(`  ${entity.action.padEnd(6)} ${entity.result.padEnd(7)} ${name}  ${output.paint('dim', file)}`);
    }
  }
  if (lines.length > 0) lines.push('');
  lines.push(summaryLine(report, output));
  return lines.join('\n');
}

/** Files the config or .gitignore leaves out, by reason, unless every one is asked for. */
const EXCLUSION = /^(excluded by the config's "exclude"|ignored by \.gitignore|inside node_modules)/;

/**
 * One line per skipped file. Files left out by the config's own `exclude` or by `.gitignore` are what the
 * user asked for: one line per reason with the count, each file with --verbose.
 */
function renderSkipped(files: ReportFile[], output: Output, verbose: boolean): string[] {
  const lines: string[] = [];
  const excluded = new Map<string, number>();
  for (const file of files) {
    if (file.outcome !== 'skipped') continue;
    if (!verbose && EXCLUSION.test(file.reason ?? '')) {
      excluded.set(file.reason!, (excluded.get(file.reason!) ?? 0) + 1);
      continue;
    }
    lines.push(`${output.paint('yellow', 'skipped')} ${printable(file.path)} (${printable(file.reason ?? '')})`);
  }
  for (const [reason, count] of excluded) {
    lines.push(
      output.paint(
        'dim',
        `skipped ${count} ${count === 1 ? 'file' : 'files'}: ${printable(reason)} (--verbose lists them)`,
      ),
    );
  }
  return lines;
}

function summaryLine(report: Report, output: Output): string {
  const s = report.summary;
  const scope =
    report.mode === 'all'
      ? 'all files'
      : report.base === null
        ? 'named files'
        : `changes ${short(report.base)}..${short(report.head)}`;
  const parts = [
    `${s.files} ${s.files === 1 ? 'file' : 'files'}`,
    `${s.entities} ${s.entities === 1 ? 'entity' : 'entities'}`,
  ];
  const blueprintChanges = report.blueprints?.length ?? 0;
  if (report.blueprints) {
    const verb = report.command === 'sync' && !report.dryRun ? 'written' : 'planned';
    parts.unshift(`${blueprintChanges} blueprint ${blueprintChanges === 1 ? 'change' : 'changes'} ${verb}`);
  }
  if (report.command === 'plan') {
    const changes = (kind: string) => report.entities.filter((e) => e.change === kind).length;
    parts.push(
      `${changes('create')} to create`,
      `${changes('update')} to update`,
      `${changes('delete')} to delete`,
      `${s.unchanged} unchanged`,
    );
  } else if (report.command === 'sync') {
    if (report.dryRun) parts.push(`${report.entities.filter((e) => e.result === 'planned').length} to write (dry run)`);
    else parts.push(output.paint(s.upserted > 0 ? 'green' : 'dim', `${s.upserted} upserted`), `${s.deleted} deleted`);
    parts.push(s.failed > 0 ? output.paint('red', `${s.failed} failed`) : `${s.failed} failed`);
    if (s.unchanged > 0) parts.push(`${s.unchanged} unchanged`);
    const skipped = report.entities.filter((e) => e.result === 'skipped').length;
    if (skipped > 0) parts.push(output.paint('yellow', `${skipped} not pushed`));
  }
  parts.push(
    s.invalid > 0
      ? output.paint('red', `${s.invalid} invalid ${s.invalid === 1 ? 'file' : 'files'}`)
      : '0 invalid files',
  );
  return `${report.command} (${scope}): ${parts.join(' · ')} · ${s.durationMs} ms`;
}

function short(sha: string | null): string {
  return sha ? sha.slice(0, 8) : '?';
}

export function renderList(
  files: Array<SelectedFile & { entities: Array<{ blueprint: string | null; identifier: string | null }> }>,
): string {
  const lines: string[] = [];
  for (const file of files) {
    const entities = file.entities.map((e) => `${e.blueprint ?? '?'}/${e.identifier ?? '?'}`).join(', ');
    const from = file.previousPath ? ` (from ${file.previousPath})` : '';
    const why = file.reason ? `  (${file.reason})` : '';
    lines.push(printable(`${file.status.padEnd(9)} ${file.path}${from}${entities ? `  ${entities}` : ''}${why}`));
  }
  return lines.join('\n');
}

/** What a breaking or destructive change reaches: `; Port holds 12 entities, 3 files invalid`. */
export function impactOf(change: NonNullable<Report['blueprints']>[number]): string {
  if (!change.impact) return '';
  const { entitiesInPort: n, invalidFiles: m } = change.impact;
  return `; Port holds ${n} ${n === 1 ? 'entity' : 'entities'}, ${m} ${m === 1 ? 'file' : 'files'} invalid`;
}

const CLASS_COLOR = { safe: 'green', breaking: 'yellow', destructive: 'red', blocked: 'red' } as const;

/**
 * The plan: with `manageBlueprints`, each change to a blueprint first, with its class; then entity by
 * entity: `+` create, `~` update with its field changes, `-` delete (`=` unchanged with --verbose).
 */
export function renderPlan(report: Report, output: Output, options: { verbose: boolean }): string {
  const lines: string[] = [];
  const show = (value: unknown) => {
    const text = JSON.stringify(value) ?? 'null';
    return text.length > MAX_SHOWN_VALUE ? `${text.slice(0, MAX_SHOWN_VALUE - 1)}…` : text;
  };
  for (const change of report.blueprints ?? []) {
    const where = change.path ? `${change.blueprint}: ${change.path}` : change.blueprint;
    const values =
      change.from === undefined && change.to === undefined ? '' : `  ${show(change.from)} → ${show(change.to)}`;
    lines.push(
      output.paint(CLASS_COLOR[change.class], `${change.class.padEnd(11)} blueprint ${printable(where)}`) +
        output.paint('dim', `  ${change.reason}${impactOf(change)}`) +
        printable(values),
    );
  }
  for (const entity of report.entities) {
    const name = printable(`${entity.blueprint}/${entity.identifier}`);
    if (entity.change === 'create')
      lines.push(output.paint('green', `+ create ${name}`) + output.paint('dim', `  ${printable(entity.file)}`));
    else if (entity.change === 'delete')
      lines.push(output.paint('red', `- delete ${name}`) + output.paint('dim', `  (was in ${printable(entity.file)})`));
    else if (entity.change === 'update') {
      lines.push(
        output.paint('yellow', `~ update ${name}`) +
          output.paint('dim', `  ${printable(entity.file)}${entity.reason ? `: ${printable(entity.reason)}` : ''}`),
      );
      for (const change of entity.diff ?? [])
        lines.push(`    ${change.path}: ${show(change.from)} → ${show(change.to)}`);
    } else if (entity.change === 'unchanged' && options.verbose) lines.push(output.paint('dim', `= unchanged ${name}`));
  }
  return lines.length > 0 ? lines.join('\n') : 'no changes';
}
