import { EXIT, FatalError } from '@port-gitops/core/outcome';
import yargs from 'yargs';
import { rejectRepeatedFlags, wholeNumber } from './commands/flags.js';
import { withSelectionOptions, withTargetOptions } from './commands/options.js';
import { reportFailure } from './failure.js';
import { Output } from './output.js';
import { VERSION } from './version.js';

/**
 * Runs one port-gitops command line and returns its exit code; an error that ends the run is printed
 * (never a secret) and becomes its exit code (reportFailure). The binary (bin.ts) and the GitHub Action (action.ts) both call it.
 */
export async function main(
  argv: string[],
  env: NodeJS.ProcessEnv = process.env,
  output = new Output(),
): Promise<number> {
  // Secrets are known before any command runs, so that even an early error cannot print them.
  output.githubActions = env.GITHUB_ACTIONS === 'true';
  output.addSecret(env.PORT_CLIENT_SECRET);
  output.addSecret(env.PORT_ACCESS_TOKEN);
  // The CI's own tokens, which git may quote from a remote's URL in an error.
  output.addSecret(env.GITHUB_TOKEN);
  output.addSecret(env.CI_JOB_TOKEN);
  output.addSecret(env.GITLAB_TOKEN);
  try {
    return await runCommand(argv, env, output);
  } catch (error) {
    return reportFailure(error, output, { debug: argv.includes('--debug') || env.PORT_GITOPS_DEBUG === '1' });
  }
}

