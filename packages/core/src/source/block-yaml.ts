import type { Locator } from '../model.js';
import { decodePointer } from './pointer.js';

/**
 * Positions in plain block YAML, read line by line: the shape nearly every entity file has (mappings and
 * sequences by indentation, one-line scalars, one-line flow collections of scalars, comments, several
 * documents). Placing a problem needs the position of a value; the full YAML parser that knows every
 * position costs ten times the parse of the data, and a run with thousands of warnings paid it for every
 * file. Anything outside that shape (an anchor, a tag, a block or multi-line scalar, an escape in a quoted
 * scalar, a key that is not a string, a tab, a flow collection over several lines) makes this return
 * undefined, and the full parser places the problems, as before. Where it answers, it answers as the full
 * parser's locator does (block-yaml.test.ts holds the two to the same positions on random documents).
 */
export function blockYamlLocator(text: string): Omit<Locator, 'raw'> | undefined {
  if (/[\t\r]/.test(text)) return undefined;
  const documents = readDocuments(text);
  if (!documents) return undefined;
  return {
    locate(pointer, options) {
      const segments = decodePointer(pointer);
      const multi = documents.length > 1;
      const document = documents[multi ? Number(segments.shift() ?? 0) : 0];
      if (!document) return { line: 1, column: 1 };
      let node = document;
      for (const segment of segments) {
        const next = node.entries
          ? node.entries.get(segment)
          : node.items && /^\d+$/.test(segment)
            ? node.items[Number(segment)]
            : undefined;
        if (!next) break;
        node = next;
      }
      // The key's position when asked and the node is a mapping's value (the document itself is not).
      return options?.key && node.keyLine > 0
        ? { line: node.keyLine, column: node.keyColumn }
        : { line: node.line, column: node.column };
    },
  };
}

/**
 * A value and where it starts; a mapping's value knows where its key is too. One shape for every node,
 * numbers rather than position objects: a run that places thousands of problems builds one model per
 * file, and allocating it was most of the cost.
 */
class Node {
  /** Where the key of the entry whose value this is starts; 0 for an item or a document. */
  keyLine = 0;
  keyColumn = 0;
  constructor(
    readonly line: number,
    readonly column: number,
    /** A mapping's entries, by key. */
    readonly entries?: Map<string, Node>,
    /** A sequence's items. */
    readonly items?: Node[],
  ) {}
}

/** The value of a mapping's entry: it knows where its key is. */
function entryValue(value: Node, keyLine: number, keyColumn: number): Node {
  value.keyLine = keyLine;
  value.keyColumn = keyColumn;
  return value;
}

interface Line {
  /** 1-based. */
  number: number;
  indent: number;
  /** The line without its comment and trailing blanks. */
  text: string;
}

/** Not this shape: the full parser decides. */
class Unsupported extends Error {}

