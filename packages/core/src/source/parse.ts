import { type ParseError, findNodeAtLocation, getNodeValue, parseTree, printParseErrorCode, visit } from 'jsonc-parser';
import jsyaml from 'js-yaml';
import {
  type Document,
  LineCounter,
  isCollection,
  isMap,
  isScalar,
  isSeq,
  parseAllDocuments,
  visit as visitYaml,
  type Node as YamlNode,
} from 'yaml';
import type { Locator, Position } from '../model.js';
import { blockYamlLocator } from './block-yaml.js';
import { mayAlterNumbers } from './numbers.js';
import { decodePointer } from './pointer.js';

/** A parsed file: its data, a locator for pointers, and parse errors with positions. */
export interface ParsedSource {
  /** One value per YAML document; a JSON file has exactly one. */
  documents: unknown[];
  /** Parse errors; when there are any, `documents` may be incomplete. */
  errors: Array<Position & { message: string; hint?: string; rule: string }>;
  locator: Locator;
}

/** Offsets to lines and columns (1-based): `yaml`'s LineCounter, given the text's line starts. */
function lineIndex(text: string): { position(offset: number): Position } {
  const counter = new LineCounter();
  counter.addNewLine(0);
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) counter.addNewLine(i + 1);
  return {
    position(offset) {
      const { line, col } = counter.linePos(offset);
      return { line, column: col };
    },
  };
}

/**
 * A locator built on first use. Positions are needed only for problems, so most files never pay for
 * the position-keeping parse: the data comes from a fast parser, the positions from a full one.
 */
function lazyLocator(build: () => Locator): Locator {
  let built: Locator | undefined;
  return {
    locate: (pointer, options) => {
      built ??= safely(build);
      return built.locate(pointer, options);
    },
    raw: (pointer) => {
      built ??= safely(build);
      return built.raw?.(pointer);
    },
  };
}

/**
 * Positions for a YAML file whose data the fast parser read: from the line reader for plain block YAML
 * (`blockYamlLocator`), from the full parser otherwise, and for the text of a scalar (`raw`, rare) always.
 */
function lazyYamlLocator(text: string): Locator {
  /** Whether the line reader reads this text; unknown until a position is asked for. */
  let plain: boolean | undefined;
  let own: Omit<Locator, 'raw'> | undefined;
  const blockModel = () => {
    if (text.length <= KEEP_MODEL_ABOVE) return recentBlockModel(text);
    own ??= blockYamlLocator(text);
    return own;
  };
  const full = lazyLocator(() => parseYamlWithPositions(text).locator);
  return {
    locate: (pointer, options) => {
      if (plain !== false) {
        const block = blockModel();
        plain = block !== undefined;
        if (block) return block.locate(pointer, options);
      }
      return full.locate(pointer, options);
    },
    raw: (pointer) => full.raw?.(pointer),
  };
}

/**
 * Problems are placed file by file, so the line reader's model is kept for the last text it read, not
 * for every file: a run that placed 25,000 warnings kept 10,000 models, and each garbage collection of
 * the stage copied the young ones. A large file keeps its own, so that placing its problems between
 * other files' never reads it again.
 */
const KEEP_MODEL_ABOVE = 8 * 1024;
let recent: { text: string; model: Omit<Locator, 'raw'> | undefined } | undefined;

function recentBlockModel(text: string): Omit<Locator, 'raw'> | undefined {
  if (recent?.text !== text) recent = { text, model: blockYamlLocator(text) };
  return recent.model;
}

/** A locator that cannot be built (a document nested deeper than the parser's stack) points at the start. */
function safely(build: () => Locator): Locator {
  try {
    return build();
  } catch {
    return { locate: () => ({ line: 1, column: 1 }) };
  }
}

/**
 * How deep a file may nest before it is refused unread. The parsers that give positions and find
 * duplicate keys recurse once per level, and a file nested 200,000 levels deep (a few hundred kilobytes)
 * overflows their stack; entities may nest 100 levels (validate/sendable.ts), so this only stops files
 * no entity could come from.
 */
const MAX_PARSE_DEPTH = 1000;

/** The offset where JSON text opens its (MAX_PARSE_DEPTH + 1)th nested level, found without recursion. */
function tooDeep(text: string): number | undefined {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* backslash */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 /* { */ || c === 91 /* [ */) {
      if (++depth > MAX_PARSE_DEPTH) return i;
    } else if (c === 125 /* } */ || c === 93 /* ] */) depth--;
  }
  return undefined;
}