async function runCommand(argv: string[], env: NodeJS.ProcessEnv, output: Output): Promise<number> {
  // Each command's module is loaded when it runs, once yargs has parsed the line: `check` never loads the
  // HTTP client or the emulator.
  const commands: Record<
    string,
    () => Promise<(args: never, output: Output, env: NodeJS.ProcessEnv) => Promise<number>>
  > = {
    sync: async () => (await import('./commands/sync.js')).runSync,
    plan: async () => (await import('./commands/plan.js')).runPlan,
    check: async () => (await import('./commands/check.js')).runCheck,
    blueprints: async () => (await import('./commands/blueprints-pull.js')).runBlueprintsPull,
    teams: async () => (await import('./commands/teams-pull.js')).runTeamsPull,
    list: async () => (await import('./commands/list.js')).runList,
    init: async () => (await import('./commands/init.js')).runInit,
    schemas: async () => (await import('./commands/schemas.js')).runSchemas,
    map: async () => (await import('./commands/map.js')).runMap,
    emulator: async () => (await import('./commands/emulator.js')).runEmulator,
  };
  const parsed = await yargs(argv)
    .scriptName('port-gitops')
    .usage(
      '$0 <command> [options]\n\nKeep Port (port.io) in sync with the entity files of a git repository: port.yml, port.json and the\nlike, and Backstage catalog-info.yaml files when the config has a "backstage" mapping.',
    )
    .option('cwd', {
      type: 'string',
      describe: 'Run in this folder (default: the current one; the repository root is found from it)',
      global: true,
    })
    .option('config', {
      type: 'string',
      describe: 'Config file (default: port-gitops.config.{json,yaml,yml} at the root)',
      global: true,
    })
    .option('debug', {
      type: 'boolean',
      describe:
        'Say more, for a bug report: the stack of an internal error, why git read its index where port-gitops reads it itself (or PORT_GITOPS_DEBUG=1)',
      global: true,
    })
    .command('sync', 'Validate the selected entity files and push their entities to Port', (y) =>
      withTargetOptions(withSelectionOptions(y))
        .option('dry-run', {
          type: 'boolean',
          default: false,
          describe: 'Show what would be pushed; send nothing (no credentials needed)',
        })
        .option('delete-removed', {
          type: 'boolean',
          default: false,
          describe: 'Delete from Port the entities the selected change removed (or config deleteRemoved)',
        })
        .option('prune', {
          type: 'boolean',
          default: false,
          describe:
            'With --all: delete the entities whose provenance names this repository and that no file defines any more',
        })
        .option('max-deletes', {
          type: 'number',
          describe: '--prune deletes at most this many per blueprint (default 20% of the blueprint)',
          coerce: wholeNumber('max-deletes', 0),
        })
        .option('force', {
          type: 'boolean',
          default: false,
          describe:
            "Write what is older than what Port holds (a commit older than the branch's watermark, an entity a newer commit wrote), and --prune past --max-deletes",
        })
        .option('progress', {
          type: 'boolean',
          default: true,
          describe:
            'Show progress on long pushes: a bar on a terminal, a line every 10 s in CI logs (--no-progress: none)',
        })
        .option('skip-unchanged', {
          type: 'boolean',
          default: false,
          describe: 'Read the live entities first and write only those that differ',
        })
        .option('allow-breaking', {
          type: 'boolean',
          default: false,
          describe:
            'With config "manageBlueprints": write blueprint changes classed breaking (entities may stop validating: a property made required, an enum narrowed)',
        })
        .option('recreate-property', {
          type: 'string',
          array: true,
          describe:
            'With config "manageBlueprints": write a property\'s type or format change (which Port refuses in place) by recreating the property: its values are copied aside by a Port migration, the property is removed and added anew, and the values that fit the new definition are copied back; the push then writes the values from the files. As blueprint.property; repeatable',
        })
        .option('delete-entities', {
          type: 'string',
          array: true,
          describe:
            'With config "manageBlueprints": delete a blueprint whose definition the change removed together with every entity Port holds of it, those no file defines included (Port refuses to delete a blueprint that has entities), through Port\'s all-entities route. Repeatable',
        })
        .option('allow-destructive', {
          type: 'boolean',
          default: false,
          describe:
            'With config "manageBlueprints": write blueprint changes classed destructive (data goes: a property or relation removed)',
        })
        .option('partial', {
          type: 'boolean',
          default: true,
          describe: 'Push the valid files when others are invalid (--no-partial: push nothing then)',
        })
        .option('concurrency', {
          type: 'number',
          describe: 'Requests in flight at once (default 8, or config port.concurrency)',
          coerce: wholeNumber('concurrency', 1, 64),
        })
        .example('$0 sync --all', 'Full resync of every entity file')
        .example(
          '$0 sync --base origin/main --delete-removed',
          'Push what changed since the merge-base with main; delete what it removed',
        )
        .example('$0 sync', 'In GitHub Actions or GitLab CI: the base comes from the event')
        .example(
          '$0 sync --all --prune --dry-run',
          'What a full resync would delete: entities this repository wrote that no file defines',
        )
        .example('$0 sync --all --dry-run --format json', 'The JSON report of what would be pushed')
        .example('PORT_BASE_URL=http://127.0.0.1:5555 $0 sync --all', 'Push to a local emulator')
        .epilog(
          'Credentials come from PORT_CLIENT_ID and PORT_CLIENT_SECRET (or PORT_ACCESS_TOKEN); they are never printed.\nIn CI, a sync of a branch compares with the last commit synced for it, recorded in Port (config watermark).\nExit codes: 0 all good, 1 invalid files, 2 entities failed to push, 3 usage/config/git/auth error, 4 stale: a newer commit was synced already, nothing written.',
        ),
    )
    .command(
      'plan',
      'What sync would do, read against Port: create, update (field by field), unchanged, delete; writes nothing',
      (y) =>
        withTargetOptions(withSelectionOptions(y))
          .option('markdown', {
            type: 'string',
            describe:
              'Also write the plan as Markdown to this file, for a pull request comment (under GitHub Actions it is the step summary too)',
          })
          .option('comment', {
            type: 'boolean',
            default: false,
            describe:
              'Keep the plan as one comment on the pull request (GitHub Actions: GITHUB_TOKEN with pull-requests: write; GitLab CI: GITLAB_TOKEN with the api scope), edited in place on each run; never fails the run',
          })
          .example('$0 plan --base origin/main', 'What merging this branch would change in Port')
          .example('$0 plan --base origin/main --markdown plan.md', 'The same, as Markdown for reviewers')
          .example('$0 plan --all --verbose', 'Every entity, unchanged ones too')
          .epilog(
            'Needs PORT_CLIENT_ID and PORT_CLIENT_SECRET (or PORT_ACCESS_TOKEN) to read the live entities. With config "manageBlueprints", also lists each change the definitions in blueprintsDir would make to Port\'s blueprints, classed safe, breaking, destructive or blocked (docs/config.md).',
          ),
    )
    .command(
      'check [files..]',
      'Validate the selected entity files; needs no credentials (for pre-merge checks)',
      (y) =>
        withTargetOptions(withSelectionOptions(y))
          .positional('files', {
            type: 'string',
            array: true,
            describe: 'Check exactly these files (as a pre-commit hook passes them)',
          })
          .option('remote', {
            type: 'boolean',
            default: false,
            describe: 'Also ask Port to validate the entities (validation_only; needs credentials)',
          })
          .example('$0 check --base origin/main', 'Validate what a pull request into main changes')
          .example('$0 check --all', 'Validate every entity file')
          .example('$0 check services/a/port.yml', 'Validate one file')
          .example(
            '$0 check --all --cwd examples/backstage',
            'Validate a Backstage catalog through the config\'s "backstage" mapping',
          )
          .example('$0 check --all --format json --report check.json', 'Machine-readable results')
          .epilog('Exit codes: 0 all valid, 1 some files invalid, 3 usage/config/git error.'),
    )
    .command(
      'blueprints <action> [ids..]',
      'blueprints pull [ids..]: save blueprint definitions from Port into blueprintsDir, for offline validation',
      (y) =>
        withTargetOptions(y)
          .positional('action', { choices: ['pull'] as const, describe: 'What to do with the blueprints' })
          .positional('ids', {
            type: 'string',
            array: true,
            describe: 'Blueprint identifiers (default: every blueprint)',
          })
          .example('$0 blueprints pull', 'Every blueprint, into .port/blueprints/<id>.json')
          .example('$0 blueprints pull service domain', 'Only these two')
          .epilog(
            'Needs PORT_CLIENT_ID and PORT_CLIENT_SECRET (or PORT_ACCESS_TOKEN). Commit the files: check then validates against them offline.',
          ),
    )
    .command(
      'teams <action>',
      "teams pull: save Port's team names into teamsFile, so that check refuses a team Port does not have",
      (y) =>
        withTargetOptions(y)
          .positional('action', { choices: ['pull'] as const, describe: 'What to do with the teams' })
          .example('$0 teams pull', 'Every team, into .port/teams.json')
          .epilog(
            'Needs PORT_CLIENT_ID and PORT_CLIENT_SECRET (or PORT_ACCESS_TOKEN). Commit the file: check then refuses, offline, a team that is not in it.',
          ),
    )
    .command('list', 'Print the discovered and selected entity files with their entities', (y) =>
      withSelectionOptions(y)
        .example('$0 list --all', 'Every entity file, its blueprint and identifiers')
        .example('$0 list --base origin/main', 'What a change selects, each file with its status and why'),
    )
    .command(
      'init',
      'Write a starter config, shared schema, example entity file and GitHub workflow (never overwrites)',
      (y) => y.example('$0 init', 'In the root of the repository to set up'),
    )
    .command(
      'map [files..]',
      "Show what the repository's file-kind mappings (port-app-config.yml) make of files, filter by filter: jq's value, nothing or its error; no credentials",
      (y) =>
        y
          .positional('files', {
            type: 'string',
            array: true,
            describe: 'Files to map (default: every file the mappings match)',
          })
          .option('format', { choices: ['text', 'json'] as const, default: 'text' as const, describe: 'Output format' })
          .example('$0 map services/web/package.json', 'What each filter gives for this file, and the entities made'),
    )
    .command(
      'schemas',
      "Write the JSON Schema that checks entity files against the repository's blueprints as they are typed (VS Code, JetBrains); no credentials",
      (y) =>
        y
          .option('out', {
            type: 'string',
            describe: 'Where to write it (default: config editorSchema, .port/entity-files.schema.json)',
          })
          .option('vscode', {
            type: 'boolean',
            default: false,
            describe: 'Also point .vscode/settings.json (yaml.schemas, json.schemas) at it; other settings are kept',
          })
          .example('$0 schemas --vscode', 'Write the schema and point VS Code at it; commit both'),
    )
    .command('emulator', 'Start the local Port API emulator on loopback (for tests, demos and benchmarks)', (y) =>
      y
        .option('host', { type: 'string', default: '127.0.0.1', describe: 'Loopback address to listen on' })
        .option('port', {
          type: 'number',
          default: 5555,
          describe: 'Port to listen on (0: any free port)',
          coerce: wholeNumber('port', 0, 65535),
        })
        .option('blueprints', { type: 'string', describe: 'Folder of blueprint definitions (*.json)' })
        .option('data', { type: 'string', describe: 'JSON file that keeps entities across restarts' })
        .option('teams', {
          type: 'string',
          describe:
            "Teams that exist from the start: a teams file as `teams pull` writes it (an entity's team must be one)",
        })
        .option('client-id', { type: 'string', describe: 'Accept only this client id (default: any)' })
        .option('client-secret', { type: 'string', describe: 'Accept only this client secret (default: any)' })
        .option('latency-ms', {
          type: 'number',
          describe: 'Fault: delay every answer by N ms',
          coerce: wholeNumber('latency-ms', 0, 600_000),
        })
        .option('error-rate', {
          type: 'number',
          describe: 'Fault: answer this share (0..1) of API requests with 503',
        })
        .option('write-error-rate', {
          type: 'number',
          describe: 'Fault: answer this share (0..1) of writes with 503 (reads, searches and tokens still answer)',
        })
        .option('rate-limit', {
          type: 'string',
          describe:
            "Rate limit: N/SECONDS on every API route instead of Port's 5-minute windows, or off (no limit, no x-ratelimit-* headers)",
        })
        .option('reset-rate', {
          type: 'number',
          describe: 'Fault: drop this share (0..1) of connections without an answer',
        })
        .option('token-ttl-s', {
          type: 'number',
          describe: 'Access token lifetime in seconds (default 10800, as Port)',
          coerce: wholeNumber('token-ttl-s', 1),
        })
        .option('seed', {
          type: 'number',
          describe: 'Seed of the fault dice, to replay a run',
          coerce: wholeNumber('seed', 0),
        })
        .option('decide', {
          type: 'string',
          array: true,
          describe:
            "How to meet a blueprint change Port's sources do not settle (docs/port-fidelity.md): requiredOnExisting=accept|refuse, relationReshape=refuse|accept, teamsOnOwnershipChange=drop|keep; repeatable",
        })
        .example(
          '$0 emulator --blueprints examples/monorepo/.port/blueprints --teams examples/monorepo/.port/teams.json',
          "Serve the example's blueprints and teams on 127.0.0.1:5555",
        )
        .example(
          '$0 emulator --port 0 --rate-limit 100/10 --error-rate 0.05',
          'Any free port, with throttling and 5xx faults',
        ),
    )
    .demandCommand(
      1,
      'Name a command: sync, plan, check, list, map, blueprints, teams, schemas, init or emulator (see --help).',
    )
    .strict()
    .middleware(rejectRepeatedFlags, true)
    .version(VERSION)
    .help()
    // yargs lays out a command's help text on every run, whether it is printed or not; wrapping it to the
    // terminal's width is most of that cost, so lines are wrapped only when help is asked for.
    .wrap(argv.includes('--help') || argv.includes('-h') ? Math.min(110, process.stdout.columns ?? 110) : null)
    .fail((message, error) => {
      // yargs' own errors (YError), including a flag's coerce refusing its value, are usage errors.
      if (error && error.name !== 'YError') throw error;
      throw new FatalError('usage', message ?? error?.message ?? 'invalid command line');
    })
    .parseAsync();
  const load = commands[String(parsed._[0])];
  // yargs has printed --help or --version itself when no command is left to run.
  return load ? (await load())(parsed as never, output, env) : EXIT.ok;
}
