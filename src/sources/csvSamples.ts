// Streams SLI event counts from a CSV (`timestamp,good,total`, DOMAIN.md section 1) to a callback.
// Reports run over millions of rows, so this works on raw bytes: no per-line strings, no readline, and
// a hand-written ISO 8601 fast path with a per-day cache; anything unusual falls back to the slow,
// general parsers. Bad rows are reported by line and column and skipped; the rest of the file is read.
//
// The file comes from a repository nobody reviewed, so it is hostile input: problems describe what
// is wrong (line, column, which column name) and never echo the file's bytes, which could be anything
// a symbolic link reached (src/sources/workspaceFiles.ts opens the file and refuses those first); a
// line longer than MAX_LINE_BYTES stops the read, so memory stays bounded whatever the file holds;
// counts are whole numbers a double holds exactly; and a last line without a newline, which is what a
// file being appended to looks like, is left for the next read.
import type { FileHandle } from 'node:fs/promises';
import type { Problem } from '../core/model';
import { parseIsoTime } from '../core/isoTime';

/** `line`: the row's 1-based line in the file (the header is line 1). */
export type SampleSink = (timestampMs: number, good: number, total: number, line: number) => void;
export type ValueSink = (timestampMs: number, value: number, line: number) => void;

/**
 * The value-column mode, for OpenSLO's thresholdMetric and ratioMetric.raw (DOMAIN.md section 2):
 * header `timestamp,value` (the column named by `metricSource.spec.column`), one data point a row.
 * Which values are data points is the reading's business (core/valueReadings.ts): a row whose value
 * it refuses is a bad row, like a row whose count is not a count.
 */
export interface CsvValueColumn {
  /** Header name of the value column. */
  name: string;
  /** Whether a value read from the column is a data point. */
  accepts(value: number): boolean;
  /** What a value must be, for problems: "a finite number". */
  expected: string;
}

export interface CsvSampleOptions {
  /** Header name of the good-events column (OpenSLO `metricSource.spec.column`). Default `good`. */
  goodColumn?: string;
  /** Header name of the total-events column. Default `total`. */
  totalColumn?: string;
  /** Path used in problems, relative to the workspace root. Default: the path read. */
  displayPath?: string;
  /** Bad rows reported one by one before a single summary problem. Default 20. */
  maxRowProblems?: number;
}

export interface CsvReadOptions extends CsvSampleOptions {
  /** Path used in problems, relative to the workspace root. */
  displayPath: string;
}

export interface CsvReadResult {
  /** Rows handed to the sink. */
  rows: number;
  problems: Problem[];
}

const TIMESTAMP_COLUMN = 'timestamp';
const DEFAULT_MAX_ROW_PROBLEMS = 20;
const READ_CHUNK_BYTES = 1 << 20;
/** A longer line is no row of counts: it is a problem on that line, and reading stops there. */
export const MAX_LINE_BYTES = 64 * 1024;
/** Counts must be below 2^53: above it a double skips integers, and sums silently go wrong. */
const MAX_COUNT = Number.MAX_SAFE_INTEGER;
/** The range of a JavaScript Date: a timestamp outside it is no time. */
const MAX_TIME_MS = 8.64e15;

const NEWLINE = 10;
const CARRIAGE_RETURN = 13;
const COMMA = 44;
const DIGIT_0 = 48;
const DIGIT_9 = 57;
const MINUS = 45;
const PLUS = 43;
const COLON = 58;
const DOT = 46;
const LETTER_T = 84;
const SPACE = 32;
const LETTER_Z = 90;
const LETTER_z = 122;

/**
 * Reads an open file (from openWorkspaceFile, which has checked what it is) to its end and calls
 * `onSample` for each valid row, in file order (which need not be time order). The caller closes it.
 */
export async function readCsvSamples(file: FileHandle, onSample: SampleSink, options: CsvReadOptions): Promise<CsvReadResult> {
  return readWith(file, new CsvSampleParser(onSample, options.displayPath, options));
}

