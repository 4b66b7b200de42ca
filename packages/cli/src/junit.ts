import type { Report } from '@port-gitops/core';

function xml(text: string): string {
  return text
    .replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!)
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');
}

/**
 * JUnit XML: one test case per entity file, failed when the file has errors or one of its
 * entities failed to push; warnings go to the case's system-out.
 */
export function junitReport(report: Report): string {
  const skipped = new Map(report.files.filter((f) => f.outcome === 'skipped').map((f) => [f.path, f.reason ?? '']));
  const files = [
    ...new Set([...report.entities.map((e) => e.file), ...report.errors.map((e) => e.file), ...skipped.keys()]),
  ].sort();
  const cases = files.map((file) => {
    const errors = report.errors.filter((e) => e.file === file && e.severity !== 'warning');
    const warnings = report.errors.filter((e) => e.file === file && e.severity === 'warning');
    const failedPushes = report.entities.filter((e) => e.file === file && e.result === 'failed');
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
    if (warnings.length > 0) {
      body.push(
        `      <system-out>${xml(warnings.map((w) => `warning ${file}:${w.line}:${w.column} ${w.message}`).join('\n'))}</system-out>`,
      );
    }
    const reason = skipped.get(file);
    if (reason !== undefined && body.length === 0) body.push(`      <skipped message="${xml(reason)}"/>`);
    const open = `    <testcase classname="port-gitops.${report.command}" name="${xml(file)}"`;
    return body.length === 0 ? `${open}/>` : `${open}>\n${body.join('\n')}\n    </testcase>`;
  });
  const failures = cases.filter((c) => c.includes('<failure')).length;
  const skips = cases.filter((c) => c.includes('<skipped')).length;
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
