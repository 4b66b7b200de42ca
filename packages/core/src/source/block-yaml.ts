import type { Locator, Position } from '../model.js';
import { decodePointer } from './pointer.js';

/**
 * Positions in plain block YAML, read line by line: the shape nearly every entity file has (mappings and
 * sequences by indentation, one-line scalars, one-line flow collections of scalars, comments, several
 * documents). Placing a problem needs the position of a value; the full YAML parser that knows every
 * position costs many times the parse of the data, and a run with thousands of problems paid it for every
 * file (docs/benchmarks.md has what this reader buys, measured with and without it). Anything outside that shape (an anchor, a tag, a block or multi-line scalar, an escape in a quoted
 * scalar, a key that is not a string, a tab or another blank than a space, a flow collection over several
 * lines) makes this return undefined, and the full parser places the problems, as before. Where it
 * answers, it answers as the full parser's locator does (block-yaml.test.ts holds the two to the same
 * positions on random documents).
 *
 * The model is numbers only: one array of lines and one of nodes, each a run of fields, with keys kept as
 * offsets into the text. A run that places thousands of problems builds one model per file in a heap the
 * earlier stages have grown: objects per line, per node and per key would each be copied by the garbage
 * collector.
 */
export function blockYamlLocator(text: string): Omit<Locator, 'raw'> | undefined {
  // Only the space is a blank here: every other character JavaScript or YAML trims is the full parser's.
  if (/[\t\r\v\f\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]/.test(text)) return undefined;
  return new BlockReader(text).read();
}

// A node's fields, in `nodes` from its index on.
const KIND = 0; // SCALAR, MAPPING or SEQUENCE
const LINE = 1;
const COLUMN = 2;
/** Where the key of the entry whose value this is starts; 0 for an item or a document. */
const KEY_LINE = 3;
const KEY_COLUMN = 4;
/** The key's name as offsets into the text: inside its quotes when quoted. */
const KEY_START = 5;
const KEY_END = 6;
/** How many fields this node and its descendants take: the next sibling starts there. */
const SPAN = 7;
const NODE_FIELDS = 8;

const SCALAR = 0;
const MAPPING = 1;
const SEQUENCE = 2;

// A line's fields, in `lines` from its index on.
/** 1-based. */
const NUMBER = 0;
/** The offset of the line's first character. */
const START = 1;
/** The column content starts at; after `- `, the item's own column (the rest of the line is read as a line). */
const INDENT = 2;
/** The offset past the line's content: without its comment and trailing blanks. */
const END = 3;
const LINE_FIELDS = 4;

/** Not this shape: the full parser decides. */
class Unsupported extends Error {}

/**
 * Past this many entries, a mapping being read finds a repeated key through a set rather than by
 * comparing; past this many nodes under it, a collection looked into finds its entries or items through
 * an index built once (a file's problems in a long list would otherwise each walk the list).
 */
const FEW_KEYS = 16;

const SPACE = 32;

class BlockModel implements Omit<Locator, 'raw'> {
  constructor(
    private readonly text: string,
    private readonly nodes: number[],
    /** Each document's node. */
    private readonly documents: number[],
  ) {}

  private largeMappings: Map<number, Map<string, number>> | undefined;
  private largeSequences: Map<number, number[]> | undefined;

  locate(pointer: string, options?: { key?: boolean }): Position {
    // The pointer is walked in place, segment by segment: a run places thousands of problems, and an array
    // of segments for each was a good part of the cost. An escape (`~0`, `~1`) takes the decoded way.
    if (pointer.includes('~')) return this.locateSegments(decodePointer(pointer), options);
    let from = 1;
    let node: number | undefined;
    if (this.documents.length > 1) {
      const end = pointer.indexOf('/', 1);
      node = this.documents[Number(pointer === '' ? 0 : pointer.slice(1, end === -1 ? undefined : end))];
      from = end === -1 ? pointer.length + 1 : end + 1;
    } else {
      node = this.documents[0];
    }
    if (node === undefined) return { line: 1, column: 1 };
    while (from <= pointer.length) {
      let end = pointer.indexOf('/', from);
      if (end === -1) end = pointer.length;
      const next = this.child(node, pointer, from, end);
      if (next === undefined) break;
      node = next;
      from = end + 1;
    }
    return this.position(node, options);
  }