function readDocuments(text: string): Node[] | undefined {
  const groups: Line[][] = [[]];
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const raw = lines[index]!;
    const first = raw[0];
    if (first === '-' && /^---(\s|$)/.test(raw)) {
      if (raw.replace(/^---\s*(#.*)?$/, '') !== '') return undefined; // content after ---
      groups.push([]);
      continue;
    }
    if ((first === '.' && raw.startsWith('...')) || first === '%') return undefined;
    const text = withoutComment(raw);
    if (text === undefined) return undefined;
    if (text.trim() === '') continue;
    const indent = text.length - text.trimStart().length;
    groups.at(-1)!.push({ number: index + 1, indent, text });
  }
  try {
    return groups
      .filter((group) => group.length > 0)
      .map((group) => {
        const reader = { lines: group, next: 0 };
        const node = readBlock(reader, group[0]!.indent);
        // A document of one scalar (or null, which the full parser leaves out of a stream): not an entity file.
        if (reader.next < group.length || !(node.entries || node.items)) throw new Unsupported();
        return node;
      });
  } catch {
    // Unsupported, or a text this reader gets wrong: either way the full parser places the problems.
    return undefined;
  }
}

/** A line without a comment (a `#` after a blank, or at its start, outside quotes) and trailing blanks. */
function withoutComment(line: string): string | undefined {
  if (!line.includes('#')) return line.trimEnd();
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") {
      // A quote opens a scalar only where one may start; elsewhere (`it's`) it is text.
      const before = line.slice(0, i).trimEnd();
      if (before === '' || /[:\-[{,]$/.test(before)) quote = c;
    } else if (c === '#' && (i === 0 || line[i - 1] === ' ')) {
      return line.slice(0, i).trimEnd();
    }
  }
  return quote ? undefined : line.trimEnd();
}

interface Reader {
  lines: Line[];
  next: number;
}

/** A virtual line: the rest of a line from `column` on (after `- `), read as a line of that indent. */
function rest(line: Line, column: number): Line {
  return { number: line.number, indent: column, text: `${' '.repeat(column)}${line.text.slice(column)}` };
}

function readBlock(reader: Reader, indent: number): Node {
  const line = reader.lines[reader.next]!;
  if (line.indent !== indent) throw new Unsupported();
  if (isSequenceItem(line)) return readSequence(reader, indent);
  if (mappingKey(line) !== undefined) return readMapping(reader, indent);
  // A scalar alone (a document of one value).
  reader.next++;
  return readInline(line, indent, reader);
}

function isSequenceItem(line: Line): boolean {
  return line.text[line.indent] === '-' && (line.text.length === line.indent + 1 || line.text[line.indent + 1] === ' ');
}

function readSequence(reader: Reader, indent: number): Node {
  const first = reader.lines[reader.next]!;
  const items: Node[] = [];
  const node = new Node(first.number, indent + 1, undefined, items);
  while (reader.next < reader.lines.length) {
    const line = reader.lines[reader.next]!;
    if (line.indent !== indent || !isSequenceItem(line)) break;
    const valueColumn = firstNonBlank(line.text, indent + 1);
    if (valueColumn === undefined) {
      reader.next++;
      const following = reader.lines[reader.next];
      items.push(
        following && following.indent > indent ? readBlock(reader, following.indent) : nullAt(line, indent + 1),
      );
    } else {
      // The item's content starts on this line: read it as a line of its own at its column.
      reader.lines[reader.next] = rest(line, valueColumn);
      items.push(readBlock(reader, valueColumn));
    }
  }
  return node;
}

function readMapping(reader: Reader, indent: number): Node {
  const first = reader.lines[reader.next]!;
  const entries = new Map<string, Node>();
  const node = new Node(first.number, indent + 1, entries);
  while (reader.next < reader.lines.length) {
    const line = reader.lines[reader.next]!;
    if (line.indent !== indent) break;
    const key = mappingKey(line);
    if (key === undefined) break;
    if (entries.has(key.name)) throw new Unsupported();
    reader.next++;
    const valueColumn = firstNonBlank(line.text, key.colon + 1);
    let value: Node;
    if (valueColumn !== undefined) {
      value = readInline(line, valueColumn, reader);
    } else {
      const following = reader.lines[reader.next];
      if (following && following.indent > indent) value = readBlock(reader, following.indent);
      // A sequence may sit at its key's own indent.
      else if (following && following.indent === indent && isSequenceItem(following))
        value = readSequence(reader, indent);
      else value = nullAt(line, key.colon + 1);
    }
    entries.set(key.name, entryValue(value, line.number, indent + 1));
  }
  return node;
}

/** The key of a mapping line (`key:` or `key: value`), as the data has it; undefined for another line. */
function mappingKey(line: Line): { name: string; colon: number } | undefined {
  const text = line.text;
  const start = line.indent;
  const first = text[start];
  if (first === '[' || first === '{') return undefined; // a flow collection, not a key
  if (first === '"' || first === "'") {
    const end = text.indexOf(first, start + 1);
    if (end === -1 || text[end + 1] !== ':' || !endsValue(text, end + 2)) return undefined;
    const name = text.slice(start + 1, end);
    if (first === '"' ? name.includes('\\') : name.includes("'")) throw new Unsupported();
    return { name, colon: end + 1 };
  }
  const colon = findColon(text, start);
  if (colon === undefined) return undefined;
  const name = text.slice(start, colon).trimEnd();
  if (!isPlainString(name)) throw new Unsupported();
  return { name, colon };
}

/** The first `:` followed by a blank or the end of the line, in a plain key. */
function findColon(text: string, start: number): number | undefined {
  for (let i = start; i < text.length; i++) {
    if (text[i] === ':' && endsValue(text, i + 1)) return i;
  }
  return undefined;
}

function endsValue(text: string, index: number): boolean {
  return index >= text.length || text[index] === ' ';
}

/**
 * A plain scalar that reads as the same string in YAML 1.2's core schema and in JavaScript: not a number,
 * boolean or null, and starting with no indicator.
 */
function isPlainString(text: string): boolean {
  if (text === '' || /^[-?:,[\]{}#&*!|>'"%@`]/.test(text) || /[,[\]{}]/.test(text)) return false;
  return !/^(?:~|null|Null|NULL|true|True|TRUE|false|False|FALSE|[-+]?(?:\d|\.\d)[\d._a-fA-FxXoObBeE:+-]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/.test(
    text,
  );
}

/** A value written on its line from `column` on: a scalar or a one-line flow collection of scalars. */
function readInline(line: Line, column: number, reader: Reader): Node {
  const following = reader.lines[reader.next];
  // More indented lines after a scalar continue it (a multi-line scalar), or are not YAML.
  if (following && following.indent > line.indent) throw new Unsupported();
  const text = line.text.slice(column);
  const c = text[0]!;
  if (c === '[' || c === '{') return readFlow(line, column);
  if (c === '"' || c === "'") {
    const end = text.indexOf(c, 1);
    if (end !== text.length - 1) throw new Unsupported();
    if (c === '"' ? text.includes('\\') : text.slice(1, -1).includes("'")) throw new Unsupported();
    return new Node(line.number, column + 1);
  }
  if (/^[&*!|>%@`]/.test(text) || /^[-?:](\s|$)/.test(text) || text[0] === ',' || text.includes(': '))
    throw new Unsupported();
  return new Node(line.number, column + 1);
}

/** `[a, "b c"]` or `{a: 1, b: two}` on one line, of scalars only. */
function readFlow(line: Line, column: number): Node {
  const text = line.text;
  const open = text[column]!;
  const close = open === '[' ? ']' : '}';
  if (text.at(-1) !== close) throw new Unsupported();
  const parts = splitFlow(text.slice(column + 1, -1), column + 1);
  if (open === '[') {
    return new Node(
      line.number,
      column + 1,
      undefined,
      parts.map((part) => flowScalar(line, part)),
    );
  }
  const entries = new Map<string, Node>();
  for (const part of parts) {
    const colon = part.text.search(/:( |$)/);
    if (colon <= 0) throw new Unsupported();
    const keyText = part.text.slice(0, colon).trimEnd();
    const keyPart = { text: keyText, start: part.start };
    const valueOffset = firstNonBlank(part.text, colon + 1);
    if (valueOffset === undefined) throw new Unsupported();
    const name = flowName(keyPart);
    if (entries.has(name)) throw new Unsupported();
    const value = flowScalar(line, { text: part.text.slice(valueOffset), start: part.start + valueOffset });
    entries.set(name, entryValue(value, line.number, part.start + 1));
  }
  return new Node(line.number, column + 1, entries);
}

/** The comma-separated parts of a flow collection's inside, each trimmed, with its column. */
function splitFlow(inner: string, offset: number): Array<{ text: string; start: number }> {
  if (inner.trim() === '') return [];
  const parts: Array<{ text: string; start: number }> = [];
  let quote: string | undefined;
  let from = 0;
  const push = (to: number) => {
    const raw = inner.slice(from, to);
    const lead = raw.length - raw.trimStart().length;
    const text = raw.trim();
    if (text === '') throw new Unsupported();
    parts.push({ text, start: offset + from + lead });
  };
  for (let i = 0; i < inner.length; i++) {
    const c = inner[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
    } else if ((c === '"' || c === "'") && inner.slice(from, i).trim() === '') {
      quote = c; // a quote opens a scalar only at its start (`it's` is plain)
    } else if (c === '[' || c === ']' || c === '{' || c === '}') {
      throw new Unsupported(); // nested collections are the full parser's
    } else if (c === ',') {
      push(i);
      from = i + 1;
    }
  }
  if (quote) throw new Unsupported();
  push(inner.length);
  return parts;
}

function flowScalar(line: Line, part: { text: string; start: number }): Node {
  const c = part.text[0]!;
  if (c === '"' || c === "'") {
    if (part.text.at(-1) !== c || part.text.length < 2) throw new Unsupported();
    const body = part.text.slice(1, -1);
    if (c === '"' ? body.includes('\\') || body.includes('"') : body.includes("'")) throw new Unsupported();
  } else if (/^[&*!|>%@`?:-]/.test(part.text) || part.text.includes(': ')) {
    throw new Unsupported();
  }
  return new Node(line.number, part.start + 1);
}

function flowName(part: { text: string; start: number }): string {
  const c = part.text[0]!;
  if (c === '"' || c === "'") {
    if (part.text.at(-1) !== c) throw new Unsupported();
    const name = part.text.slice(1, -1);
    if (c === '"' ? name.includes('\\') : name.includes("'")) throw new Unsupported();
    return name;
  }
  if (!isPlainString(part.text)) throw new Unsupported();
  return part.text;
}

/** An empty value: the full parser places it right after its `:` or `-`. */
function nullAt(line: Line, column: number): Node {
  return new Node(line.number, column + 1);
}

function firstNonBlank(text: string, from: number): number | undefined {
  for (let i = from; i < text.length; i++) if (text[i] !== ' ') return i;
  return undefined;
}
