import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonPieces } from './json-pieces.js';
import { Output, withNewline } from './output.js';

describe('jsonPieces', () => {
  it('joins to exactly the text JSON.stringify(value, null, 2) gives, for any object', () => {
    const member = fc.oneof(
      fc.jsonValue(),
      fc.array(fc.jsonValue()),
      fc.array(fc.dictionary(fc.string(), fc.jsonValue())),
      fc.constant(undefined),
      fc.constant([]),
      fc.constant({}),
    );
    fc.assert(
      fc.property(fc.dictionary(fc.string(), member), (value) => {
        expect([...jsonPieces(value)].join('')).toBe(JSON.stringify(value, null, 2));
      }),
      { numRuns: 1000 },
    );
  });

  it('is written in batches that are redacted whole and end with a newline', () => {
    let printed = '';
    let writes = 0;
    const sink = {
      write: (text: string) => {
        printed += text;
        writes++;
        return true;
      },
    } as unknown as NodeJS.WritableStream;
    const output = new Output(sink, sink);
    output.addSecret('s3cr3t-token');
    // Three megabytes of entities, one quoting the secret, one a URL with credentials.
    const report = {
      entities: Array.from({ length: 30_000 }, (_, i) => ({
        identifier: `svc-${i}`,
        message: i === 20_000 ? 'token s3cr3t-token' : i === 25_000 ? 'https://ci:job@example.com/x' : 'x'.repeat(80),
      })),
      summary: { entities: 30_000 },
    };
    output.outPieces(jsonPieces(report));
    expect(writes).toBeGreaterThan(1);
    // --report: the same text, into a file.
    const folder = mkdtempSync(join(tmpdir(), 'port-gitops-report-'));
    output.writeFile(join(folder, 'report.json'), withNewline(jsonPieces(report)));
    expect(readFileSync(join(folder, 'report.json'), 'utf8')).toBe(printed);
    rmSync(folder, { recursive: true });
    expect(printed).toBe(
      `${JSON.stringify(report, null, 2).replace('s3cr3t-token', '***').replace('ci:job@', '***@')}\n`,
    );
  });
});
