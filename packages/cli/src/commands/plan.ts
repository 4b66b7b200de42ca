import { plan } from '@port-gitops/core';
import type { Output } from '../output.js';
import { portConnector } from '../port.js';
import { renderPlan } from '../render.js';
import { type ReportFlags, checkOutputPaths, emitReport, printEvents } from '../report-output.js';
import { type SelectionFlags, type TargetFlags, runOptions } from './options.js';

export type PlanArgs = SelectionFlags & ReportFlags & TargetFlags & { comment: boolean };

/**
 * `plan`: what sync would do, read against Port; writes nothing to Port, needs credentials to read. With
 * `--comment`, the plan is also the pull request's port-gitops comment (pr-comment.ts).
 */
export async function runPlan(args: PlanArgs, output: Output, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  checkOutputPaths(args);
  const report = await plan(
    runOptions(args, env, printEvents(output, args, env)),
    portConnector('plan', args, output, env),
  );
  if (args.format === 'text') output.out(renderPlan(report, output, { verbose: args.verbose }));
  const code = emitReport(report, output, args, env);
  // Loaded only when asked for: a plan without a comment never needs it.
  if (args.comment) await (await import('../pr-comment.js')).commentPlan(report, output, env);
  return code;
}