  private locateSegments(segments: string[], options?: { key?: boolean }): Position {
    const multi = this.documents.length > 1;
    let node = this.documents[multi ? Number(segments[0] ?? 0) : 0];
    if (node === undefined) return { line: 1, column: 1 };
    for (let s = multi ? 1 : 0; s < segments.length; s++) {
      const segment = segments[s]!;
      const next = this.child(node, segment, 0, segment.length);
      if (next === undefined) break;
      node = next;
    }
    return this.position(node, options);
  }

  /** The key's position when asked and the node is a mapping's value (the document itself is not). */
  private position(node: number, options?: { key?: boolean }): Position {
    const { nodes } = this;
    return options?.key && nodes[node + KEY_LINE]! > 0
      ? { line: nodes[node + KEY_LINE]!, column: nodes[node + KEY_COLUMN]! }
      : { line: nodes[node + LINE]!, column: nodes[node + COLUMN]! };
  }

  /** The entry of a mapping named `name[from, end)`, or the item of a sequence at that index. */
  private child(node: number, name: string, from: number, end: number): number | undefined {
    const { nodes, text } = this;
    const kind = nodes[node + KIND];
    if (kind === SCALAR) return undefined;
    const last = node + nodes[node + SPAN]!;
    if (kind === MAPPING) {
      if (last - node > FEW_KEYS * NODE_FIELDS) return this.entries(node).get(name.slice(from, end));
      for (let child = node + NODE_FIELDS; child < last; child += nodes[child + SPAN]!) {
        const keyStart = nodes[child + KEY_START]!;
        if (nodes[child + KEY_END]! - keyStart === end - from && sameAt(text, keyStart, name, from, end)) return child;
      }
      return undefined;
    }
    // A sequence: the segment is an index, digits only.
    if (from === end) return undefined;
    let index = 0;
    for (let i = from; i < end; i++) {
      const digit = name.charCodeAt(i) - 48;
      if (digit < 0 || digit > 9) return undefined;
      index = index * 10 + digit;
    }
    if (last - node > FEW_KEYS * NODE_FIELDS) return this.items(node)[index];
    for (let child = node + NODE_FIELDS, i = 0; child < last; child += nodes[child + SPAN]!, i++) {
      if (i === index) return child;
    }
    return undefined;
  }

  /** A large mapping's entries by name, built when first looked into: many problems in it find theirs at once. */
  private entries(mapping: number): Map<string, number> {
    this.largeMappings ??= new Map();
    let entries = this.largeMappings.get(mapping);
    if (!entries) {
      const { nodes, text } = this;
      entries = new Map();
      for (const child of this.children(mapping)) {
        entries.set(text.slice(nodes[child + KEY_START]!, nodes[child + KEY_END]!), child);
      }
      this.largeMappings.set(mapping, entries);
    }
    return entries;
  }

  /** A large sequence's items, listed when first looked into, as `entries` does for a mapping. */
  private items(sequence: number): number[] {
    this.largeSequences ??= new Map();
    let items = this.largeSequences.get(sequence);
    if (!items) {
      items = [...this.children(sequence)];
      this.largeSequences.set(sequence, items);
    }
    return items;
  }

  private *children(collection: number): Generator<number> {
    const { nodes } = this;
    const end = collection + nodes[collection + SPAN]!;
    for (let child = collection + NODE_FIELDS; child < end; child += nodes[child + SPAN]!) yield child;
  }
}

/** Whether the text at `start` holds `name[from, end)`. */
function sameAt(text: string, start: number, name: string, from: number, end: number): boolean {
  for (let i = 0; i < end - from; i++) if (text.charCodeAt(start + i) !== name.charCodeAt(from + i)) return false;
  return true;
}

