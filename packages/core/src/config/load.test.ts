import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from './load.js';

const dirs: string[] = [];
afterEach(() => {
  while (dirs.length > 0) rmSync(dirs.pop()!, { recursive: true, force: true });
});

function configError(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'port-gitops-config-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'port-gitops.config.json'), text);
  try {
    loadConfig(dir);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('the config was accepted');
}

describe('config errors', () => {
  it('say once what a value fitting none of the alternatives must be', () => {
    expect(configError('{"watermark": true}')).toBe(
      'invalid config file:\n  port-gitops.config.json:1:15: "watermark" must be false or object',
    );
  });

  it('name only the failing part of the alternative a value has the shape of', () => {
    expect(configError('{"watermark": {"blueprint": "a b"}}')).toBe(
      'invalid config file:\n  port-gitops.config.json:1:29: "watermark.blueprint" is not a blueprint identifier (letters, digits and @ _ . + : \\ / - only)',
    );
    expect(configError('{\n  "watermark": {"blueprnt": "x"}\n}')).toBe(
      'invalid config file:\n  port-gitops.config.json:2:17: unknown key "watermark.blueprnt" (did you mean "blueprint"?)',
    );
  });
});