/** The one problem of a file too deep to read, at the bracket that goes too deep. */
function tooDeepSource(text: string, offset: number): ParsedSource {
  return {
    documents: [],
    errors: [
      {
        ...lineIndex(text).position(offset),
        rule: 'nesting',
        message: `nests deeper than ${MAX_PARSE_DEPTH} levels; the file is not read`,
        hint: 'an entity may nest 100 levels at most: flatten the value',
      },
    ],
    locator: { locate: () => ({ line: 1, column: 1 }) },
  };
}

/** Marks a parsed file whose numbers must each be compared with their text (source/numbers.ts). */
function withNumbersFlagged(source: ParsedSource, text: string): ParsedSource {
  if (mayAlterNumbers(text)) source.locator.mayAlterNumbers = true;
  return source;
}

/** Strict JSON: `JSON.parse` for the data; the syntax tree for positions only when one is asked for. */
export function parseJsonSource(text: string): ParsedSource {
  return withNumbersFlagged(readJson(text), text);
}

function readJson(text: string): ParsedSource {
  const deep = tooDeep(text);
  if (deep !== undefined) return tooDeepSource(text, deep);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return parseJsonWithPositions(text);
  }
  // JSON.parse keeps the last of two equal keys: an entity could change identifier unseen.
  const duplicate = firstDuplicateKey(text);
  if (duplicate) {
    const lines = lineIndex(text);
    return {
      documents: [],
      errors: [
        {
          ...lines.position(duplicate.offset),
          rule: 'duplicate-key',
          message: `invalid JSON: the key "${duplicate.key}" appears twice in one object`,
        },
      ],
      locator: lazyLocator(() => parseJsonWithPositions(text).locator),
    };
  }
  return { documents: [value], errors: [], locator: lazyLocator(() => parseJsonWithPositions(text).locator) };
}

/** The first key that repeats a key of its own object, and where; one pass of jsonc-parser's scanner. */
function firstDuplicateKey(text: string): { key: string; offset: number } | undefined {
  const open: Array<Set<string>> = [];
  let found: { key: string; offset: number } | undefined;
  visit(text, {
    onObjectBegin: () => {
      open.push(new Set());
    },
    onObjectEnd: () => {
      open.pop();
    },
    onObjectProperty: (key, offset) => {
      const keys = open.at(-1);
      if (!keys || found) return;
      if (keys.has(key)) found = { key, offset };
      keys.add(key);
    },
  });
  return found;
}

/** Strict JSON (no comments, no trailing commas) with a syntax tree for positions. */
export function parseJsonWithPositions(text: string): ParsedSource {
  const lines = lineIndex(text);
  const parseErrors: ParseError[] = [];
  const root = parseTree(text, parseErrors, {
    disallowComments: true,
    allowTrailingComma: false,
    allowEmptyContent: false,
  });
  // Only the first syntax error: the ones after it are mostly its echoes.
  const errors = parseErrors.slice(0, 1).map((e) => {
    const code = printParseErrorCode(e.error);
    const comma = trailingCommaBefore(text, e.offset);
    if (comma !== undefined && (code === 'PropertyNameExpected' || code === 'ValueExpected')) {
      return { ...lines.position(comma), rule: 'json-syntax', message: 'invalid JSON: trailing comma' };
    }
    return { ...lines.position(e.offset), rule: 'json-syntax', message: describeJsonError(code) };
  });
  const nodeAt = (pointer: string) => {
    const segments = decodePointer(pointer).map((s) => (/^\d+$/.test(s) ? Number(s) : s));
    return root ? findNodeAtLocation(root, segments) : undefined;
  };
  const locator: Locator = {
    raw(pointer) {
      const node = nodeAt(pointer);
      return node && node.type !== 'object' && node.type !== 'array'
        ? text.slice(node.offset, node.offset + node.length)
        : undefined;
    },
    locate(pointer, options) {
      if (!root) return { line: 1, column: 1 };
      let segments = decodePointer(pointer).map((s) => (/^\d+$/.test(s) ? Number(s) : s));
      // The nearest existing ancestor when the pointer goes past what the file holds.
      let node = findNodeAtLocation(root, segments);
      while (!node && segments.length > 0) {
        segments = segments.slice(0, -1);
        node = findNodeAtLocation(root, segments);
      }
      node ??= root;
      // A property's key sits in the parent "property" node's first child.
      const target = options?.key && node.parent?.type === 'property' ? (node.parent.children?.[0] ?? node) : node;
      return lines.position(target.offset);
    },
  };
  return { documents: root && errors.length === 0 ? [getNodeValue(root)] : [], errors, locator };
}

