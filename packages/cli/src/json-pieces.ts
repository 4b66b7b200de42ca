/**
 * `JSON.stringify(value, null, 2)` of an object, in pieces that join to exactly that text: each element
 * of an array at the top level is a piece of its own. A report of 50,000 entities is 14 MB of JSON;
 * printed whole, it was held as one string, then again as the bytes written, at the run's very end,
 * when its memory peaked. Each piece is a whole JSON value or the punctuation between two, so no string
 * of the report is ever cut in two (a secret is redacted whole, and a line never spans two pieces).
 */
export function* jsonPieces(value: object): Generator<string> {
  const entries = Object.entries(value).filter(([, v]) => v !== undefined && typeof v !== 'function');
  if (entries.length === 0) {
    yield '{}';
    return;
  }
  yield '{';
  for (let i = 0; i < entries.length; i++) {
    const [key, member] = entries[i]!;
    const comma = i < entries.length - 1 ? ',' : '';
    const name = `\n  ${JSON.stringify(key)}: `;
    if (Array.isArray(member) && member.length > 0) {
      yield `${name}[`;
      for (let j = 0; j < member.length; j++) {
        yield `\n    ${indented(JSON.stringify(member[j], null, 2) ?? 'null', '    ')}${j < member.length - 1 ? ',' : ''}`;
      }
      yield `\n  ]${comma}`;
    } else {
      yield `${name}${indented(JSON.stringify(member, null, 2), '  ')}${comma}`;
    }
  }
  yield '\n}';
}

function indented(text: string, by: string): string {
  return text.includes('\n') ? text.replaceAll('\n', `\n${by}`) : text;
}
