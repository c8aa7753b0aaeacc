// Reads YAML files of `.reliability/` and validates them with zod, turning every issue into a Problem
// that points at the exact line and column of the offending node, says what was expected there, and
// what was found. Unknown keys are warnings; the valid part of the file still loads.
//
// The files come from a repository anyone may have written, so reading them is bounded: a file is
// opened only inside `.reliability/` and only when it is a regular file (workspaceFiles.ts), read only
// up to MAX_YAML_FILE_BYTES and, all files together, MAX_YAML_TOTAL_BYTES (boundedText.ts), and a
// document whose aliases expand too far (yamlAliases.ts) is skipped.
// Each of these is a problem at its file or document; the other files and documents still load.
import { LineCounter, isAlias, isMap, isScalar, isSeq, parseAllDocuments } from 'yaml';
import type { Alias, Document, Node as YamlNode } from 'yaml';
import type { z } from 'zod';
import type { Problem } from '../core/model';
import { analyseAliases } from './yamlAliases';
import { readBoundedText } from './boundedText';
import type { WorkspaceFileOptions } from './workspaceFiles';

export type DocumentPath = ReadonlyArray<PropertyKey>;

export interface SourcePosition {
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
}

/** One `---`-separated document of a YAML file, free of syntax errors. */
export interface YamlDocument {
  /** Path relative to the workspace root, as Problems name it. */
  file: string;
  /** 0-based position among the file's documents. */
  index: number;
  /** The document as plain JS (YAML 1.2 core schema: times stay strings). */
  data: unknown;
  /** Where the document's content starts. */
  position: SourcePosition;
  /**
   * Where the node at `path` is; `key` points at the key of a mapping entry instead of its value.
   * A path that does not exist resolves to its deepest existing ancestor (where a missing key belongs).
   */
  locate(path: DocumentPath, target?: 'value' | 'key'): SourcePosition;
  /** The text of a plain scalar as written, before YAML turned it into a number or boolean. */
  writtenText(path: DocumentPath): string | undefined;
}

export interface YamlFile {
  file: string;
  documents: YamlDocument[];
  problems: Problem[];
}

export interface ValidatedYaml<T> {
  /** Null when the document has errors (warnings alone keep it). */
  value: T | null;
  problems: Problem[];
  /** The input with unknown keys removed: what a fallback (like config salvage) should look at. */
  knownData: unknown;
}

// ---- Parsing ------------------------------------------------------------------------------------

/**
 * The largest YAML file of `.reliability/` that is read, and the most that all of them together
 * may hold. The yaml package takes about 0.7 s per MB of an ordinary file and up to 5 s per MB of
 * one written to be slow (hundreds of thousands of errors or documents), all of it in the editor's
 * extension host; a 50 MB incidents.yaml held it for a minute. A hand-written ledger of 5,000
 * incidents fits in 1 MB. The total keeps a hundred files of 1 MB from adding up.
 */
export const MAX_YAML_FILE_BYTES = 1_000_000;
export const MAX_YAML_TOTAL_BYTES = 4_000_000;

/** What one load of a folder may still read of YAML; its files draw on it in a fixed order. */
export class YamlReadBudget {
  private read = 0;

  constructor(readonly total = MAX_YAML_TOTAL_BYTES) {}

  get left(): number {
    return this.total - this.read;
  }

  get spent(): number {
    return this.read;
  }

  spend(bytes: number): void {
    this.read += bytes;
  }
}

/**
 * Parses every document of a YAML text. Syntax errors become problems; documents with them are
 * skipped, and so are documents whose aliases expand too far; the other documents still load.
 */
