import type { Report, ReportEntity, ReportError } from '@port-gitops/core';

const NOT_XML =
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * Text as XML 1.0 character data or an attribute value: the five markup characters escaped, and every
 * character XML 1.0 cannot hold (controls other than tab, newline and return; lone surrogates; U+FFFE and
 * U+FFFF) replaced by U+FFFD, so that any file name or value gives a document every parser reads.
 */
function xml(text: string): string {
  return text
    .replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!)
    .replace(NOT_XML, '\ufffd');
}

interface FileCase {
  errors: ReportError[];
  warnings: ReportError[];
  failedPushes: ReportEntity[];
  skipped?: string;
}

/**
 * JUnit XML: one test case per entity file, failed when the file has errors or one of its
 * entities failed to push; warnings go to the case's system-out. Time linear in files and problems.
 */
export function junitReport(report: Report): string {
  const byFile = new Map<string, FileCase>();
  const caseOf = (file: string): FileCase => {
    let found = byFile.get(file);
    if (!found) {
      found = { errors: [], warnings: [], failedPushes: [] };
      byFile.set(file, found);
    }
    return found;
  };
  for (const entity of report.entities) {
    const fileCase = caseOf(entity.file);
    if (entity.result === 'failed') fileCase.failedPushes.push(entity);
  }
  for (const error of report.errors)
    (error.severity === 'warning' ? caseOf(error.file).warnings : caseOf(error.file).errors).push(error);
  for (const file of report.files) if (file.outcome === 'skipped') caseOf(file.path).skipped = file.reason ?? '';

  const files = [...byFile.keys()].sort();
  let failures = 0;
  let skips = 0;
  const cases = files.map((file) => {
    const { errors, warnings, failedPushes, skipped } = byFile.get(file)!;
    const body: string[] = [];
    for (const error of errors) {
      const text = `${file}:${error.line}:${error.column} ${error.pointer} ${error.message}${error.hint ? ` (${error.hint})` : ''}`;
      body.push(
        `      <failure type="${xml(error.rule ?? error.code)}" message="${xml(error.message)}">${xml(text)}</failure>`,
      );
    }
    for (const entity of failedPushes) {
      const message = `${entity.action} of ${entity.blueprint}/${entity.identifier} failed: ${entity.error?.status ?? ''} ${entity.error?.message ?? ''}`;
      body.push(`      <failure type="push" message="${xml(message)}">${xml(message)}</failure>`);
    }
    if (body.length > 0) failures++;
    if (warnings.length > 0) {
      body.push(
        `      <system-out>${xml(warnings.map((w) => `warning ${file}:${w.line}:${w.column} ${w.message}`).join('\n'))}</system-out>`,
      );
    }
    if (skipped !== undefined && body.length === 0) {
      body.push(`      <skipped message="${xml(skipped)}"/>`);
      skips++;
    }
    const open = `    <testcase classname="port-gitops.${report.command}" name="${xml(file)}"`;
    return body.length === 0 ? `${open}/>` : `${open}>\n${body.join('\n')}\n    </testcase>`;
  });
  const seconds = (report.summary.durationMs / 1000).toFixed(3);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="port-gitops" tests="${files.length}" failures="${failures}" time="${seconds}">`,
    `  <testsuite name="port-gitops ${report.command}" tests="${files.length}" failures="${failures}" errors="0" skipped="${skips}" time="${seconds}">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
