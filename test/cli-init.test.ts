import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Report } from '@port-gitops/core';
import { describe, expect, it } from 'vitest';
import { makeRepo, runCli } from './helpers.js';

describe('port-gitops init', () => {
  it('writes a starter setup that checks clean, and never overwrites a file', async () => {
    const repo = makeRepo({});
    const first = await runCli(['init'], { cwd: repo });
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('created  port-gitops.config.json');
    expect(first.stdout).toContain('created  .github/workflows/port-gitops.yml');

    const check = await runCli(['check', '--all', '--format', 'json'], { cwd: repo });
    expect(check.code).toBe(0);
    const report = JSON.parse(check.stdout) as Report;
    expect(report.entities.map((e) => `${e.blueprint}/${e.identifier}`)).toEqual(['service/example-service']);
    expect(report.errors).toEqual([]);

    writeFileSync(join(repo, 'port-gitops.config.json'), '{"include": ["**/mine.yml"]}\n');
    const second = await runCli(['init'], { cwd: repo });
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('kept     port-gitops.config.json (it exists; init never overwrites)');
    expect(readFileSync(join(repo, 'port-gitops.config.json'), 'utf8')).toBe('{"include": ["**/mine.yml"]}\n');
  });
});
