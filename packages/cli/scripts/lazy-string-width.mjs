// An esbuild plugin shared by the CLI's bundle (bundle.mjs) and the bench's floor of its libraries
// (scripts/bench-libraries.mjs), so that both measure string-width the same way.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));

/**
 * yargs measures every line of its help text with string-width on every run, printed or not, and
 * string-width builds an Intl.Segmenter and Unicode-property expressions when it loads, which every
 * command's start pays (docs/benchmarks.md has the figure). Every import of it gets this stand-in
 * instead: ASCII text (all of port-gitops' help) is measured by scripts/ascii-width.mjs, which gives
 * string-width's own answers for it (test/bundle.test.ts holds the two together, and holds the bundle to
 * using the stand-in); any other text goes to the real module, loaded on first use.
 */
export function lazyStringWidth() {
  return {
    name: 'lazy-string-width',
    setup(build) {
      build.onResolve({ filter: /^string-width$/ }, async (args) => {
        if (args.pluginData?.real) return undefined;
        const real = await build.resolve('string-width', {
          resolveDir: args.resolveDir,
          kind: args.kind,
          pluginData: { real: true },
        });
        if (real.errors.length > 0) return { errors: real.errors };
        return { path: real.path, namespace: 'lazy-string-width' };
      });
      build.onLoad({ filter: /.*/, namespace: 'lazy-string-width' }, (args) => ({
        contents: [
          `import { asciiWidth } from ${JSON.stringify(join(here, 'ascii-width.mjs'))};`,
          'let real;',
          'export default function stringWidth(text, options) {',
          '  const width = asciiWidth(text);',
          '  if (width !== undefined) return width;',
          `  real ??= require(${JSON.stringify(args.path)}).default;`,
          '  return real(text, options);',
          '}',
        ].join('\n'),
        resolveDir: here,
        loader: 'js',
      }));
    },
  };
}
