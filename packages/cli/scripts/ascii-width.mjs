// The width string-width gives a text of ASCII without escape sequences: one column for each printable
// character, none for a control character. The bundle answers such text with this (all of port-gitops'
// help is ASCII) and loads string-width for any other (scripts/bundle.mjs, lazyStringWidth);
// test/bundle.test.ts holds the two to the same answers.

/** The width of `text`, or undefined when it holds anything but ASCII, or an escape (string-width's to judge). */
export function asciiWidth(text) {
  if (typeof text !== 'string' || !/^[\x00-\x1a\x1c-\x7f]*$/.test(text)) return undefined;
  let width = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0x20 && code < 0x7f) width++;
  }
  return width;
}
