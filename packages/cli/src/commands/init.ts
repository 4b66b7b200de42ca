import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { EXIT, describeRepository } from '@port-gitops/core';
import type { Output } from '../output.js';

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

const EXAMPLE_README = '# Example service\n\nDescribed in Port by port.yml next to this file.\n';

const WORKFLOW = `# port-gitops: check what a pull request changes; sync what a push to main changed; full resync by hand.
# Needs the repository secrets PORT_CLIENT_ID and PORT_CLIENT_SECRET for the sync jobs.
name: port-gitops
on:
  pull_request:
  push:
    branches: [main]
  workflow_dispatch:
jobs:
  port:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with: { fetch-depth: 0 }
      - uses: actions/checkout@v4
        with: { repository: your-org/port-gitops, path: .port-gitops }
      - uses: actions/setup-node@v4
        with: { node-version: 20 }
      - run: npm ci && npm run build
        working-directory: .port-gitops
      - if: github.event_name == 'pull_request'
        run: node .port-gitops/packages/cli/dist/port-gitops.mjs check --report port-report.json
      - if: github.event_name == 'push'
        run: node .port-gitops/packages/cli/dist/port-gitops.mjs sync --delete-removed --report port-report.json
        env:
          PORT_CLIENT_ID: \${{ secrets.PORT_CLIENT_ID }}
          PORT_CLIENT_SECRET: \${{ secrets.PORT_CLIENT_SECRET }}
      - if: github.event_name == 'workflow_dispatch'
        run: node .port-gitops/packages/cli/dist/port-gitops.mjs sync --all --report port-report.json
        env:
          PORT_CLIENT_ID: \${{ secrets.PORT_CLIENT_ID }}
          PORT_CLIENT_SECRET: \${{ secrets.PORT_CLIENT_SECRET }}
`;

/** The files `init` writes, by repository-relative path. */
export const INIT_FILES: Record<string, string> = {
  'port-gitops.config.json': `${JSON.stringify(CONFIG, null, 2)}\n`,
  'schemas/entity.schema.json': `${JSON.stringify(SHARED_SCHEMA, null, 2)}\n`,
  'services/example-service/port.yml': EXAMPLE_ENTITY,
  'services/example-service/README.md': EXAMPLE_README,
  '.github/workflows/port-gitops.yml': WORKFLOW,
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
  output.out('next: edit the example, then `port-gitops check --all`; replace your-org/port-gitops in the workflow');
  return EXIT.ok;
}