/**
 * Reads an open file of data points (`timestamp,value`) to its end and calls `onValue` for each valid
 * row, in file order, as readCsvSamples does for counts. The caller closes it.
 */
export async function readCsvValues(file: FileHandle, column: CsvValueColumn, onValue: ValueSink, options: CsvReadOptions): Promise<CsvReadResult> {
  return readWith(file, CsvSampleParser.forValues(column, onValue, options.displayPath, options));
}

async function readWith(file: FileHandle, parser: CsvSampleParser): Promise<CsvReadResult> {
  try {
    for (;;) {
      // A fresh buffer each time: the parser keeps an unfinished line as a view into the last chunk.
      const chunk = Buffer.allocUnsafe(READ_CHUNK_BYTES);
      const { bytesRead } = await file.read(chunk, 0, READ_CHUNK_BYTES, null);
      if (bytesRead === 0) break;
      parser.feed(bytesRead === READ_CHUNK_BYTES ? chunk : chunk.subarray(0, bytesRead));
      // A header without the needed columns, or a line too long, makes the rest meaningless.
      if (parser.stopped) break;
    }
  } catch (error) {
    // File system errors are the file's problem; anything else (a throwing sink) is the caller's.
    if (!(error instanceof Error) || !('syscall' in error)) throw error;
    const code = (error as NodeJS.ErrnoException).code ?? 'an input/output error';
    const problems = parser.finish(false);
    return {
      rows: parser.rows,
      problems: [...problems, { file: parser.file, line: 0, column: 0, severity: 'error', message: `cannot read ${parser.file} (${code})` }],
    };
  }
  return { rows: parser.rows, problems: parser.finish() };
}

/**
 * The byte-level parser behind readCsvSamples: feed it chunks in order, then call finish(). Lines may
 * be split anywhere across chunks; `\r\n` and a UTF-8 byte order mark are accepted.
 */
export class CsvSampleParser {
  readonly file: string;
  private rowCount = 0;
  private stoppedEarly = false;

  private readonly problems: Problem[] = [];
  private readonly maxRowProblems: number;
  private badRows = 0;
  private firstUnlistedBadLine = 0;
  private lineNumber = 0;
  private carry: Buffer | null = null;

  private columnCount = 0;
  private timestampIndex = -1;
  private goodIndex = -1;
  private totalIndex = -1;
  // Value-column mode (forValues): the column, its index and where its values go; null for counts.
  private valueColumn: CsvValueColumn | null = null;
  private valueIndex = -1;
  private onValue: ValueSink | null = null;

  // Per-day cache of the fast timestamp path: consecutive rows nearly always share a date.
  private cachedDayKey = -1;
  private cachedDayMs = 0;

  constructor(
    private readonly onSample: SampleSink,
    file: string,
    private readonly options: CsvSampleOptions = {},
  ) {
    this.file = file;
    this.maxRowProblems = options.maxRowProblems ?? DEFAULT_MAX_ROW_PROBLEMS;
  }

  /** A parser of data points (`timestamp,value`) instead of counts. */
  static forValues(column: CsvValueColumn, onValue: ValueSink, file: string, options: Omit<CsvSampleOptions, 'goodColumn' | 'totalColumn'> = {}): CsvSampleParser {
    const parser = new CsvSampleParser(() => undefined, file, options);
    parser.valueColumn = column;
    parser.onValue = onValue;
    return parser;
  }

  /** Rows handed to the sink so far. */
  get rows(): number {
    return this.rowCount;
  }

  /** True once the header or a line too long showed the rest cannot be read: further chunks are ignored. */
  get stopped(): boolean {
    return this.stoppedEarly;
  }

  feed(chunk: Buffer): void {
    if (this.stoppedEarly) return;
    const buffer = this.carry ? Buffer.concat([this.carry, chunk]) : chunk;
    let lineStart = 0;
    let newline = buffer.indexOf(NEWLINE, lineStart);
    while (newline !== -1) {
      if (newline - lineStart > MAX_LINE_BYTES) return this.lineTooLong();
      this.line(buffer, lineStart, newline);
      if (this.stoppedEarly) return;
      lineStart = newline + 1;
      newline = buffer.indexOf(NEWLINE, lineStart);
    }
    // Without this, a file with no newline at all (a link to /dev/zero) grows the carry forever.
    if (buffer.length - lineStart > MAX_LINE_BYTES) return this.lineTooLong();
    this.carry = lineStart < buffer.length ? buffer.subarray(lineStart) : null;
  }

