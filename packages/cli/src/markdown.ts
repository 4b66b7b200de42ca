/**
 * Text from files (paths, identifiers, values, messages quoting them) inside Markdown that GitHub renders:
 * every character Markdown or HTML would read (`<`, `&`, `|`, a backtick, emphasis, brackets) becomes an
 * entity and a line break a space, so that no file can break a table, open a tag or make a link.
 */
export function plain(text: string): string {
  return text.replace(/[&<>|`\\*_[\]~\r\n]/g, (c) => (c === '\n' || c === '\r' ? ' ' : `&#${c.charCodeAt(0)};`));
}

/** As `plain`, shown as inline code (HTML `<code>`, where entities still work; backticks would not). */
export function code(text: string): string {
  return `<code>${plain(text)}</code>`;
}