// Files the full parser must read: an alias (`*name`), whose expansion it bounds; a tag (`!x`), which
// the full parser refuses unless YAML's core schema knows it; an explicit key (`? `), which may be a
// collection; and numbers js-yaml reads otherwise than YAML 1.2's core schema: `0b…` (a string in 1.2),
// `+.5` and `-.5e3` (numbers in 1.2), and exponents of three digits (`1e400` overflows to Infinity in 1.2,
// where js-yaml keeps a string). parse.test.ts holds the two parsers to the same result on such values.
const NEEDS_FULL_PARSER = /(^|[\s[{,:-])[*!][^\s,\]}]|0b|(^|[\s[{,])\?(\s|$)|[-+]\.\d|[eE][-+]?\d{3}/m;

/**
 * YAML 1.2 (core schema), several documents allowed. The data comes from js-yaml, which reads entity
 * files an order of magnitude faster than the `yaml` parser (docs/benchmarks.md); the `yaml` parser, which
 * keeps positions, runs only for a file that fails, uses aliases, or has a problem to locate.
 */
export function parseYamlSource(text: string): ParsedSource {
  return withNumbersFlagged(readYaml(text), text);
}

function readYaml(text: string): ParsedSource {
  if (!NEEDS_FULL_PARSER.test(text)) {
    try {
      const documents = jsyaml
        .loadAll(text, undefined, { schema: jsyaml.CORE_SCHEMA })
        .filter((d) => d !== null && d !== undefined);
      return { documents, errors: [], locator: lazyYamlLocator(text) };
    } catch {
      // The full parser says where and why.
    }
  }
  return parseYamlWithPositions(text);
}

/** YAML 1.2 (core schema) with positions; aliases are bounded against expansion bombs. */
export function parseYamlWithPositions(text: string): ParsedSource {
  try {
    return parseYamlTree(text);
  } catch (error) {
    // The parser's passes over the tree recurse once per level: a file too deep for them is refused.
    if (!(error instanceof RangeError)) throw error;
    return {
      documents: [],
      errors: [{ line: 1, column: 1, ...describeYamlError(error.message) }],
      locator: { locate: () => ({ line: 1, column: 1 }) },
    };
  }
}

function parseYamlTree(text: string): ParsedSource {
  const lineCounter = new LineCounter();
  // An array always (an empty stream is an empty array), whatever its type says.
  const parsed: Document.Parsed[] = parseAllDocuments(text, {
    lineCounter,
    uniqueKeys: true,
    prettyErrors: false,
    logLevel: 'silent',
  });
  const position = (offset: number): Position => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  const errors: ParsedSource['errors'] = [];
  for (const doc of parsed) {
    // A warning is a value not taken as written: an unknown tag dropped, a key turned into a string.
    for (const error of [...doc.errors, ...doc.warnings]) {
      errors.push({ ...position(error.pos[0]), ...describeYamlError(error.message.split('\n')[0]!) });
    }
    errors.push(...notAsWritten(doc).map(({ offset, ...fault }) => ({ ...position(offset), ...fault })));
  }
  // One error per root cause: a parser that lost its way repeats itself, each echo pointing further on.
  errors.splice(1);
  // Empty and null documents (a trailing `---`) hold nothing, whichever parser read the data.
  const kept = parsed.filter(
    (doc) => doc.contents !== null && !(isScalar(doc.contents) && doc.contents.value === null),
  );
  const documents: unknown[] = [];
  if (errors.length === 0) {
    for (const doc of kept) {
      try {
        documents.push(doc.toJS({ maxAliasCount: 1000 }));
      } catch (error) {
        errors.push({ ...position(doc.range[0]), rule: 'yaml-syntax', message: (error as Error).message });
      }
    }
  }
  /** The node at a pointer (or its nearest existing ancestor), its key's node, and whether it is exact. */
  const find = (pointer: string) => {
    const segments = decodePointer(pointer);
    // A stream of several documents reads as the list of its documents.
    const multi = kept.length > 1;
    const doc = kept[multi ? Number(segments.shift() ?? 0) : 0];
    if (!doc) return undefined;
    let node: YamlNode | null = doc.contents as YamlNode | null;
    let keyNode: YamlNode | undefined;
    let exact = true;
    for (const segment of segments) {
      let next: YamlNode | undefined;
      let nextKey: YamlNode | undefined;
      if (isMap(node)) {
        const pair = node.items.find(
          (item) => (isScalar(item.key) ? String(item.key.value) : String(item.key)) === segment,
        );
        if (pair) {
          nextKey = pair.key as YamlNode;
          next = (pair.value as YamlNode | null) ?? nextKey;
        }
      } else if (isSeq(node)) {
        next = node.items[Number(segment)] as YamlNode | undefined;
      }
      if (!next) {
        exact = false;
        break;
      }
      node = next;
      keyNode = nextKey;
    }
    return { doc, node, keyNode, exact };
  };
  const locator: Locator = {
    locate(pointer, options) {
      const found = find(pointer);
      if (!found) return { line: 1, column: 1 };
      const target = options?.key && found.keyNode ? found.keyNode : found.node;
      return position(target?.range?.[0] ?? found.doc.range[0]);
    },
    raw(pointer) {
      const found = find(pointer);
      return found?.exact && isScalar(found.node) && found.node.range
        ? text.slice(found.node.range[0], found.node.range[1])
        : undefined;
    },
  };
  return { documents, errors, locator };
}

/** The tags of YAML 1.2's core schema, written out or implied: any other changes what a value is. */
const CORE_TAGS = new Set(['str', 'int', 'float', 'bool', 'null', 'map', 'seq'].map((t) => `tag:yaml.org,2002:${t}`));

/**
 * What the parser takes otherwise than as written, and says nothing of: a mapping key that is a
 * collection (JavaScript turns it into a string), and an explicit tag beyond the core schema, even one
 * the parser knows (`!!binary` would become a byte buffer, sent as `{"type":"Buffer",...}`).
 */
function notAsWritten(doc: Document.Parsed): Array<{ offset: number; rule: string; message: string; hint?: string }> {
  const found: Array<{ offset: number; rule: string; message: string; hint?: string }> = [];
  visitYaml(doc, {
    Pair: (_, pair) => {
      if (isCollection(pair.key) && pair.key.range) {
        found.push({
          offset: pair.key.range[0],
          rule: 'yaml-key',
          message: 'a mapping key is itself a list or mapping; keys must be plain values',
        });
      }
    },
    Node: (_, node) => {
      if (node.tag && !CORE_TAGS.has(node.tag) && node.range) {
        found.push({
          offset: node.range[0],
          rule: 'yaml-tag',
          message: `the YAML tag ${node.tag} is not supported`,
          hint: TAG_HINT,
        });
      }
    },
  });
  return found;
}

const TAG_HINT =
  'write the value without a tag; port-gitops reads plain YAML 1.2 (strings, numbers, booleans, null, lists, mappings)';

/** The parser's message, with a hint where its words hide the cause. */
function describeYamlError(message: string): { message: string; hint?: string; rule: string } {
  if (/Maximum call stack size exceeded/.test(message)) {
    return {
      rule: 'nesting',
      message: 'nests too deeply to be read',
      hint: 'an entity may nest 100 levels at most: flatten the value',
    };
  }
  if (/Nested mappings are not allowed in compact mappings|Implicit keys need to be on a single line/.test(message)) {
    return {
      rule: 'yaml-syntax',
      message,
      hint: 'a line break may be missing: each key of a mapping goes on a line of its own',
    };
  }
  const tag = /Unresolved tag: (.+)/.exec(message);
  if (tag) {
    return {
      rule: 'yaml-tag',
      message: `the YAML tag ${tag[1]} is not supported`,
      hint: TAG_HINT,
    };
  }
  return { rule: 'yaml-syntax', message };
}

/** The offset of a comma that only white space separates from `offset`, if any. */
function trailingCommaBefore(text: string, offset: number): number | undefined {
  let i = offset - 1;
  while (i >= 0 && /\s/.test(text[i]!)) i--;
  return text[i] === ',' ? i : undefined;
}

function describeJsonError(code: string): string {
  const readable: Record<string, string> = {
    InvalidSymbol: 'unexpected character',
    InvalidNumberFormat: 'invalid number',
    PropertyNameExpected: 'expected a property name in double quotes',
    ValueExpected: 'expected a value',
    ColonExpected: 'expected ":"',
    CommaExpected: 'expected ","',
    CloseBraceExpected: 'expected "}"',
    CloseBracketExpected: 'expected "]"',
    EndOfFileExpected: 'expected the end of the file',
    InvalidCommentToken: 'comments are not allowed in JSON',
    UnexpectedEndOfComment: 'unexpected end of comment',
    UnexpectedEndOfString: 'unterminated string',
    UnexpectedEndOfNumber: 'unexpected end of number',
    InvalidUnicode: 'invalid unicode escape',
    InvalidEscapeCharacter: 'invalid escape character',
    InvalidCharacter: 'invalid character in string',
  };
  return `invalid JSON: ${readable[code] ?? code}`;
}