/** Whether two stretches of the text are the same characters. */
function sameText(text: string, start: number, end: number, otherStart: number, otherEnd: number): boolean {
  return end - start === otherEnd - otherStart && sameAt(text, start, text, otherStart, otherEnd);
}

/**
 * The arrays every read writes its lines and nodes into, grown once and kept: the model takes a copy of
 * its nodes at the end, rather than growing two arrays for each small file. One
 * read at a time uses them (a read is synchronous and calls out to nothing); a file of tens of thousands
 * of lines leaves them to the garbage collector rather than keep megabytes.
 */
let scratchLines: number[] = [];
let scratchNodes: number[] = [];
const SCRATCH_KEPT = 1 << 16;

class BlockReader {
  private readonly lines = scratchLines;
  private readonly nodes = scratchNodes;
  private lineCount = 0;
  private nodeCount = 0;
  /** The line read next, and the end of the current document's lines (indexes into `lines`). */
  private next = 0;
  private last = 0;
  /** The key `mappingKey` found last: its name's offsets, and the column of its colon. */
  private keyStart = 0;
  private keyEnd = 0;
  private colon = 0;

  constructor(private readonly text: string) {}

  read(): BlockModel | undefined {
    try {
      return this.build();
    } finally {
      if (this.lines.length > SCRATCH_KEPT) scratchLines = [];
      if (this.nodes.length > SCRATCH_KEPT) scratchNodes = [];
    }
  }

  private build(): BlockModel | undefined {
    const { text, lines } = this;
    /** Where each document's lines start in `lines`; a `---` starts another. */
    const starts = [0];
    let number = 0;
    /** The first `#` at or after the line's start (the text's length when there is none): found once, not per line. */
    let hash = -1;
    // An empty last line (after the final newline) holds nothing: it is not read, so that no character
    // is asked for past the text's end (the optimized code would be thrown away when one is).
    for (let start = 0; start < text.length; ) {
      let end = text.indexOf('\n', start);
      if (end === -1) end = text.length;
      number++;
      const first = text.charCodeAt(start);
      if (
        first === 0x2d /* - */ &&
        text.startsWith('---', start) &&
        (end === start + 3 || text.charCodeAt(start + 3) === SPACE)
      ) {
        const after = skipSpaces(text, start + 3, end);
        if (after < end && text.charCodeAt(after) !== 0x23 /* # */) return undefined; // content after ---
        starts.push(this.lineCount);
      } else if ((first === 0x2e /* . */ && text.startsWith('...', start)) || first === 0x25 /* % */) {
        return undefined;
      } else {
        if (hash < start) {
          hash = text.indexOf('#', start);
          if (hash === -1) hash = text.length;
        }
        const contentEnd = hash < end ? this.withoutComment(start, end) : trimEnd(text, start, end);
        if (contentEnd === -1) return undefined;
        const indent = skipSpaces(text, start, contentEnd) - start;
        if (start + indent < contentEnd) {
          const line = this.lineCount;
          lines[line + NUMBER] = number;
          lines[line + START] = start;
          lines[line + INDENT] = indent;
          lines[line + END] = contentEnd;
          this.lineCount += LINE_FIELDS;
        }
      }
      start = end + 1;
    }
    starts.push(this.lineCount);
    const documents: number[] = [];
    try {
      for (let d = 0; d + 1 < starts.length; d++) {
        if (starts[d] === starts[d + 1]) continue;
        this.next = starts[d]!;
        this.last = starts[d + 1]!;
        const node = this.readBlock(this.indent(this.next));
        // A document of one scalar (or null, which the full parser leaves out of a stream): not an entity file.
        if (this.next < this.last || this.nodes[node + KIND] === SCALAR) throw new Unsupported();
        documents.push(node);
      }
    } catch {
      // Unsupported, or a text this reader gets wrong: either way the full parser places the problems.
      return undefined;
    }
    return new BlockModel(text, this.nodes.slice(0, this.nodeCount), documents);
  }

