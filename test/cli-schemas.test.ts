import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exampleBlueprints, makeRepo, runCli } from './helpers.js';

describe('port-gitops schemas', () => {
  it('writes the schema for editors and one per rule blueprint, points VS Code at them, and check says when they are stale', async () => {
    const repo = makeRepo({
      ...exampleBlueprints(),
      'port-gitops.config.json': JSON.stringify({ rules: [{ files: 'legacy/*/entity.json', blueprint: 'service' }] }),
      '.vscode/settings.json': '{\n  // the team\'s own\n  "editor.tabSize": 2\n}\n',
      'a/port.yml': 'identifier: a\nblueprint: domain\n',
    });
    const run = await runCli(['schemas', '--vscode'], { cwd: repo });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('wrote .port/entity-files.schema.json');
    expect(run.stdout).toContain('wrote .port/entity-files.service.schema.json');
    const schema = JSON.parse(readFileSync(join(repo, '.port/entity-files.schema.json'), 'utf8'));
    expect(Object.values(schema.definitions).map((d) => (d as { title?: string }).title)).toContain('service');
    const settings = readFileSync(join(repo, '.vscode/settings.json'), 'utf8');
    expect(settings).toContain("// the team's own");
    expect(settings).toContain('"./.port/entity-files.service.schema.json"');
    expect(settings).toContain('"legacy/*/entity.json"');

    const fresh = await runCli(['check', '--all'], { cwd: repo });
    expect(fresh.stderr).not.toContain('entity-files.schema.json');
    // A blueprint changes after the schema was written: check warns, and the warning names the fix.
    const domain = join(repo, '.port/blueprints/domain.json');
    const definition = JSON.parse(readFileSync(domain, 'utf8'));
    definition.schema.required = ['description'];
    writeFileSync(domain, JSON.stringify(definition));
    const stale = await runCli(['check', '--all'], { cwd: repo });
    expect(stale.stderr).toContain(
      'warning: .port/entity-files.schema.json was made from other blueprint definitions than those in the repository',
    );
    expect(stale.stderr).toContain('run `port-gitops schemas`');
    await runCli(['schemas'], { cwd: repo });
    expect((await runCli(['check', '--all'], { cwd: repo })).stderr).not.toContain('was made from other blueprint');
  });

  it('refuses a path outside the repository, and writes nothing', async () => {
    const repo = makeRepo({ ...exampleBlueprints() });
    const run = await runCli(['schemas', '--out', '../elsewhere.json'], { cwd: repo });
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('is outside the repository');
    expect(existsSync(join(repo, '.port/entity-files.schema.json'))).toBe(false);
  });
});