  /**
   * Returns every problem found. A last line without a newline is not read: a file being appended to
   * ends in a half-written row, whose counts would be wrong; it is read once its newline is there.
   * `readCompleted` false: the read failed part way, so no lines is not an empty file.
   */
  finish(readCompleted = true): Problem[] {
    const unfinished = this.carry !== null;
    this.carry = null;
    if (unfinished && !this.stoppedEarly && readCompleted) {
      const line = this.lineNumber + 1;
      this.problems.push({
        ...this.problem(line, 1, `line ${line} has no newline at the end: not read until it is complete (is the file still being written?)`),
        severity: 'warning',
      });
    } else if (this.lineNumber === 0 && !this.stoppedEarly && readCompleted) {
      this.problems.push(this.problem(0, 0, `expected a header line ${this.expectedHeader()}, got an empty file`));
    }
    const unlisted = this.badRows - this.maxRowProblems;
    if (unlisted > 0) {
      this.problems.push(
        this.problem(this.firstUnlistedBadLine, 0, `${unlisted} more bad row${unlisted === 1 ? '' : 's'} not listed (${this.badRows} bad rows in all; each was skipped)`),
      );
    }
    return this.problems;
  }

  private lineTooLong(): void {
    const line = this.lineNumber + 1;
    this.problems.push(this.problem(line, 1, `line ${line} is longer than ${MAX_LINE_BYTES} bytes: not a row of counts; reading stopped there`));
    this.carry = null;
    this.stoppedEarly = true;
  }

  private line(buffer: Buffer, start: number, end: number): void {
    this.lineNumber++;
    if (end > start && buffer[end - 1] === CARRIAGE_RETURN) end--;
    if (this.lineNumber === 1) {
      this.header(buffer, start, end);
      return;
    }
    if (end === start) return; // blank lines, typically the one after the final newline
    if (this.valueColumn === null) this.row(buffer, start, end);
    else this.valueRow(buffer, start, end);
  }

  private expectedHeader(): string {
    return this.neededColumns().join(',');
  }

  private neededColumns(): string[] {
    if (this.valueColumn !== null) return [TIMESTAMP_COLUMN, this.valueColumn.name];
    return [TIMESTAMP_COLUMN, this.options.goodColumn ?? 'good', this.options.totalColumn ?? 'total'];
  }

  private header(buffer: Buffer, start: number, end: number): void {
    if (end - start >= 3 && buffer[start] === 0xef && buffer[start + 1] === 0xbb && buffer[start + 2] === 0xbf) start += 3;
    const text = buffer.toString('utf8', start, end);
    const names = text.split(',').map((name) => unquote(name.trim()));
    this.columnCount = names.length;
    this.timestampIndex = names.indexOf(TIMESTAMP_COLUMN);
    if (this.valueColumn !== null) {
      this.valueIndex = names.indexOf(this.valueColumn.name);
    } else {
      this.goodIndex = names.indexOf(this.options.goodColumn ?? 'good');
      this.totalIndex = names.indexOf(this.options.totalColumn ?? 'total');
    }
    const missing = this.neededColumns().filter((name) => !names.includes(name));
    if (missing.length > 0) {
      // The header's own text is not repeated: the file may be anything (a key file, an environment).
      const columns = `${names.length} column${names.length === 1 ? '' : 's'}`;
      const named = `no column${missing.length === 1 ? '' : 's'} named ${missing.join(', ')}`;
      this.problems.push(this.problem(1, 1, `header: ${named}; the header has ${columns}, and needs ${this.expectedHeader()} (in any order)`));
      this.stoppedEarly = true;
    }
  }

