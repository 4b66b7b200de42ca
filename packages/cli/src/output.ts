/**
 * Everything the CLI prints goes through here, so that no secret can reach stdout, stderr or a
 * report file, whatever an error message happens to quote.
 */
export class Output {
  private readonly secrets: string[] = [];
  readonly color: boolean;

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
    return out;
  }

  out(text: string): void {
    this.stdout.write(this.redact(text.endsWith('\n') ? text : `${text}\n`));
  }

  err(text: string): void {
    this.stderr.write(this.redact(text.endsWith('\n') ? text : `${text}\n`));
  }

  paint(code: 'red' | 'green' | 'yellow' | 'dim' | 'bold', text: string): string {
    if (!this.color) return text;
    const codes = { red: 31, green: 32, yellow: 33, dim: 2, bold: 1 } as const;
    return `\u001b[${codes[code]}m${text}\u001b[0m`;
  }
}