export function parseYamlText(text: string, file: string): YamlFile {
  const lineCounter = new LineCounter();
  const parsed = parseAllDocuments(text, { lineCounter, prettyErrors: true });
  const problems: Problem[] = [];
  const documents: YamlDocument[] = [];
  const problemAt = (offset: number, message: string): Problem => {
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, column: col, severity: 'error', message };
  };
  // parseAllDocuments returns an EmptyStream (an empty array) for empty text.
  const all: Document.Parsed[] = Array.isArray(parsed) ? parsed : [];
  all.forEach((document, index) => {
    for (const error of document.errors) problems.push(yamlErrorProblem(file, error, 'error'));
    for (const warning of document.warnings) problems.push(yamlErrorProblem(file, warning, 'warning'));
    if (document.errors.length > 0) return;
    if (isEmptyDocument(document)) return;
    const aliases = analyseAliases(document);
    if (!aliases.ok) {
      problems.push(problemAt(aliases.refusal.offset, aliases.refusal.message));
      return;
    }
    let data: unknown;
    try {
      // analyseAliases bounded the expansion already; yaml's own count (see yamlAliases.ts) is off.
      data = document.toJS({ maxAliasCount: -1 });
    } catch (error) {
      problems.push(problemAt(document.contents?.range?.[0] ?? 0, `this document is skipped: it cannot be read as data (${(error as Error).message})`));
      return;
    }
    documents.push(wrapDocument(file, index, document, data, lineCounter, aliases.targets));
  });
  return { file, documents, problems };
}

/**
 * The node at `path` of a document, seen as a document of its own: its paths, positions and written
 * text are those of that node. OpenSLO tools write several objects as one top-level list
 * (`- apiVersion: openslo/v1 ...`), each read like a `---`-separated document.
 */
export function documentAt(document: YamlDocument, path: DocumentPath): YamlDocument {
  return {
    file: document.file,
    index: document.index,
    data: valueAt(document.data, path),
    position: document.locate(path),
    locate: (inner, target) => document.locate([...path, ...inner], target),
    writtenText: (inner) => document.writtenText([...path, ...inner]),
  };
}

/**
 * Reads and parses a YAML file of a workspace folder such as `.reliability/`. Null when the file does
 * not exist; a file that may not or cannot be read (outside the folder through a symbolic link, not a
 * regular file, larger than MAX_YAML_FILE_BYTES or than what is left of `budget`) is one problem
 * naming it, and none of its content is read.
 */
export async function readYamlFile(
  folder: string,
  relativePath: string,
  file: string,
  options: WorkspaceFileOptions & { budget?: YamlReadBudget } = {},
): Promise<YamlFile | null> {
  const budget = options.budget ?? new YamlReadBudget();
  const allowance = Math.min(MAX_YAML_FILE_BYTES, budget.left);
  const read = await readBoundedText(folder, relativePath, allowance, options);
  if (read.ok) {
    budget.spend(read.bytes);
    return parseYamlText(read.text, file);
  }
  if (read.kind === 'not-found') return null;
  const folderLabel = options.folderLabel ?? 'its folder';
  let message: string;
  if (read.kind !== 'too-large') {
    message = `${file} ${read.reason}; it is not read`;
  } else if (read.size === null ? allowance === MAX_YAML_FILE_BYTES : read.size > MAX_YAML_FILE_BYTES) {
    const size = read.size === null ? `more than ${formatMegabytes(MAX_YAML_FILE_BYTES)}` : formatSize(read.size);
    message = `${file} is ${size}; files in ${folderLabel} are read up to ${formatMegabytes(MAX_YAML_FILE_BYTES)}`;
  } else {
    message =
      `${file} is not read: the YAML files in ${folderLabel} are read up to ${formatMegabytes(budget.total)} in all, ` +
      `and those read before it hold ${formatMegabytes(budget.spent)}`;
  }
  return { file, documents: [], problems: [{ file, line: 0, column: 0, severity: 'error', message }] };
}

function formatMegabytes(bytes: number): string {
  return `${Number((bytes / 1_000_000).toFixed(1))} MB`;
}

/** `50.0 MB`; just over the limit, where that would read as the limit itself, the exact bytes. */
function formatSize(bytes: number): string {
  const megabytes = `${(bytes / 1_000_000).toFixed(1)} MB`;
  return Number((bytes / 1_000_000).toFixed(1)) * 1_000_000 > MAX_YAML_FILE_BYTES ? megabytes : `${bytes.toLocaleString('en-US')} bytes`;
}

function yamlErrorProblem(
  file: string,
  error: { message: string; linePos?: [{ line: number; col: number }, { line: number; col: number }] | [{ line: number; col: number }] },
  severity: 'error' | 'warning',
): Problem {
  // The yaml package appends " at line L, column C:" and a code frame; the position has its own fields.
  const firstLine = error.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
  const start = error.linePos?.[0];
  return {
    file,
    line: start?.line ?? 0,
    column: start?.col ?? 0,
    severity,
    message: `YAML ${severity === 'error' ? 'syntax error' : 'warning'}: ${firstLine}`,
  };
}

