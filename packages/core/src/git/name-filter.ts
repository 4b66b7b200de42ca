/**
 * Which names a listing of the index or of a diff keeps before any becomes a string: those ending with
 * one of `endings` (`port.yml`, `.port.json`), the ASCII letters compared without case when `ignoreCase`
 * (for globs matched as Ocean's GitHub and Azure DevOps integrations match them). A filter only narrows:
 * the globs still judge every name it keeps.
 */
export interface NameFilter {
  endings: string[];
  ignoreCase: boolean;
}

/** Git pathspecs for the names the filter keeps (`*port.yml`, `:(icase)*readme.md`). */
export function filterPathspecs(filter: NameFilter): string[] {
  return filter.endings.map((ending) => `${filter.ignoreCase ? ':(icase)' : ''}*${ending}`);
}

/** Whether `name` ends with one of the filter's endings. */
export function keepsName(filter: NameFilter, name: string): boolean {
  const folded = filter.ignoreCase ? foldAscii(name) : name;
  return filter.endings.some((ending) => folded.endsWith(filter.ignoreCase ? foldAscii(ending) : ending));
}

/**
 * Whether `bytes[start, end)` ends with one of the filter's endings, compared byte by byte (a plain loop:
 * this runs for every entry of an index of hundreds of thousands).
 */
export function endingMatcher(filter: NameFilter): (bytes: Buffer, start: number, end: number) => boolean {
  const endings = filter.endings.map((ending) => Buffer.from(filter.ignoreCase ? foldAscii(ending) : ending, 'utf8'));
  const ignoreCase = filter.ignoreCase;
  return (bytes, start, end) => {
    for (const ending of endings) {
      if (end - start < ending.length) continue;
      let at = end - ending.length;
      let i = 0;
      while (i < ending.length) {
        const byte = bytes[at]!;
        if ((ignoreCase && byte >= 65 && byte <= 90 ? byte | 32 : byte) !== ending[i]) break;
        at++;
        i++;
      }
      if (i === ending.length) return true;
    }
    return false;
  };
}

/** `A`-`Z` as `a`-`z`, nothing else changed. */
function foldAscii(text: string): string {
  return text.replace(/[A-Z]/g, (letter) => String.fromCharCode(letter.charCodeAt(0) | 32));
}
