import { resolve } from 'node:path';
import { EXIT, explainMappings } from '@port-gitops/core';
import { type Output, printable } from '../output.js';

export interface MapArgs {
  cwd?: string;
  config?: string;
  files?: string[];
  format: 'text' | 'json';
}

/**
 * `map`: what the repository's file-kind mappings make of some files (or of every file they match),
 * filter by filter: jq's value, nothing, or its error; then the entities and the problems. No credentials,
 * nothing written.
 */
export async function runMap(args: MapArgs, output: Output, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const explanations = await explainMappings({
    cwd: args.cwd ? resolve(args.cwd) : process.cwd(),
    ...(args.config !== undefined ? { configPath: args.config } : {}),
    ...(args.files ? { files: args.files } : {}),
    env,
  });
  if (args.format === 'json') {
    output.out(JSON.stringify(explanations, null, 2));
    return EXIT.ok;
  }
  const shown = (value: unknown) => {
    const text = JSON.stringify(value) ?? 'null';
    return printable(text.length > 120 ? `${text.slice(0, 119)}…` : text);
  };
  const lines: string[] = [];
  for (const explanation of explanations) {
    lines.push(`${printable(explanation.path)}  (resource ${explanation.resource.index}, ${explanation.resource.at})`);
    for (const input of explanation.inputs) {
      if (input.item !== undefined) lines.push(`  item ${input.item}`);
      for (const { name, result } of input.fields) {
        const what =
          'value' in result
            ? shown(result.value)
            : 'none' in result
              ? '(nothing)'
              : `error: ${printable(result.error)}`;
        lines.push(`    ${name.padEnd(24)} ${what}`);
      }
    }
    for (const entity of explanation.entities) lines.push(`  → ${shown(entity)}`);
    for (const problem of explanation.problems)
      lines.push(`  ${problem.severity} ${printable(problem.message)} [${problem.rule}]`);
    lines.push('');
  }
  lines.push(`${explanations.length} file${explanations.length === 1 ? '' : 's'} mapped`);
  output.out(lines.join('\n'));
  return EXIT.ok;
}