  /**
   * The end of a line's content: before a comment (a `#` after a blank, or at its start, outside quotes)
   * and trailing blanks; -1 when a quote is left open.
   */
  private withoutComment(start: number, end: number): number {
    const { text } = this;
    let quote = 0;
    for (let i = start; i < end; i++) {
      const c = text.charCodeAt(i);
      if (quote !== 0) {
        if (c === quote) quote = 0;
      } else if (c === 0x22 /* " */ || c === 0x27 /* ' */) {
        // A quote opens a scalar only where one may start; elsewhere (`it's`) it is text.
        const before = trimEnd(text, start, i);
        if (before === start || ':-[{,'.includes(text[before - 1]!)) quote = c;
      } else if (c === 0x23 /* # */ && (i === start || text.charCodeAt(i - 1) === SPACE)) {
        return trimEnd(text, start, i);
      }
    }
    return quote !== 0 ? -1 : trimEnd(text, start, end);
  }

  private indent(line: number): number {
    return this.lines[line + INDENT]!;
  }

  /** The character at `column` of a line; NaN past its content. */
  private at(line: number, column: number): number {
    const offset = this.lines[line + START]! + column;
    return offset < this.lines[line + END]! ? this.text.charCodeAt(offset) : Number.NaN;
  }

  /** The first column at or after `from` that is not a blank; -1 when the content ends first. */
  private firstNonBlank(line: number, from: number): number {
    const start = this.lines[line + START]!;
    const offset = skipSpaces(this.text, start + from, this.lines[line + END]!);
    return offset < this.lines[line + END]! ? offset - start : -1;
  }

  private addNode(kind: number, line: number, column: number): number {
    const { nodes } = this;
    const index = this.nodeCount;
    nodes[index + KIND] = kind;
    nodes[index + LINE] = line;
    nodes[index + COLUMN] = column;
    nodes[index + KEY_LINE] = 0;
    nodes[index + KEY_COLUMN] = 0;
    nodes[index + KEY_START] = 0;
    nodes[index + KEY_END] = 0;
    nodes[index + SPAN] = NODE_FIELDS;
    this.nodeCount += NODE_FIELDS;
    return index;
  }

  /** Closes a collection: its span runs to the last node added. */
  private close(node: number): number {
    this.nodes[node + SPAN] = this.nodeCount - node;
    return node;
  }

  /** Marks `value` as the value of a key: where the key is and its name's offsets. */
  private keyed(value: number, keyLine: number, keyColumn: number, keyStart: number, keyEnd: number): void {
    const { nodes } = this;
    nodes[value + KEY_LINE] = keyLine;
    nodes[value + KEY_COLUMN] = keyColumn;
    nodes[value + KEY_START] = keyStart;
    nodes[value + KEY_END] = keyEnd;
  }

  private readBlock(indent: number): number {
    const line = this.next;
    if (this.indent(line) !== indent) throw new Unsupported();
    if (this.isSequenceItem(line)) return this.readSequence(indent);
    if (this.mappingKey(line)) return this.readMapping(indent);
    // A scalar alone (a document of one value).
    this.next += LINE_FIELDS;
    return this.readInline(line, indent);
  }

  private isSequenceItem(line: number): boolean {
    const indent = this.indent(line);
    if (this.at(line, indent) !== 0x2d /* - */) return false;
    const after = this.at(line, indent + 1);
    return Number.isNaN(after) || after === SPACE;
  }

  private readSequence(indent: number): number {
    const { lines } = this;
    const node = this.addNode(SEQUENCE, lines[this.next + NUMBER]!, indent + 1);
    while (this.next < this.last) {
      const line = this.next;
      if (this.indent(line) !== indent || !this.isSequenceItem(line)) break;
      const valueColumn = this.firstNonBlank(line, indent + 1);
      if (valueColumn === -1) {
        this.next += LINE_FIELDS;
        if (this.next < this.last && this.indent(this.next) > indent) this.readBlock(this.indent(this.next));
        else this.nullAt(line, indent + 1);
      } else {
        // The item's content starts on this line: read the rest of it as a line of its own at its column.
        lines[line + INDENT] = valueColumn;
        this.readBlock(valueColumn);
      }
    }
    return this.close(node);
  }

