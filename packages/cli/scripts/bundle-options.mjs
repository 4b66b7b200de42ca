// How the CLI is bundled (bundle.mjs), shared with the bench's floor of its libraries
// (scripts/bench-libraries.mjs), so that both are built, loaded and measured the same way.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));

/** esbuild options for a Node program that needs nothing else at run time. */
export function bundleOptions() {
  return {
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // BUNDLE_MINIFY=0 keeps the names, for reading a CPU profile.
    minify: process.env.BUNDLE_MINIFY !== '0',
    // jsonc-parser's default entry is a UMD build that cannot be bundled; its ES module can.
    mainFields: ['module', 'main'],
    // Some dependencies are CommonJS and call require(): give each file one.
    banner: {
      js: "import { createRequire as __createRequire } from 'node:module';\nconst require = __createRequire(import.meta.url);",
    },
    legalComments: 'none',
    plugins: [lazyStringWidth()],
    logLevel: 'warning',
  };
}

/**
 * yargs measures every line of its help text with string-width on every run, printed or not, and
 * string-width builds an Intl.Segmenter and Unicode-property expressions when it loads, which every
 * command's start pays (docs/benchmarks.md has the figure). Every import of it gets this stand-in
 * instead: ASCII text (all of port-gitops' help) is measured by scripts/ascii-width.mjs, which gives
 * string-width's own answers for it (test/bundle.test.ts holds the two together, and holds the bundle to
 * using the stand-in); any other text goes to the real module, loaded on first use.
 */
function lazyStringWidth() {
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
