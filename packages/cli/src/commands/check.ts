import { check } from '@port-gitops/core';
import type { Output } from '../output.js';
import { type ReportFlags, checkOutputPaths, emitReport, printEvents } from '../report-output.js';
import { type SelectionFlags, type TargetFlags, runOptions } from './options.js';

export type CheckArgs = SelectionFlags & ReportFlags & TargetFlags & { remote: boolean };

/** `check`: select → load → validate; needs no credentials, unless `--remote` asks Port too. */
export async function runCheck(args: CheckArgs, output: Output, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  checkOutputPaths(args);
  // Loaded only for --remote: a plain check never needs the HTTP client.
  const connector = args.remote
    ? (await import('../port.js')).portConnector('check --remote', args, output, env)
    : undefined;
  const report = await check(
    { ...runOptions(args, env, printEvents(output, args, env)), remote: args.remote },
    connector,
  );
  return emitReport(report, output, args, env);
}
