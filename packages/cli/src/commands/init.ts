import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { type Blueprint, EXIT, describeRepository, editorSchema, vscodeSettingsWithSchemas } from '@port-gitops/core';
import type { Output } from '../output.js';
import { VERSION } from '../version.js';

export interface InitArgs {
  cwd?: string;
}

const CONFIG = {
  include: ['**/port.yml', '**/port.yaml', '**/port.json'],
  exclude: ['**/fixtures/**'],
  schema: 'schemas/entity.schema.json',
  blueprintsDir: '.port/blueprints',
  rules: [],
  deleteRemoved: false,
};

const SHARED_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'House rules for every entity of this repository',
  description: "Checked by port-gitops on top of Port's own rules. Edit freely.",
  type: 'object',
  required: ['identifier', 'title', 'team'],
  properties: {
    identifier: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]*$', description: 'lower-case, digits and dashes' },
    title: { type: 'string', minLength: 3 },
  },
};

const EXAMPLE_ENTITY = `# One Port entity, next to the code it describes. Run \`port-gitops check --all\` to validate it.
# Blueprint definitions for offline checks: \`port-gitops blueprints pull\` (into .port/blueprints).
identifier: example-service
blueprint: service
title: Example service
team: platform
properties:
  readme: file://./README.md
`;

/**
 * The example's blueprint, as `blueprints pull` would save it: without a definition, check could only
 * warn about the example, and sync would fail where check passed. Replace it with your own pulled ones.
 */
const EXAMPLE_BLUEPRINT: Blueprint = {
  identifier: 'service',
  title: 'Service',
  schema: {
    properties: { readme: { type: 'string', format: 'markdown', title: 'README' } },
    required: [],
  },
  relations: {},
};

const EXAMPLE_README = '# Example service\n\nDescribed in Port by port.yml next to this file.\n';

/** The Action's moving major tag for this version (v0 for 0.x, v1 for 1.x): fixes arrive, breaks do not. */
const MAJOR = VERSION.split('.')[0];

const WORKFLOW = `# port-gitops (https://github.com/port-gitops/port-gitops): on a pull request, check the entity files it
# changes and show what merging would change in Port; on a push to main, sync what changed since the last
# sync; by hand (workflow_dispatch), a full resync. The plan and sync jobs need the repository secrets
# PORT_CLIENT_ID and PORT_CLIENT_SECRET.
name: port-gitops
on:
  pull_request:
  push:
    branches: [main]
  workflow_dispatch:
permissions:
  contents: read
jobs:
  check:
    if: github.event_name == 'pull_request'
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v6
        with: { fetch-depth: 0 }
      - uses: port-gitops/port-gitops@v${MAJOR}
        with:
          command: check
  plan:
    # What merging would change in Port, as one comment on the pull request (edited on each push) and as
    # the job's summary. It reads Port with the secrets, which GitHub gives to pull requests from this
    # repository's branches, not to those from forks. Only this job may write to the pull request.
    if: github.event_name == 'pull_request' && github.event.pull_request.head.repo.full_name == github.repository
    runs-on: ubuntu-latest
    permissions:
      contents: read
      pull-requests: write
    steps:
      - uses: actions/checkout@v6
        with: { fetch-depth: 0 }
      - uses: port-gitops/port-gitops@v${MAJOR}
        with:
          command: plan
          comment: true
          client-id: \${{ secrets.PORT_CLIENT_ID }}
          client-secret: \${{ secrets.PORT_CLIENT_SECRET }}
  sync:
    if: github.event_name != 'pull_request'
    runs-on: ubuntu-latest
    # One sync at a time: a new push waits for the running sync and never cancels it. GitHub keeps only
    # the newest waiting run; the watermark port-gitops keeps in Port makes it sync the skipped ones' changes.
    concurrency:
      group: port-gitops-sync-\${{ github.ref }}
      cancel-in-progress: false
    steps:
      - uses: actions/checkout@v6
        with: { fetch-depth: 0 }
      - uses: port-gitops/port-gitops@v${MAJOR}
        with:
          command: sync
          all: \${{ github.event_name == 'workflow_dispatch' }}
          delete-removed: true
          client-id: \${{ secrets.PORT_CLIENT_ID }}
          client-secret: \${{ secrets.PORT_CLIENT_SECRET }}
`;

/** The schema editors check entity files with (`port-gitops schemas` writes it again from your blueprints). */
const EDITOR_SCHEMA = '.port/entity-files.schema.json';

/** The files `init` writes, by repository-relative path. */
export const INIT_FILES: Record<string, string> = {
  'port-gitops.config.json': `${JSON.stringify(CONFIG, null, 2)}\n`,
  'schemas/entity.schema.json': `${JSON.stringify(SHARED_SCHEMA, null, 2)}\n`,
  '.port/blueprints/service.json': `${JSON.stringify(EXAMPLE_BLUEPRINT, null, 2)}\n`,
  'services/example-service/port.yml': EXAMPLE_ENTITY,
  'services/example-service/README.md': EXAMPLE_README,
  '.github/workflows/port-gitops.yml': WORKFLOW,
  [EDITOR_SCHEMA]: `${JSON.stringify(editorSchema(new Map([['service', EXAMPLE_BLUEPRINT]])), null, 2)}\n`,
  '.vscode/settings.json': vscodeSettingsWithSchemas('', [{ path: EDITOR_SCHEMA, files: CONFIG.include }]),
};

/** Writes a starter config, shared schema, example entity file and CI workflow; never overwrites a file. */
export async function runInit(args: InitArgs, output: Output): Promise<number> {
  const { gitRoot } = await describeRepository(args.cwd ? resolve(args.cwd) : process.cwd());
  const root = gitRoot ?? resolve(args.cwd ?? '.');
  for (const [path, content] of Object.entries(INIT_FILES)) {
    const target = join(root, path);
    if (existsSync(target)) {
      output.out(`kept     ${path} (it exists; init never overwrites)`);
      continue;
    }
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, content);
    output.out(`created  ${path}`);
  }
  output.out(
    'next: edit the example, then `port-gitops check --all`; add the PORT_CLIENT_ID and PORT_CLIENT_SECRET secrets for the sync job; after `blueprints pull`, `port-gitops schemas --vscode` brings editors up to date',
  );
  return EXIT.ok;
}
