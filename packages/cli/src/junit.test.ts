import type { Report, ReportError } from '@port-gitops/core';
import fc from 'fast-check';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { junitReport } from './junit.js';

function report(parts: Partial<Report>): Report {
  return {
    command: 'check',
    mode: 'all',
    base: null,
    head: null,
    dryRun: false,
    files: [],
    entities: [],
    errors: [],
    summary: {
      files: 0,
      skipped: 0,
      entities: 0,
      upserted: 0,
      deleted: 0,
      unchanged: 0,
      failed: 0,
      invalid: 0,
      durationMs: 12,
    },
    ...parts,
  };
}

const problem = (file: string, message: string, severity: 'error' | 'warning' = 'error'): ReportError => ({
  file,
  line: 3,
  column: 5,
  pointer: '/properties/x',
  code: 'schema',
  severity,
  rule: 'enum',
  message,
});

const cases = (xml: string) => {
  const parsed = new XMLParser({
    ignoreAttributes: false,
    isArray: (name) => name === 'testcase' || name === 'failure',
  });
  return parsed.parse(xml).testsuites.testsuite.testcase as Array<Record<string, unknown>>;
};

describe('junitReport', () => {
  it('writes valid XML for any file name and message: lone surrogates, controls, U+FFFE, markup', () => {
    // Any UTF-16 code unit (lone surrogates included), whole pairs and markup.
    const unit = fc.oneof(
      fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)),
      fc.constantFrom('\ud83d\ude00', '<', '&', '"', '\u0000', '\ufffe'),
    );
    const text = fc.string({ unit, maxLength: 30 });
    fc.assert(
      fc.property(text, text, text, (file, message, warning) => {
        const xml = junitReport(
          report({
            errors: [problem(file, message), problem(file, warning, 'warning')],
            files: [{ path: `${file}.skipped`, outcome: 'skipped', reason: message }],
          }),
        );
        expect(XMLValidator.validate(xml)).toBe(true);
        // Every character is one XML 1.0 can hold (its Char production); the parser above is lenient there.
        expect(xml).not.toMatch(/[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/u);
        expect(cases(xml).map((c) => c['@_name'])).toHaveLength(2);
      }),
      { numRuns: 500 },
    );
    // A character XML cannot hold is shown as U+FFFD, not dropped; the rest is kept as written.
    const xml = junitReport(report({ errors: [problem('a\u0001b\ud800c\uffff<&>"\'.yml', 'x')] }));
    expect(cases(xml)[0]!['@_name']).toBe('a\ufffdb\ufffdc\ufffd<&>"\'.yml');
  });

  it('puts each problem and failed push on its own file, one case a file, whatever the order', () => {
    const files = Array.from({ length: 300 }, (_, i) => `services/s${i}/port.yml`);
    const errors = files.flatMap((file, i) => [
      ...(i % 3 === 0 ? [problem(file, `bad ${i}`)] : []),
      problem(file, `warn ${i}`, 'warning'),
    ]);
    const entities = files.map((file, i) => ({
      file,
      blueprint: 'service',
      identifier: `s${i}`,
      action: 'upsert' as const,
      result: i % 5 === 1 ? ('failed' as const) : ('ok' as const),
      ...(i % 5 === 1 ? { error: { status: 422, code: 'x', message: `refused ${i}` } } : {}),
    }));
    const xml = junitReport(report({ errors: errors.reverse(), entities }));
    const byName = new Map(cases(xml).map((c) => [c['@_name'] as string, c]));
    expect(byName.size).toBe(300);
    files.forEach((file, i) => {
      const c = byName.get(file)!;
      const failures = ((c.failure as Array<Record<string, string>>) ?? []).map((f) => f['@_message']);
      expect(failures).toEqual([
        ...(i % 3 === 0 ? [`bad ${i}`] : []),
        ...(i % 5 === 1 ? [`upsert of service/s${i} failed: 422 refused ${i}`] : []),
      ]);
      expect(c['system-out']).toBe(`warning ${file}:3:5 warn ${i}`);
    });
    const suite = new XMLParser({ ignoreAttributes: false }).parse(xml).testsuites.testsuite;
    expect(Number(suite['@_failures'])).toBe(files.filter((_, i) => i % 3 === 0 || i % 5 === 1).length);
  });
});