  private row(buffer: Buffer, start: number, end: number): void {
    let timestamp = Number.NaN;
    let good = Number.NaN;
    let total = Number.NaN;
    let timestampStart = start;
    let goodStart = start;
    let totalStart = start;
    let timestampEnd = start;
    let goodEnd = start;
    let totalEnd = start;

    let fieldIndex = 0;
    let fieldStart = start;
    for (let position = start; position <= end; position++) {
      if (position !== end && buffer[position] !== COMMA) continue;
      if (fieldIndex === this.timestampIndex) {
        timestampStart = fieldStart;
        timestampEnd = position;
        timestamp = this.timestamp(buffer, fieldStart, position);
      } else if (fieldIndex === this.goodIndex) {
        goodStart = fieldStart;
        goodEnd = position;
        good = parseCount(buffer, fieldStart, position);
      } else if (fieldIndex === this.totalIndex) {
        totalStart = fieldStart;
        totalEnd = position;
        total = parseCount(buffer, fieldStart, position);
      }
      fieldIndex++;
      if (fieldIndex === this.columnCount + 1) {
        this.badRow(fieldStart - start + 1, `expected ${this.columnCount} columns (${this.expectedHeader()}), got more`);
        return;
      }
      fieldStart = position + 1;
    }
    if (fieldIndex !== this.columnCount) {
      this.badRow(end - start + 1, `expected ${this.columnCount} columns (${this.expectedHeader()}), got ${fieldIndex}`);
      return;
    }
    // Messages say what was expected and never repeat the field: the file's bytes stay out of logs.
    if (Number.isNaN(timestamp)) {
      this.badRow(timestampStart - start + 1, fieldProblem(TIMESTAMP_COLUMN, TIME_EXPECTED, timestampStart === timestampEnd));
      return;
    }
    if (Number.isNaN(good)) {
      this.badRow(goodStart - start + 1, fieldProblem(this.options.goodColumn ?? 'good', COUNT_EXPECTED, goodStart === goodEnd));
      return;
    }
    if (Number.isNaN(total)) {
      this.badRow(totalStart - start + 1, fieldProblem(this.options.totalColumn ?? 'total', COUNT_EXPECTED, totalStart === totalEnd));
      return;
    }
    if (good > total) {
      this.badRow(goodStart - start + 1, `${this.options.goodColumn ?? 'good'}: expected at most ${this.options.totalColumn ?? 'total'} (good events are part of the total)`);
      return;
    }
    this.rowCount++;
    this.onSample(timestamp, good, total, this.lineNumber);
  }

  /** A row of the value-column mode: a timestamp and one data point. */
  private valueRow(buffer: Buffer, start: number, end: number): void {
    const column = this.valueColumn as CsvValueColumn;
    let timestamp = Number.NaN;
    let value = Number.NaN;
    let timestampStart = start;
    let timestampEnd = start;
    let valueStart = start;
    let valueEnd = start;
    let fieldIndex = 0;
    let fieldStart = start;
    for (let position = start; position <= end; position++) {
      if (position !== end && buffer[position] !== COMMA) continue;
      if (fieldIndex === this.timestampIndex) {
        timestampStart = fieldStart;
        timestampEnd = position;
        timestamp = this.timestamp(buffer, fieldStart, position);
      } else if (fieldIndex === this.valueIndex) {
        valueStart = fieldStart;
        valueEnd = position;
        value = parseValue(buffer, fieldStart, position);
      }
      fieldIndex++;
      if (fieldIndex === this.columnCount + 1) {
        this.badRow(fieldStart - start + 1, `expected ${this.columnCount} columns (${this.expectedHeader()}), got more`);
        return;
      }
      fieldStart = position + 1;
    }
    if (fieldIndex !== this.columnCount) {
      this.badRow(end - start + 1, `expected ${this.columnCount} columns (${this.expectedHeader()}), got ${fieldIndex}`);
      return;
    }
    if (Number.isNaN(timestamp)) {
      this.badRow(timestampStart - start + 1, fieldProblem(TIMESTAMP_COLUMN, TIME_EXPECTED, timestampStart === timestampEnd));
      return;
    }
    if (!column.accepts(value)) {
      this.badRow(valueStart - start + 1, fieldProblem(column.name, column.expected, valueStart === valueEnd));
      return;
    }
    this.rowCount++;
    (this.onValue as ValueSink)(timestamp, value, this.lineNumber);
  }

