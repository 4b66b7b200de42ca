import { describe, expect, it } from 'vitest';
import { filtersOf, parseAppConfig } from './app-config.js';

describe("reading a port-app-config.yml's file resources", () => {
  it('reads both forms of selector.files, keeps each filter where it is written, and notes what it ignores', () => {
    const text = `deleteDependentEntities: true
resources:
  - kind: repository
    selector: { query: 'true' }
    port: { entity: { mappings: { identifier: .name, blueprint: '"repo"' } } }
  - kind: file
    selector:
      query: 'true'
      includedFiles: [README.md]
      files:
        - path: '**/package.json'
          organization: acme
          repos: [{ name: monorepo, branch: main }]
        - path: [a.yml, b.yml]
          skipParsing: true
    port:
      itemsToParse: .content.dependencies | to_entries
      itemsToParseName: dependency
      itemsToParseTopLevelTransform: false
      entity:
        mappings:
          identifier: { combinator: '"and"', rules: [{ property: '"name"', operator: '"="', value: .dependency.key }] }
          blueprint: "'package'"
          properties: { version: .dependency.value }
          relations: { owner: .content.owner }
  - kind: file
    selector: { query: 'true', files: { path: teams.yml, repos: [group/project] } }
    port: { entity: { mappings: { identifier: .file.content.name, blueprint: '"team"' } } }
`;
    const config = parseAppConfig(text, '.port/port-app-config.yml', 'gitlab');
    expect(config.resources.map((r) => ({ index: r.index, paths: r.paths, skip: r.skipParsing }))).toEqual([
      { index: 1, paths: ['**/package.json', 'a.yml', 'b.yml'], skip: true },
      { index: 2, paths: ['teams.yml'], skip: false },
    ]);
    // GitHub's and Azure DevOps' integrations match paths without case: the globs carry the mark.
    for (const provider of ['github', 'azure-devops'] as const) {
      expect(parseAppConfig(text, 'p.yml', provider).resources.map((r) => r.paths)).toEqual([
        ['(?i)**/package.json', '(?i)a.yml', '(?i)b.yml'],
        ['(?i)teams.yml'],
      ]);
    }
    const [files] = config.resources;
    expect(files!.includedFiles).toEqual(['README.md']);
    expect(files!.itemsToParseName).toBe('dependency');
    expect(files!.itemsToParseTopLevelTransform).toBe(false);
    // Ocean's single-quote rule: 'package' is read as "package".
    expect(files!.mappings.blueprint).toMatchObject({
      written: "'package'",
      jq: '"package"',
      at: { line: 23, column: 22 },
    });
    expect(filtersOf(files!).map((f) => f.name)).toEqual([
      'selector.query',
      'itemsToParse',
      'identifier.combinator',
      'identifier.rules[0].property',
      'identifier.rules[0].operator',
      'identifier.rules[0].value',
      'blueprint',
      'properties.version',
      'relations.owner',
    ]);
    expect(config.notes).toEqual([
      `resources of kind "repository" read a git host's API: ignored here, where the files are read from the checkout`,
      "`selector.files.organization` names what a git host's API reads: ignored here, where the files are this checkout's",
      "`selector.files.repos` names what a git host's API reads: ignored here, where the files are this checkout's",
    ]);
  });

  it('refuses what does not fit, at its line and column', () => {
    const refused = (text: string) => {
      try {
        parseAppConfig(text, 'p.yml');
      } catch (error) {
        return (error as Error).message;
      }
      return 'accepted';
    };
    expect(refused('resources:\n  - kind: file\n    selector: { query: "true" }\n')).toBe(
      'p.yml:3:15: a file resource needs `selector.files` with a `path`',
    );
    expect(
      refused("resources:\n  - kind: file\n    selector: { query: 'true', files: [{ path: x }] }\n    port: {}\n"),
    ).toBe('p.yml:4:11: a file resource needs `port.entity.mappings`');
    expect(
      refused(
        'resources:\n  - kind: file\n    selector: { query: [1], files: [{ path: x }] }\n    port: { entity: { mappings: { identifier: .a, blueprint: \'"b"\' } } }\n',
      ),
    ).toBe('p.yml:3:24: `selector.query` must be a jq filter (a string)');
    expect(refused('resources: {}\n')).toBe('p.yml:1:12: `resources` must be a list');
    expect(refused('resources:\n  - kind: file\n  bad: [\n')).toMatch(/^p\.yml:\d+:\d+: /);
  });
});
