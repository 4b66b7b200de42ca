import { describe, expect, it } from 'vitest';
import { type Provider, contentOf, rawItem } from './providers.js';

const repository = { name: 'r', fullName: 'acme/r', defaultBranch: 'main', url: '', branch: 'main' };
const content = (provider: Provider, path: string, text: string) =>
  contentOf(provider, rawItem(provider, { path, text }, repository, false));

describe("each provider's parsing of a matched file", () => {
  it('parses by the ending with case for GitHub and GitLab, as their str.endswith does; every file for Azure DevOps', () => {
    const json = '{"name": "web"}';
    expect(content('github', 'a/package.json', json)).toEqual({ name: 'web' });
    expect(content('github', 'a/PACKAGE.JSON', json)).toBe(json);
    expect(content('gitlab', 'a/package.json', json)).toEqual({ name: 'web' });
    expect(content('gitlab', 'a/Chart.YAML', 'name: web')).toBe('name: web');
    expect(content('azure-devops', 'a/Chart.YAML', 'name: web')).toEqual({ name: 'web' });
  });
});