  /** Epoch ms of a timestamp field, or NaN. */
  private timestamp(buffer: Buffer, start: number, end: number): number {
    const fast = this.fastIsoTimestamp(buffer, start, end);
    if (!Number.isNaN(fast)) return fast;
    return slowTimestamp(unquote(buffer.toString('utf8', start, end).trim()));
  }

  /**
   * `YYYY-MM-DDTHH:MM:SS(.sss)?(Z|±HH:MM|±HHMM)?` straight from the bytes; no zone means UTC. NaN for
   * anything else, which then takes the general path: that refuses an impossible time in this shape
   * (2026-02-30, hour 24, month 13) too, through parseIsoTime, so both paths agree.
   */
  private fastIsoTimestamp(buffer: Buffer, start: number, end: number): number {
    if (end - start < 19) return Number.NaN;
    if (buffer[start + 4] !== MINUS || buffer[start + 7] !== MINUS || buffer[start + 13] !== COLON || buffer[start + 16] !== COLON) {
      return Number.NaN;
    }
    const separator = buffer[start + 10];
    if (separator !== LETTER_T && separator !== SPACE) return Number.NaN;
    const year = digits(buffer, start, 4);
    const month = digits(buffer, start + 5, 2);
    const day = digits(buffer, start + 8, 2);
    const hour = digits(buffer, start + 11, 2);
    const minute = digits(buffer, start + 14, 2);
    const second = digits(buffer, start + 17, 2);
    if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) return Number.NaN;
    // Date.UTC reads years 0-99 as 1900-1999; parseIsoTime keeps them as written.
    if (year < 100) return Number.NaN;
    if (hour > 23 || minute > 59 || second > 59) return Number.NaN;

    const dayKey = year * 10000 + month * 100 + day;
    let dayMs: number;
    if (dayKey === this.cachedDayKey) {
      dayMs = this.cachedDayMs;
    } else {
      if (month < 1 || month > 12 || day < 1) return Number.NaN;
      dayMs = Date.UTC(year, month - 1, day);
      // Date.UTC rolls 2026-02-30 into March; such a date is a bad row, not a guess.
      if (new Date(dayMs).getUTCDate() !== day) return Number.NaN;
      this.cachedDayKey = dayKey;
      this.cachedDayMs = dayMs;
    }

    let position = start + 19;
    let milliseconds = 0;
    if (position < end && buffer[position] === DOT) {
      position++;
      let scale = 100;
      const fractionStart = position;
      while (position < end && buffer[position] >= DIGIT_0 && buffer[position] <= DIGIT_9) {
        milliseconds += (buffer[position] - DIGIT_0) * scale;
        scale /= 10;
        position++;
      }
      if (position === fractionStart) return Number.NaN;
      milliseconds = Math.floor(milliseconds);
    }

    let offsetMs = 0;
    if (position < end) {
      const zone = buffer[position];
      if (zone === LETTER_Z || zone === LETTER_z) {
        position++;
      } else if (zone === PLUS || zone === MINUS) {
        const offsetHours = digits(buffer, position + 1, 2);
        const hasColon = buffer[position + 3] === COLON;
        const offsetMinutes = digits(buffer, position + (hasColon ? 4 : 3), 2);
        if (offsetHours < 0 || offsetMinutes < 0 || offsetHours > 23 || offsetMinutes > 59) return Number.NaN;
        offsetMs = (zone === MINUS ? -1 : 1) * (offsetHours * 3_600_000 + offsetMinutes * 60_000);
        position += hasColon ? 6 : 5;
      } else {
        return Number.NaN;
      }
    }
    if (position !== end) return Number.NaN;
    return dayMs + hour * 3_600_000 + minute * 60_000 + second * 1000 + milliseconds - offsetMs;
  }

  private badRow(column: number, message: string): void {
    this.badRows++;
    if (this.badRows <= this.maxRowProblems) this.problems.push(this.problem(this.lineNumber, column, message));
    else if (this.badRows === this.maxRowProblems + 1) this.firstUnlistedBadLine = this.lineNumber;
  }

  private problem(line: number, column: number, message: string): Problem {
    return { file: this.file, line, column, severity: 'error', message };
  }
}