  private readMapping(indent: number): number {
    const { lines } = this;
    const node = this.addNode(MAPPING, lines[this.next + NUMBER]!, indent + 1);
    const keys = new KeysSeen(this.text, this.nodes, node);
    while (this.next < this.last) {
      const line = this.next;
      if (this.indent(line) !== indent || !this.mappingKey(line)) break;
      const { keyStart, keyEnd, colon } = this;
      keys.add(keyStart, keyEnd, this.nodeCount);
      this.next += LINE_FIELDS;
      const valueColumn = this.firstNonBlank(line, colon + 1);
      let value: number;
      if (valueColumn !== -1) {
        value = this.readInline(line, valueColumn);
      } else if (this.next < this.last && this.indent(this.next) > indent) {
        value = this.readBlock(this.indent(this.next));
      } else if (this.next < this.last && this.indent(this.next) === indent && this.isSequenceItem(this.next)) {
        // A sequence may sit at its key's own indent.
        value = this.readSequence(indent);
      } else {
        value = this.nullAt(line, colon + 1);
      }
      this.keyed(value, lines[line + NUMBER]!, indent + 1, keyStart, keyEnd);
    }
    return this.close(node);
  }

  /**
   * Whether a line starts with a mapping key (`key:` or `key: value`), as the data has it; when it does,
   * the name's offsets and the colon's column are left in `keyStart`, `keyEnd` and `colon`.
   */
  private mappingKey(line: number): boolean {
    const { text, lines } = this;
    const lineStart = lines[line + START]!;
    const end = lines[line + END]!;
    const start = lineStart + lines[line + INDENT]!;
    const first = text.charCodeAt(start);
    if (first === 0x5b /* [ */ || first === 0x7b /* { */) return false; // a flow collection, not a key
    if (first === 0x22 /* " */ || first === 0x27 /* ' */) {
      const close = find(text, first, start + 1, end);
      if (close === -1 || close + 1 >= end || text.charCodeAt(close + 1) !== 0x3a /* : */) return false;
      if (close + 2 < end && text.charCodeAt(close + 2) !== SPACE) return false;
      // An escape (or a doubled quote) would make the name differ from its text.
      if (hasChar(text, first === 0x22 ? 0x5c /* \ */ : 0x27, start + 1, close)) throw new Unsupported();
      this.keyStart = start + 1;
      this.keyEnd = close;
      this.colon = close + 1 - lineStart;
      return true;
    }
    const colon = separatorColon(text, start, end);
    if (colon === -1) return false;
    const keyEnd = trimEnd(text, start, colon);
    if (!isPlainString(text, start, keyEnd)) throw new Unsupported();
    this.keyStart = start;
    this.keyEnd = keyEnd;
    this.colon = colon - lineStart;
    return true;
  }

  /** A value written on its line from `column` on: a scalar or a one-line flow collection of scalars. */
  private readInline(line: number, column: number): number {
    const { text, lines } = this;
    // More indented lines after a scalar continue it (a multi-line scalar), or are not YAML.
    if (this.next < this.last && this.indent(this.next) > this.indent(line)) throw new Unsupported();
    const start = lines[line + START]! + column;
    const end = lines[line + END]!;
    const number = lines[line + NUMBER]!;
    const c = text.charCodeAt(start);
    if (c === 0x5b /* [ */ || c === 0x7b /* { */) return this.readFlow(line, column);
    if (c === 0x22 /* " */ || c === 0x27 /* ' */) {
      // One quoted scalar, closed at the line's end, without escapes.
      const close = find(text, c, start + 1, end);
      if (close !== end - 1) throw new Unsupported();
      if (c === 0x22 && hasChar(text, 0x5c /* \ */, start, end)) throw new Unsupported();
      return this.addNode(SCALAR, number, column + 1);
    }
    if (
      '&*!|>%@`,'.includes(text[start]!) ||
      ('-?:'.includes(text[start]!) && (start + 1 >= end || text.charCodeAt(start + 1) === SPACE)) ||
      hasSeparator(text, start, end)
    )
      throw new Unsupported();
    return this.addNode(SCALAR, number, column + 1);
  }

