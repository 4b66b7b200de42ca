import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { Output } from './output.js';

function capture() {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let text = '';
  for (const stream of [stdout, stderr]) stream.on('data', (chunk) => (text += chunk));
  return { output: new Output(stdout, stderr), text: () => text };
}

describe('what the CLI prints', () => {
  it('never prints a registered secret, nor the credentials a URL carries, whoever wrote them there', () => {
    const { output, text } = capture();
    output.addSecret('s3cr3t-value');
    output.err("fatal: unable to access 'https://gitlab-ci-token:glcbt-abc123@gitlab.example.com/acme/repo.git/'");
    output.out('the value s3cr3t-value, and http://user@127.0.0.1:5555/v1 and HTTPS://a:b@c.example/x');
    output.out('plain text with an @ sign: team@example.com, git@github.com:acme/repo.git, https://api.port.io/v1');
    expect(text()).toBe(
      [
        "fatal: unable to access 'https://***@gitlab.example.com/acme/repo.git/'",
        'the value ***, and http://***@127.0.0.1:5555/v1 and HTTPS://***@c.example/x',
        'plain text with an @ sign: team@example.com, git@github.com:acme/repo.git, https://api.port.io/v1',
        '',
      ].join('\n'),
    );
  });

  it('redacts in time linear in the text, whatever it holds', () => {
    const { output, text } = capture();
    output.out(`${'a.'.repeat(500_000)}://${'b.'.repeat(500_000)}`);
    expect(text().length).toBe(2_000_004);
  });
});
