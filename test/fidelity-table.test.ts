/**
 * docs/port-fidelity.md lists every refusal the emulator answers for Port, with its status, error id and
 * how sure that is; packages/emulator/src/decisions.ts is what the emulator answers. They must agree row
 * for row, so that neither changes without the other.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DECISIONS } from '@port-gitops/emulator';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './helpers.js';

function tableRows(): Array<{ decision: string; status: number; error: string; basis: string; source: string }> {
  const text = readFileSync(join(REPO_ROOT, 'docs/port-fidelity.md'), 'utf8');
  const table = text.slice(text.indexOf('<!-- decisions:start -->'), text.indexOf('<!-- decisions:end -->'));
  return table
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .map((line) => {
      const cells = line.split(' | ').map((cell) => cell.replace(/^\| ?|`/g, '').trim());
      return {
        decision: cells[0]!,
        status: Number(cells[2]),
        error: cells[3]!,
        basis: cells[4]!,
        source: cells[5]!.replace(/ \|$/, ''),
      };
    });
}

describe('docs/port-fidelity.md and the emulator', () => {
  it('list the same decisions, with the same status, error id and basis', () => {
    const rows = tableRows();
    expect(rows.map((r) => r.decision)).toEqual(Object.keys(DECISIONS));
    for (const row of rows) {
      const decision = DECISIONS[row.decision as keyof typeof DECISIONS];
      expect({ status: row.status, error: row.error, basis: row.basis }, row.decision).toEqual(decision);
    }
  });

  it("name a source for every decision that is not a guess or the emulator's own", () => {
    for (const row of tableRows()) {
      if (row.basis === 'guess' || row.basis === 'emulator') continue;
      expect(row.source, row.decision).toMatch(/spec|docs|ocean|gha|tf/);
    }
  });
});
