/**
 * Text from files (paths, identifiers, values, messages quoting them) inside Markdown that GitHub renders:
 * every character Markdown or HTML would read (`<`, `&`, `|`, a backtick, emphasis, brackets) becomes an
 * entity and a line break a space, so that no file can break a table, open a tag (or close a comment) or
 * make a link; and `@` is followed by a zero-width space, so that no file can mention a person or a team.
 */
export function plain(text: string): string {
  return text.replace(/[&<>|`\\*_[\]~\r\n@]/g, (c) =>
    c === '\n' || c === '\r' ? ' ' : c === '@' ? '@&#8203;' : `&#${c.charCodeAt(0)};`,
  );
}

/** As `plain`, shown as inline code (HTML `<code>`, where entities still work; backticks would not). */
export function code(text: string): string {
  return `<code>${plain(text)}</code>`;
}
