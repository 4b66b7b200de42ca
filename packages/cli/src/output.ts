/**
 * Everything the CLI prints goes through here, so that no secret can reach stdout, stderr or a report
 * file, whatever an error message happens to quote; and, under GitHub Actions, so that no line can start
 * a workflow command port-gitops did not write (the runner reads `::command::` at the start of any line,
 * after leading white space, on either stream).
 */
import { closeSync, openSync, writeSync } from 'node:fs';

/**
 * The user and password part of a URL: `scheme://user:password@`. The scheme is bounded, so that a long
 * run of dots and letters (an identifier quoted in a report) is read in linear time.
 */
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]{0,31}:\/\/)[^\s/@'"`<>]+@/gi;

export class Output {
  private readonly secrets: string[] = [];
  readonly color: boolean;
  /** Lines that would read as workflow commands are defused; annotations go through `command`. */
  githubActions = false;

  constructor(
    private readonly stdout: NodeJS.WritableStream = process.stdout,
    private readonly stderr: NodeJS.WritableStream = process.stderr,
  ) {
    this.color = Boolean((stdout as { isTTY?: boolean }).isTTY) && !process.env.NO_COLOR;
  }

  /** Registers a value that must never be printed (credentials, tokens). */
  addSecret(value: string | undefined): void {
    if (value && value.length >= 4) this.secrets.push(value);
  }

  redact(text: string): string {
    let out = text;
    for (const secret of this.secrets) out = out.split(secret).join('***');
    // Credentials written into a URL (a CI's remote, `https://gitlab-ci-token:…@host/…`, quoted by git in
    // an error): whoever put them there, they are not printed.
    return out.replace(URL_CREDENTIALS, '$1***@');
  }

  out(text: string): void {
    this.stdout.write(this.guard(this.redact(text.endsWith('\n') ? text : `${text}\n`)));
  }

  /**
   * A long text given in pieces (jsonPieces), written a megabyte at a time: never held whole. Each piece
   * must end where a line or a value does, so that redaction and the workflow-command guard see whole
   * secrets and whole lines. Ends with a newline, as `out` does.
   */
  outPieces(pieces: Iterable<string>): void {
    inBatches(withNewline(pieces), (text) => this.stdout.write(this.guard(this.redact(text))));
  }

  /** A file of the text given in pieces (as `outPieces` takes them), redacted; throws as writeFileSync would. */
  writeFile(path: string, pieces: Iterable<string>): void {
    const fd = openSync(path, 'w');
    try {
      inBatches(pieces, (text) => {
        // writeSync may write less than it is given: write until all of it is written.
        const bytes = Buffer.from(this.redact(text));
        for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done);
      });
    } finally {
      closeSync(fd);
    }
  }

  err(text: string): void {
    this.stderr.write(this.guard(this.redact(text.endsWith('\n') ? text : `${text}\n`)));
  }

  /** Whether stderr is a terminal, which can redraw a line in place (a progress bar). */
  get stderrIsTerminal(): boolean {
    return Boolean((this.stderr as { isTTY?: boolean }).isTTY);
  }

  /** A line on stderr redrawn in place (`\r`, then the text, then clear to the end), redacted; `''` clears it. */
  redraw(text: string): void {
    this.stderr.write(`\r${this.redact(text)}\u001b[K`);
  }

  /** Workflow commands port-gitops writes itself (annotations), each already escaped as the toolkit does. */
  command(lines: string[], stream: 'stdout' | 'stderr'): void {
    (stream === 'stdout' ? this.stdout : this.stderr).write(this.redact(`${lines.join('\n')}\n`));
  }

  paint(code: 'red' | 'green' | 'yellow' | 'dim' | 'bold', text: string): string {
    if (!this.color) return text;
    const codes = { red: 31, green: 32, yellow: 33, dim: 2, bold: 1 } as const;
    return `\u001b[${codes[code]}m${text}\u001b[0m`;
  }

  private guard(text: string): string {
    if (!this.githubActions) return text;
    // A zero-width space after the first character: the line reads the same, and is no longer a command.
    return text.replace(/^([^\S\n]*)(:|#)(?=:|#\[)/gm, '$1$2\u200b');
  }
}

/** Pieces joined into batches of about a megabyte, each handed to `write`. */
function inBatches(pieces: Iterable<string>, write: (text: string) => void): void {
  let batch = '';
  for (const piece of pieces) {
    batch += piece;
    if (batch.length >= 1 << 20) {
      write(batch);
      batch = '';
    }
  }
  if (batch !== '') write(batch);
}

/** The pieces, then a newline (what `out` adds to a text). */
export function* withNewline(pieces: Iterable<string>): Generator<string> {
  yield* pieces;
  yield '\n';
}

/**
 * Text from files (paths, values, messages that quote them) made safe to print: control characters
 * (terminal escape sequences, a newline inside a file name), line and paragraph separators and the
 * bidirectional overrides are shown as escapes rather than acted on.
 */
export function printable(text: string): string {
  return text.replace(/[\p{Cc}\u2028\u2029\u202a-\u202e\u2066-\u2069]/gu, (c) =>
    c === '\t' ? '\t' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