function isEmptyDocument(document: Document.Parsed): boolean {
  const contents = document.contents;
  return contents === null || (isScalar(contents) && contents.value === null && !contents.source);
}

function wrapDocument(
  file: string,
  index: number,
  document: Document.Parsed,
  data: unknown,
  lineCounter: LineCounter,
  aliasTargets: ReadonlyMap<Alias, YamlNode>,
): YamlDocument {
  const positionOf = (offset: number): SourcePosition => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  const contents = document.contents as YamlNode;
  return {
    file,
    index,
    data,
    position: positionOf(contents.range?.[0] ?? 0),
    locate(path, target = 'value') {
      const found = findNode(document, aliasTargets, path, target);
      return positionOf(found.node.range?.[0] ?? 0);
    },
    writtenText(path) {
      const found = findNode(document, aliasTargets, path, 'value');
      if (!found.exact || !isScalar(found.node) || found.node.type !== 'PLAIN') return undefined;
      return found.node.source;
    },
  };
}

function findNode(
  document: Document.Parsed,
  aliasTargets: ReadonlyMap<Alias, YamlNode>,
  path: DocumentPath,
  target: 'value' | 'key',
): { node: YamlNode; exact: boolean } {
  let node = document.contents as YamlNode;
  for (let depth = 0; depth < path.length; depth++) {
    const segment = path[depth];
    // Resolved once for the whole document (yaml's resolve() searches the document on every call).
    if (isAlias(node)) node = aliasTargets.get(node) ?? node;
    if (isMap(node)) {
      const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === String(segment));
      if (!pair) return { node, exact: false };
      const keyNode = pair.key as YamlNode;
      const isLast = depth === path.length - 1;
      if (isLast && target === 'key') return { node: keyNode, exact: true };
      const value = pair.value as YamlNode | null;
      // `key:` with nothing after it has an empty scalar positioned at the line end; the key reads better.
      if (!value || (isScalar(value) && value.value === null && !value.source)) {
        return { node: keyNode, exact: isLast };
      }
      node = value;
    } else if (isSeq(node) && typeof segment === 'number' && node.items[segment]) {
      node = node.items[segment] as YamlNode;
    } else {
      return { node, exact: false };
    }
  }
  return { node, exact: true };
}

// ---- Validation ---------------------------------------------------------------------------------

/** The value at `path` in plain data, or undefined when any step is missing. */
export function valueAt(data: unknown, path: DocumentPath): unknown {
  let current = data;
  for (const segment of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[segment];
  }
  return current;
}

/** `spec.objectives[0].target`; the document itself is `document`. */
export function formatPath(path: DocumentPath): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else if (typeof segment === 'string' && /^[A-Za-z_][\w-]*$/.test(segment)) text += text === '' ? segment : `.${segment}`;
    else text += `[${JSON.stringify(String(segment))}]`;
  }
  return text === '' ? 'document' : text;
}

/** How a found value reads in a message: strings quoted, structures named. */
export function describeValue(value: unknown, keyPresent = true): string {
  if (value === undefined) return keyPresent ? 'nothing' : 'nothing (the key is missing)';
  if (value === null) return 'an empty value';
  if (typeof value === 'string') return JSON.stringify(value.length > 80 ? `${value.slice(0, 77)}...` : value);
  if (Array.isArray(value)) return `a list of ${value.length} item${value.length === 1 ? '' : 's'}`;
  if (typeof value === 'object') return 'a mapping';
  return String(value);
}

function keyIsPresent(data: unknown, path: DocumentPath): boolean {
  if (path.length === 0) return true;
  const parent = valueAt(data, path.slice(0, -1));
  return parent !== null && typeof parent === 'object' && Object.prototype.hasOwnProperty.call(parent, path[path.length - 1]);
}

/** A problem at `path` of `document`, worded `PATH: expected EXPECTED, got FOUND`. */
export function expectationProblem(
  document: YamlDocument,
  path: DocumentPath,
  expected: string,
  severity: 'error' | 'warning' = 'error',
  found?: string,
): Problem {
  const got = found ?? describeValue(valueAt(document.data, path), keyIsPresent(document.data, path));
  const { line, column } = document.locate(path);
  return { file: document.file, line, column, severity, message: `${formatPath(path)}: expected ${expected}, got ${got}` };
}