  /** `[a, "b c"]` or `{a: 1, b: two}` on one line, of scalars only. */
  private readFlow(line: number, column: number): number {
    const { text, lines } = this;
    const lineStart = lines[line + START]!;
    const end = lines[line + END]!;
    const number = lines[line + NUMBER]!;
    const open = text.charCodeAt(lineStart + column);
    const mapping = open === 0x7b; /* { */
    if (text.charCodeAt(end - 1) !== (mapping ? 0x7d /* } */ : 0x5d) /* ] */) throw new Unsupported();
    const node = this.addNode(mapping ? MAPPING : SEQUENCE, number, column + 1);
    const innerStart = lineStart + column + 1;
    const innerEnd = end - 1;
    if (skipSpaces(text, innerStart, innerEnd) === innerEnd) return this.close(node);
    // The comma-separated parts of the inside, each trimmed: a quote opens a scalar only at a part's start
    // (`it's` is plain), and nested collections are the full parser's.
    let from = innerStart;
    let quote = 0;
    const keys = mapping ? new KeysSeen(text, this.nodes, node) : undefined;
    for (let i = innerStart; i <= innerEnd; i++) {
      const c = i < innerEnd ? text.charCodeAt(i) : 0x2c; /* , closes the last part */
      if (quote !== 0) {
        if (c === quote && i < innerEnd) quote = 0;
        else if (i === innerEnd) throw new Unsupported();
      } else if ((c === 0x22 || c === 0x27) && skipSpaces(text, from, i) === i) {
        quote = c;
      } else if (c === 0x5b || c === 0x5d || c === 0x7b || c === 0x7d) {
        throw new Unsupported();
      } else if (c === 0x2c /* , */) {
        const partStart = skipSpaces(text, from, i);
        const partEnd = trimEnd(text, partStart, i);
        if (partStart === partEnd) throw new Unsupported();
        if (keys) this.flowEntry(keys, number, lineStart, partStart, partEnd);
        else this.flowScalar(number, lineStart, partStart, partEnd);
        from = i + 1;
      }
    }
    return this.close(node);
  }

  /** `name: value` inside a flow mapping. */
  private flowEntry(keys: KeysSeen, number: number, lineStart: number, start: number, end: number): void {
    const { text } = this;
    // The key is the text before the first `:` followed by a blank or the part's end.
    const colon = separatorColon(text, start, end);
    if (colon <= start) throw new Unsupported();
    const keyEnd = trimEnd(text, start, colon);
    const valueStart = skipSpaces(text, colon + 1, end);
    if (valueStart === end) throw new Unsupported();
    let nameStart = start;
    let nameEnd = keyEnd;
    const c = text.charCodeAt(start);
    if (c === 0x22 || c === 0x27) {
      if (text.charCodeAt(keyEnd - 1) !== c || keyEnd - start < 2) throw new Unsupported();
      nameStart = start + 1;
      nameEnd = keyEnd - 1;
      if (hasChar(text, c === 0x22 ? 0x5c : 0x27, nameStart, nameEnd)) throw new Unsupported();
    } else if (!isPlainString(text, start, keyEnd)) {
      throw new Unsupported();
    }
    keys.add(nameStart, nameEnd, this.nodeCount);
    const value = this.flowScalar(number, lineStart, valueStart, end);
    this.keyed(value, number, start - lineStart + 1, nameStart, nameEnd);
  }

  private flowScalar(number: number, lineStart: number, start: number, end: number): number {
    const { text } = this;
    const c = text.charCodeAt(start);
    if (c === 0x22 || c === 0x27) {
      if (end - start < 2 || text.charCodeAt(end - 1) !== c) throw new Unsupported();
      if (
        c === 0x22
          ? hasChar(text, 0x5c, start + 1, end - 1) || hasChar(text, 0x22, start + 1, end - 1)
          : hasChar(text, 0x27, start + 1, end - 1)
      )
        throw new Unsupported();
    } else if ('&*!|>%@`?:-'.includes(text[start]!) || hasSeparator(text, start, end)) {
      throw new Unsupported();
    }
    return this.addNode(SCALAR, number, start - lineStart + 1);
  }