/** The value of `count` ASCII digits at `start`, or -1 if any is not a digit. */
function digits(buffer: Buffer, start: number, count: number): number {
  let value = 0;
  for (let index = start; index < start + count; index++) {
    const byte = buffer[index];
    if (byte === undefined || byte < DIGIT_0 || byte > DIGIT_9) return -1;
    value = value * 10 + (byte - DIGIT_0);
  }
  return value;
}

const TIME_EXPECTED = 'an ISO 8601 time (2026-03-01T12:00:00Z) or epoch seconds';
const COUNT_EXPECTED = 'a whole number of events, 0 or more and below 2^53';

/**
 * A count field: a non-negative integer below 2^53, or NaN. Up to 15 plain digits (always below 2^53)
 * straight from the bytes; anything else through a string, rarely. `1e308` is a finite double but no
 * count anyone wrote: summed, it overflows into Infinity and every number after it into NaN.
 */
function parseCount(buffer: Buffer, start: number, end: number): number {
  if (end === start) return Number.NaN;
  let value = 0;
  for (let position = start; position < end; position++) {
    const byte = buffer[position];
    if (byte < DIGIT_0 || byte > DIGIT_9 || end - start > 15) return slowCount(unquote(buffer.toString('utf8', start, end).trim()));
    value = value * 10 + (byte - DIGIT_0);
  }
  return value;
}

/** Digits, optionally `+` before and `.0` after (spreadsheets write 5.0); no sign, fraction or exponent else. */
function slowCount(text: string): number {
  if (!/^\+?\d+(\.0*)?$/.test(text)) return Number.NaN;
  const value = Number(text);
  // Number('9007199254740993') is 9007199254740992: beyond 2^53 - 1 the text and the double differ.
  return value <= MAX_COUNT ? value : Number.NaN;
}

/**
 * A data point's value: a decimal number as people and spreadsheets write it (`0.25`, `-3`, `1e-3`,
 * `.5`), or NaN. `NaN`, `Infinity` and hexadecimal are no values; `1e999` reads as Infinity, which
 * the column's `accepts` refuses.
 */
function parseValue(buffer: Buffer, start: number, end: number): number {
  const text = unquote(buffer.toString('latin1', start, end).trim());
  return /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/.test(text) ? Number(text) : Number.NaN;
}

/** Epoch ms of a timestamp the fast path did not take: epoch seconds, other ISO 8601 forms, Date.parse. */
function slowTimestamp(text: string): number {
  let ms: number;
  if (/^\d+(\.\d+)?$/.test(text)) {
    ms = Number(text) * 1000; // epoch seconds
  } else {
    const iso = parseIsoTime(text);
    if (iso !== null) ms = iso;
    // Date.parse rolls 2026-02-30 into March; ISO-shaped text that parseIsoTime refused stays refused.
    else if (/^\d{4}-\d{2}-\d{2}/.test(text)) return Number.NaN;
    else ms = Date.parse(text);
  }
  // 400 digits of epoch seconds are Infinity ms: no time, so a bad row rather than a row counted nowhere.
  return Math.abs(ms) <= MAX_TIME_MS ? ms : Number.NaN;
}

function unquote(text: string): string {
  return text.length >= 2 && text.startsWith('"') && text.endsWith('"') ? text.slice(1, -1) : text;
}

/** `good: expected ...`, naming an empty field as such; never the field's text. */
function fieldProblem(column: string, expected: string, empty: boolean): string {
  return `${column}: expected ${expected}${empty ? ', got an empty field' : ''}`;
}