/**
 * Validates the node at `at` (the whole document by default) and reports issues at full document paths.
 * Unknown keys are warnings: they are dropped and the rest is validated again, so a typo'd optional
 * key never costs the document.
 */
export function validateYaml<T>(document: YamlDocument, schema: z.ZodType<T>, at: DocumentPath = []): ValidatedYaml<T> {
  const input = valueAt(document.data, at);
  const first = schema.safeParse(input, { error: expectedPhrase });
  if (first.success) return { value: first.data, problems: [], knownData: input };

  const problems: Problem[] = [];
  const unknownKeys: Array<{ objectPath: PropertyKey[]; key: string; allowed: string }> = [];
  for (const issue of first.error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) unknownKeys.push({ objectPath: [...issue.path], key, allowed: issue.message });
    } else {
      problems.push(issueProblem(document, at, issue));
    }
  }
  for (const { objectPath, key, allowed } of unknownKeys) {
    const where = [...at, ...objectPath];
    const { line, column } = document.locate([...where, key], 'key');
    const place = where.length === 0 ? 'the document' : formatPath(where);
    problems.push({
      file: document.file,
      line,
      column,
      severity: 'warning',
      message: `unknown key "${key}" in ${place} (ignored); expected ${allowed}`,
    });
  }
  const knownData = withoutKeys(input, unknownKeys);
  if (problems.some((problem) => problem.severity === 'error')) return { value: null, problems, knownData };

  const second = schema.safeParse(knownData, { error: expectedPhrase });
  if (second.success) return { value: second.data, problems, knownData };
  // Refinements skipped in the first pass (they do not run on objects with issues) may fail now.
  for (const issue of second.error.issues) problems.push(issueProblem(document, at, issue));
  return { value: null, problems, knownData };
}

function issueProblem(document: YamlDocument, at: DocumentPath, issue: z.core.$ZodIssue): Problem {
  const path = [...at, ...issue.path];
  const got = issue.code === 'custom' && typeof issue.params?.got === 'string' ? issue.params.got : undefined;
  return expectationProblem(document, path, issue.message, 'error', got);
}

function withoutKeys(data: unknown, unknownKeys: Array<{ objectPath: PropertyKey[]; key: string }>): unknown {
  if (unknownKeys.length === 0) return data;
  const copy = structuredClone(data);
  for (const { objectPath, key } of unknownKeys) {
    const holder = valueAt(copy, objectPath);
    if (holder !== null && typeof holder === 'object') delete (holder as Record<string, unknown>)[key];
  }
  return copy;
}

/**
 * The "expected" half of messages for issues whose schema gave no message of its own. Schema-level
 * messages take precedence over this per-parse map (zod's documented precedence).
 */
function expectedPhrase(issue: z.core.$ZodRawIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return TYPE_NAMES[issue.expected] ?? `a value of type ${issue.expected}`;
    case 'too_small':
      return boundPhrase(issue.origin, issue.minimum, issue.inclusive ?? true, 'least');
    case 'too_big':
      return boundPhrase(issue.origin, issue.maximum, issue.inclusive ?? true, 'most');
    case 'invalid_value':
      return issue.values.length === 1
        ? JSON.stringify(issue.values[0])
        : `one of ${issue.values.map((value) => JSON.stringify(value)).join(', ')}`;
    case 'invalid_format':
      return issue.format === 'regex' && 'pattern' in issue ? `text matching ${String(issue.pattern)}` : `text in ${issue.format} format`;
    case 'not_multiple_of':
      return `a multiple of ${String(issue.divisor)}`;
    case 'unrecognized_keys':
      return 'no other keys';
    default:
      return 'a valid value';
  }
}

const TYPE_NAMES: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping (key: value)',
  record: 'a mapping (key: value)',
  map: 'a mapping (key: value)',
};

function boundPhrase(origin: string, bound: number | bigint, inclusive: boolean, side: 'least' | 'most'): string {
  const limit = Number(bound);
  if (origin === 'string') return side === 'least' && limit === 1 ? 'a non-empty string' : `a string of at ${side} ${limit} characters`;
  if (origin === 'array') return `a list of at ${side} ${limit} item${limit === 1 ? '' : 's'}`;
  const comparison = side === 'least' ? (inclusive ? '>=' : '>') : inclusive ? '<=' : '<';
  return `a number ${comparison} ${limit}`;
}
