// An entity-file layout over a real repository's tree and history, for the benchmark (BENCH_FOREIGN):
// a port.yml beside each package.json (its name, version, and relations to the workspace packages it
// depends on), written at two points of the repository's own history, so that the change between them is
// real: real paths, depths and .gitignore, and whatever those commits touched.
//
//   node scripts/generate-foreign.mjs --from REPO --out DIR [--copies 1] [--back 30]
//
// `copies` > 1 puts the tree again under vendor/copy-N/ (for size), each with its own packages.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';

export function generateForeign({ from, out, copies = 1, back = 30 }) {
  const stamp = join(out, '.generated.json');
  const wanted = JSON.stringify({ from, copies, back, version: 1 });
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === wanted) return out;
  const git = (cwd, ...args) =>
    execFileSync('git', args, {
      cwd,
      maxBuffer: 1 << 30,
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: 'b',
        GIT_AUTHOR_EMAIL: 'b@e',
        GIT_COMMITTER_NAME: 'b',
        GIT_COMMITTER_EMAIL: 'b@e',
      },
    });
  rmSync(out, { recursive: true, force: true });
  mkdirSync(join(out, '.port/blueprints'), { recursive: true });
  git(out, 'init', '-q', '-b', 'main');
  git(out, 'config', 'gc.auto', '0');
  writeFileSync(
    join(out, '.port/blueprints/package.json'),
    JSON.stringify({
      identifier: 'package',
      schema: { properties: { version: { type: 'string' }, private: { type: 'boolean' } } },
      relations: { dependsOn: { target: 'package', many: true, required: false } },
    }),
  );
  const idOf = (copy, name) => `${copy}-${name.replace(/^@/, '').replace(/[^A-Za-z0-9@_.+:/=-]/g, '-')}`;
  for (const rev of [`HEAD~${back}`, 'HEAD']) {
    for (let copy = 0; copy < copies; copy++) {
      const target = copy === 0 ? out : join(out, `vendor/copy-${copy}`);
      for (const path of git(from, 'ls-tree', '--name-only', rev).toString().split('\n').filter(Boolean))
        rmSync(join(target, path), { recursive: true, force: true });
      mkdirSync(target, { recursive: true });
      execFileSync('tar', ['-x', '-C', target], { input: git(from, 'archive', rev), maxBuffer: 1 << 30 });
      const manifests = git(from, 'ls-tree', '-r', '--name-only', rev)
        .toString()
        .split('\n')
        .filter((path) => path.endsWith('package.json') && !path.includes('fixtures'));
      const packages = new Map();
      for (const path of manifests) {
        try {
          const manifest = JSON.parse(readFileSync(join(target, path), 'utf8'));
          if (manifest.name) packages.set(path, manifest);
        } catch {
          // not JSON: not a package
        }
      }
      const names = new Set([...packages.values()].map((manifest) => manifest.name));
      for (const [path, manifest] of packages) {
        const dependsOn = Object.keys(manifest.dependencies ?? {})
          .filter((name) => names.has(name))
          .map((name) => idOf(copy, name));
        writeFileSync(
          join(target, dirname(path), 'port.yml'),
          [
            `identifier: ${idOf(copy, manifest.name)}`,
            'blueprint: package',
            `title: ${JSON.stringify(manifest.name)}`,
            'properties:',
            `  version: ${JSON.stringify(String(manifest.version ?? '0.0.0'))}`,
            `  private: ${Boolean(manifest.private)}`,
            'relations:',
            `  dependsOn: [${dependsOn.join(', ')}]`,
            '',
          ].join('\n'),
        );
      }
    }
    writeFileSync(join(out, 'port-gitops.config.json'), JSON.stringify({ blueprintsDir: '.port/blueprints' }));
    git(out, 'add', '-A');
    git(out, 'commit', '-q', '-m', `${rev} of ${from}`);
  }
  writeFileSync(stamp, wanted);
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      from: { type: 'string' },
      out: { type: 'string' },
      copies: { type: 'string' },
      back: { type: 'string' },
    },
  });
  if (!values.from || !values.out) throw new Error('--from REPO and --out DIR are required');
  generateForeign({
    from: values.from,
    out: values.out,
    copies: Number(values.copies ?? 1),
    back: Number(values.back ?? 30),
  });
}
