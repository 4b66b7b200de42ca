import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import {
  EXIT,
  type EditorSchemaFile,
  FatalError,
  describeRepository,
  editorSchema,
  loadConfig,
  loadLocalBlueprints,
  vscodeSettingsWithSchemas,
} from '@port-gitops/core';
import type { Output } from '../output.js';

export interface SchemasArgs {
  cwd?: string;
  config?: string;
  out?: string;
  vscode: boolean;
}

/**
 * Writes the JSON Schema that checks entity files against the repository's blueprints in editors
 * (`editorSchema`), and one more per blueprint a config rule gives files that name none; with
 * `--vscode`, points `.vscode/settings.json` at them. Needs no credentials: the blueprints are the
 * repository's own definitions.
 */
export async function runSchemas(args: SchemasArgs, output: Output): Promise<number> {
  const cwd = args.cwd ? resolve(args.cwd) : process.cwd();
  const repository = await describeRepository(cwd);
  const root = repository.root;
  const { config } = loadConfig(
    root,
    args.config && !isAbsolute(args.config) ? resolve(cwd, args.config) : args.config,
  );
  const target = args.out ? resolve(process.cwd(), args.out) : join(root, config.editorSchema);
  const path = relative(root, target).split(sep).join('/');
  if (path.startsWith('../') || isAbsolute(path)) {
    throw new FatalError(
      'usage',
      `--out ${args.out} is outside the repository`,
      'editors read the schema from the repository',
    );
  }
  const blueprints = await loadLocalBlueprints(root, config.blueprintsDir);
  const written: EditorSchemaFile[] = [{ path, files: config.include }];
  const write = (file: string, schema: unknown) => {
    mkdirSync(dirname(join(root, file)), { recursive: true });
    writeFileSync(join(root, file), `${JSON.stringify(schema, null, 2)}\n`);
  };
  write(path, editorSchema(blueprints));
  // A file a rule gives a blueprint is checked as that blueprint's when it names none.
  const byBlueprint = new Map<string, string[]>();
  for (const rule of config.rules)
    byBlueprint.set(rule.blueprint, [...(byBlueprint.get(rule.blueprint) ?? []), rule.files]);
  for (const [blueprint, files] of byBlueprint) {
    const variant = path.replace(/(\.schema)?\.json$/, `.${blueprint.replace(/[^A-Za-z0-9_-]/g, '_')}$&`);
    write(variant, editorSchema(blueprints, { defaultBlueprint: blueprint }));
    written.push({ path: variant, files });
  }
  for (const file of written) {
    output.out(
      `wrote ${file.path} (${blueprints.size} blueprint${blueprints.size === 1 ? '' : 's'}) for ${file.files.join(', ')}`,
    );
  }
  if (args.vscode) {
    const settings = join(root, '.vscode/settings.json');
    const before = existsSync(settings) ? readFileSync(settings, 'utf8') : '';
    mkdirSync(dirname(settings), { recursive: true });
    writeFileSync(settings, vscodeSettingsWithSchemas(before, written));
    output.out('pointed .vscode/settings.json (yaml.schemas, json.schemas) at them');
  } else if (blueprints.size > 0) {
    output.out(
      'editors: `port-gitops schemas --vscode` points VS Code at them, or start a YAML file with `# yaml-language-server: $schema=<path>` (docs/config.md, "In editors")',
    );
  }
  return EXIT.ok;
}
