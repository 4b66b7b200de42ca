// Compiles, at build time, the schemas that never change between runs into validator code (ajv's
// standalone code), so that no run pays ajv's compile for them: the config file's schema, an entity file's
// schema, and the draft-07 meta-schema a shared schema is checked against. Ajv's first compile in a
// process costs most of a pre-commit check of one file.
//
// Reads the editors' schemas in schemas/ (the build writes them from the code, scripts/emit-schemas.mjs,
// and a test holds them equal), and writes src/precompiled.ts (not in git), which the build compiles.
// The options are those the run's own ajv instances use (port-schema's sharedPortAjv; a shared schema's);
// src/validate/precompiled.test.ts holds the compiled validators to ajv compiling the same schemas at run time.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv } from 'ajv';
import standaloneCode from 'ajv/dist/standalone/index.js';

const require = createRequire(import.meta.url);
const read = (path) => JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8'));
const config = read('../schemas/config.schema.json');
const entity = read('../schemas/entity-file.schema.json').definitions.entity;
const draft07 = JSON.parse(readFileSync(require.resolve('ajv/dist/refs/json-schema-draft-07.json'), 'utf8'));

// Port's schemas: as sharedPortAjv compiles them.
const port = new Ajv({
  allErrors: true,
  strict: false,
  unicodeRegExp: true,
  verbose: true,
  validateSchema: false,
  code: { source: true, esm: true },
});
// A shared schema's meta-schema: as a shared schema's own ajv instance checks it.
const meta = new Ajv({ allErrors: true, strict: false, validateSchema: false, code: { source: true, esm: true } });

port.addSchema(config, 'config');
port.addSchema(entity, 'entity-file');
const parts = [
  standaloneCode(port, { validateConfig: 'config', validateEntityFile: 'entity-file' }),
  // Ajv knows the meta-schema already, under its own id.
  standaloneCode(meta, { validateDraft07: draft07.$id.replace(/#$/, '') }),
];

// The code requires ajv's runtime helpers (CommonJS modules): as an ES module it imports them. Each part
// names its functions from 0, so each is kept in a scope of its own, and its validators exported from it.
const imports = new Map();
const exported = [];
const body = parts
  .map((code, i) => {
    const names = [];
    const inner = code
      .replace(/^"use strict";/, '')
      .replaceAll(/export const (\w+) = (\w+);/g, (_, name, fn) => {
        names.push([name, fn]);
        return '';
      })
      .replace(/export default \w+;/, '')
      .replaceAll(/require\("([^"]+)"\)/g, (_, specifier) => {
        if (!imports.has(specifier)) imports.set(specifier, `runtime${imports.size}`);
        return imports.get(specifier);
      });
    exported.push(...names.map(([name]) => `export const ${name}: ValidateFunction = part${i}.${name};`));
    return `const part${i} = (() => {${inner}\nreturn { ${names.map(([name, fn]) => `${name}: ${fn}`).join(', ')} };\n})();`;
  })
  .join('\n');
const header = [
  '// @ts-nocheck',
  '// Written by scripts/precompile.mjs at build time; not in git. Do not edit.',
  "import type { ValidateFunction } from 'ajv';",
  // A CommonJS module's `exports.default` is `default.default` to Node's ES modules, and `default` to
  // some loaders (vitest's): taken either way.
  ...[...imports].flatMap(([specifier, name]) => [
    `import * as ${name}Module from ${JSON.stringify(`${specifier}.js`)};`,
    `const ${name} = { default: ${name}Module.default?.default ?? ${name}Module.default };`,
  ]),
].join('\n');
writeFileSync(new URL('../src/precompiled.ts', import.meta.url), `${header}\n${body}\n${exported.join('\n')}\n`);
