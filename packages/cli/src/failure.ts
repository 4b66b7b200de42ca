import { EXIT, FatalError } from '@port-gitops/core/outcome';
import { InsecureBaseUrlError, PortApiError, PortAuthError } from '@port-gitops/port-client/errors';
import { type Output, printable } from './output.js';
import { VERSION } from './version.js';

const ISSUES = 'https://github.com/port-gitops/port-gitops/issues';

/**
 * Prints an error that ended a run and returns its exit code: a FatalError, refused credentials, an
 * insecure base URL or an API error ends it as the user's to fix (3; 4 for a stale sync), each with its
 * message and hint. Anything else is port-gitops's own failure: exit 70 and one line saying it is a bug
 * and what to attach; the stack only with `debug`. Every line goes through `output`, which redacts secrets.
 */
export function reportFailure(error: unknown, output: Output, options: { debug: boolean }): number {
  if (error instanceof FatalError) {
    // A message of several lines (a config file's errors) is printed line by line, each escaped.
    const [first, ...more] = error.message.split('\n');
    output.err(`error: ${printable(first!)}`);
    for (const line of more) output.err(printable(line));
    if (error.hint) output.err(`hint: ${printable(error.hint)}`);
    return error.code === 'stale' ? EXIT.stale : EXIT.fatal;
  }
  if (error instanceof PortAuthError) {
    output.err(`error: ${printable(error.message)}`);
    output.err('hint: check PORT_CLIENT_ID and PORT_CLIENT_SECRET (or PORT_ACCESS_TOKEN), and the region or base URL');
    return EXIT.fatal;
  }
  if (error instanceof InsecureBaseUrlError || error instanceof PortApiError) {
    output.err(`error: ${printable(error.message)}`);
    return EXIT.fatal;
  }
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  output.err(
    `internal error (a bug in port-gitops ${VERSION}): ${printable(message.split('\n')[0]!)}. Please report it at ${ISSUES} with the command line and what a run with --debug prints.`,
  );
  if (options.debug && error instanceof Error && error.stack) {
    for (const line of error.stack.split('\n')) output.err(printable(line));
  }
  return EXIT.internal;
}
