// Checks the import graph of every package (`npm run lint` runs it):
// - no import cycle, in any package (type-only imports included: a cycle is a knot for readers too);
// - in core, folders import only folders below them (LAYERS), and only through their index.ts.
// docs/architecture.md draws the same layers.
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
/** Core's folders, lowest first; '.' holds the shared floor (model, errors, port, wording helpers). */
const LAYERS = [
  '.',
  'source',
  'backstage',
  'mapping',
  'config',
  'git',
  'discover',
  'read',
  'select',
  'validate',
  'plan',
  'push',
  'watermark',
  'report',
  'run',
];

const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^;]*?\sfrom\s+'(\.[^']+)'|import\(\s*'(\.[^']+)'\s*\)/g;

function sources(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

function importsOf(file) {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(IMPORT)].map((m) => resolve(dirname(file), (m[1] ?? m[2]).replace(/\.js$/, '.ts')));
}

const problems = [];
for (const pkg of readdirSync(join(root, 'packages'))) {
  const src = join(root, 'packages', pkg, 'src');
  const graph = new Map(sources(src).map((file) => [file, importsOf(file)]));
  findCycles(graph, src);
  if (pkg === 'core') checkLayers(graph, src);
}

function findCycles(graph, src) {
  const state = new Map(); // 1: on the stack, 2: done
  const stack = [];
  const visit = (file) => {
    state.set(file, 1);
    stack.push(file);
    for (const next of graph.get(file) ?? []) {
      if (!graph.has(next)) continue;
      if (state.get(next) === 1) {
        const cycle = stack
          .slice(stack.indexOf(next))
          .concat(next)
          .map((f) => relative(src, f));
        problems.push(`import cycle in ${relative(root, src)}: ${cycle.join(' → ')}`);
      } else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(file, 2);
  };
  for (const file of graph.keys()) if (!state.has(file)) visit(file);
}

function checkLayers(graph, src) {
  const folderOf = (file) => {
    const rel = relative(src, file);
    return rel.includes('/') ? rel.split('/')[0] : '.';
  };
  for (const [file, imports] of graph) {
    const from = folderOf(file);
    // The public entries (index.ts, and outcome.ts for what a CLI needs at start) may name any folder.
    if (['index.ts', 'outcome.ts'].includes(relative(src, file))) continue;
    for (const target of imports) {
      const to = folderOf(target);
      if (to === from) continue;
      const where = `${relative(root, file)} imports ${relative(src, target)}`;
      if (!LAYERS.includes(from) || !LAYERS.includes(to)) problems.push(`${where}: a folder missing from LAYERS`);
      else if (LAYERS.indexOf(to) > LAYERS.indexOf(from)) problems.push(`${where}: ${from}/ sits below ${to}/`);
      else if (to !== '.' && relative(src, target) !== `${to}/index.ts`)
        problems.push(`${where}: go through ${to}/index.ts`);
    }
  }
}

if (problems.length > 0) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log('layers: no cycles; core folders import downwards through their index.ts');