  /** An empty value: the full parser places it right after its `:` or `-`. */
  private nullAt(line: number, column: number): number {
    return this.addNode(SCALAR, this.lines[line + NUMBER]!, column + 1);
  }
}

/**
 * A mapping's keys as it is read: a key written twice is not this shape (the full parser reports it).
 * The first keys are compared with the ones before them in the text; a long mapping's go into a set.
 */
class KeysSeen {
  private count = 0;
  private names: Set<string> | undefined;
  constructor(
    private readonly text: string,
    private readonly nodes: number[],
    private readonly mapping: number,
  ) {}

  /** The key at `[start, end)`; `nodeCount` is where the mapping's nodes end so far. */
  add(start: number, end: number, nodeCount: number): void {
    const { nodes, text } = this;
    if (++this.count <= FEW_KEYS) {
      for (let child = this.mapping + NODE_FIELDS; child < nodeCount; child += nodes[child + SPAN]!) {
        if (sameText(text, nodes[child + KEY_START]!, nodes[child + KEY_END]!, start, end)) throw new Unsupported();
      }
      return;
    }
    if (!this.names) {
      this.names = new Set();
      for (let child = this.mapping + NODE_FIELDS; child < nodeCount; child += nodes[child + SPAN]!) {
        this.names.add(text.slice(nodes[child + KEY_START]!, nodes[child + KEY_END]!));
      }
    }
    const name = text.slice(start, end);
    if (this.names.has(name)) throw new Unsupported();
    this.names.add(name);
  }
}

function skipSpaces(text: string, from: number, end: number): number {
  let i = from;
  while (i < end && text.charCodeAt(i) === SPACE) i++;
  return i;
}

function trimEnd(text: string, start: number, end: number): number {
  let i = end;
  while (i > start && text.charCodeAt(i - 1) === SPACE) i--;
  return i;
}

/** The offset of the first `code` in `[start, end)`, or -1: a search that stops at the line's end. */
function find(text: string, code: number, start: number, end: number): number {
  for (let i = start; i < end; i++) if (text.charCodeAt(i) === code) return i;
  return -1;
}

function hasChar(text: string, code: number, start: number, end: number): boolean {
  return find(text, code, start, end) !== -1;
}

/** The first `:` in `[start, end)` followed by a blank or the end: where a key ends; -1 when there is none. */
function separatorColon(text: string, start: number, end: number): number {
  for (let i = start; i < end; i++) {
    if (text.charCodeAt(i) === 0x3a && (i + 1 >= end || text.charCodeAt(i + 1) === SPACE)) return i;
  }
  return -1;
}

/** `: ` inside a plain scalar: a mapping the full parser would read, or an error. */
function hasSeparator(text: string, start: number, end: number): boolean {
  for (let i = start; i + 1 < end; i++) {
    if (text.charCodeAt(i) === 0x3a && text.charCodeAt(i + 1) === SPACE) return true;
  }
  return false;
}

/**
 * A plain scalar that reads as the same string in YAML 1.2's core schema and in JavaScript: not a number,
 * boolean or null, and starting with no indicator.
 */
function isPlainString(text: string, start: number, end: number): boolean {
  if (start === end || '-?:,[]{}#&*!|>\'"%@`'.includes(text[start]!)) return false;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x2c || c === 0x5b || c === 0x5d || c === 0x7b || c === 0x7d) return false;
  }
  // Only a text that starts as a number, a boolean, null or `~` can be one.
  if (!'~nNtTfF+-.0123456789'.includes(text[start]!)) return true;
  return !/^(?:~|null|Null|NULL|true|True|TRUE|false|False|FALSE|[-+]?(?:\d|\.\d)[\d._a-fA-FxXoObBeE:+-]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/.test(
    text.slice(start, end),
  );
}
