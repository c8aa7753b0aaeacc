import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { CsvSampleParser, readCsvSamples } from '../../src/sources/csvSamples';
import type { CsvSampleOptions } from '../../src/sources/csvSamples';
import { csvText, removeTemporaryFolders, temporaryFolder, writeFile } from './builders/workspaceBuilders';

type Sample = [timestampMs: number, good: number, total: number];

async function readAll(text: string, options: CsvSampleOptions = {}) {
  const folder = temporaryFolder('csv-samples-');
  const path = writeFile(folder, 'data/slo.csv', text);
  const samples: Sample[] = [];
  const result = await readCsvSamples(path, (timestamp, good, total) => samples.push([timestamp, good, total]), {
    displayPath: '.reliability/data/slo.csv',
    ...options,
  });
  return { samples, ...result };
}

const FILE = '.reliability/data/slo.csv';
const T0 = Date.UTC(2026, 2, 1, 0, 5);

describe('readCsvSamples', () => {
  after(removeTemporaryFolders);

  it('calls the sink once per row with epoch ms, good and total', async () => {
    const { samples, rows, problems } = await readAll(
      csvText([
        ['2026-03-01T00:05:00Z', 99, 100],
        ['2026-03-01T00:10:00Z', 0, 0],
        ['2026-03-01T00:15:00Z', 1000000, 1000000],
      ]),
    );
    assert.deepEqual(samples, [
      [T0, 99, 100],
      [T0 + 300_000, 0, 0],
      [T0 + 600_000, 1000000, 1000000],
    ]);
    assert.equal(rows, 3);
    assert.deepEqual(problems, []);
  });

  it('reads the timestamp forms it documents: fractions, offsets, no zone (UTC), date only, epoch seconds', async () => {
    const { samples, problems } = await readAll(
      csvText([
        ['2026-03-01T00:05:00.250Z', 1, 1],
        ['2026-03-01T01:05:00+01:00', 2, 2],
        ['2026-02-28T19:05:00-0500', 3, 3],
        ['2026-03-01T00:05:00', 4, 4],
        ['2026-03-01 00:05:00Z', 5, 5],
        ['2026-03-01T00:05Z', 6, 6],
        ['2026-03-01', 7, 7],
        ['1772323500', 8, 8],
        ['"2026-03-01T00:05:00Z"', 9, 9],
        // Not ISO 8601: left to Date.parse.
        ['Sun 01 Mar 2026 00:05:00 GMT', 10, 10],
      ]),
    );
    assert.deepEqual(problems, []);
    assert.deepEqual(samples, [
      [T0 + 250, 1, 1],
      [T0, 2, 2],
      [T0, 3, 3],
      [T0, 4, 4],
      [T0, 5, 5],
      [T0, 6, 6],
      [Date.UTC(2026, 2, 1), 7, 7],
      [T0, 8, 8],
      [T0, 9, 9],
      [T0, 10, 10],
    ]);
  });

  it('keeps file order when timestamps are not in time order', async () => {
    const { samples } = await readAll(
      csvText([
        ['2026-03-02T00:00:00Z', 1, 2],
        ['2026-03-01T00:00:00Z', 3, 4],
        ['2026-03-02T00:00:00Z', 5, 6],
      ]),
    );
    assert.deepEqual(samples, [
      [Date.UTC(2026, 2, 2), 1, 2],
      [Date.UTC(2026, 2, 1), 3, 4],
      [Date.UTC(2026, 2, 2), 5, 6],
    ]);
  });

  it('reports each bad row by line and column, skips it, and reads the rest', async () => {
    const text = csvText([
      ['2026-03-01T00:05:00Z', 99, 100], // line 2
      ['yesterday', 1, 1], // line 3
      ['2026-03-01T00:15:00Z', 'many', 10], // line 4
      ['2026-03-01T00:20:00Z', -1, 10], // line 5
      ['2026-03-01T00:25:00Z', 12, 10], // line 6
      ['2026-03-01T00:30:00Z', 1, 1, 'extra'], // line 7
      ['2026-03-01T00:35:00Z', 1], // line 8
      ['2026-02-30T00:00:00Z', 1, 1], // line 9: no such day
      ['2026-03-01T00:40:00Z', 5, ''], // line 10
      ['2026-03-01T00:45:00Z', 7, 8], // line 11
    ]);
    const { samples, rows, problems } = await readAll(text);
    assert.deepEqual(samples, [
      [T0, 99, 100],
      [T0 + 40 * 60_000, 7, 8],
    ]);
    assert.equal(rows, 2);
    assert.deepEqual(problems, [
      { file: FILE, line: 3, column: 1, severity: 'error', message: 'timestamp: expected an ISO 8601 time (2026-03-01T12:00:00Z) or epoch seconds, got "yesterday"' },
      { file: FILE, line: 4, column: 22, severity: 'error', message: 'good: expected a non-negative number, got "many"' },
      { file: FILE, line: 5, column: 22, severity: 'error', message: 'good: expected a non-negative number, got "-1"' },
      { file: FILE, line: 6, column: 22, severity: 'error', message: 'good: expected at most total (10), got 12' },
      { file: FILE, line: 7, column: 26, severity: 'error', message: 'expected 3 columns (timestamp,good,total), got more' },
      { file: FILE, line: 8, column: 23, severity: 'error', message: 'expected 3 columns (timestamp,good,total), got 2' },
      { file: FILE, line: 9, column: 1, severity: 'error', message: 'timestamp: expected an ISO 8601 time (2026-03-01T12:00:00Z) or epoch seconds, got "2026-02-30T00:00:00Z"' },
      { file: FILE, line: 10, column: 24, severity: 'error', message: 'total: expected a non-negative number, got an empty field' },
    ]);
  });

  it('lists the first 20 bad rows and summarises the others', async () => {
    const rowsText: Array<Array<string | number>> = [];
    for (let index = 0; index < 25; index++) rowsText.push(['not a time', 1, 1]);
    rowsText.push(['2026-03-01T00:05:00Z', 1, 2]);
    const { rows, problems } = await readAll(csvText(rowsText));
    assert.equal(rows, 1);
    assert.equal(problems.length, 21);
    assert.deepEqual(problems.slice(0, 20).map((problem) => problem.line), Array.from({ length: 20 }, (_, index) => index + 2));
    assert.deepEqual(problems[20], {
      file: FILE,
      line: 22,
      column: 0,
      severity: 'error',
      message: '5 more bad rows not listed (25 bad rows in all; each was skipped)',
    });
  });

  it('accepts CRLF line endings and a UTF-8 byte order mark', async () => {
    const text = csvText(
      [
        ['2026-03-01T00:05:00Z', 1, 2],
        ['2026-03-01T00:10:00Z', 3, 4],
        ['bad', 3, 4],
      ],
      { lineEnding: '\r\n', byteOrderMark: true },
    );
    const { samples, problems } = await readAll(text);
    assert.deepEqual(samples, [
      [T0, 1, 2],
      [T0 + 300_000, 3, 4],
    ]);
    assert.deepEqual(problems, [
      { file: FILE, line: 4, column: 1, severity: 'error', message: 'timestamp: expected an ISO 8601 time (2026-03-01T12:00:00Z) or epoch seconds, got "bad"' },
    ]);
  });

  it('reads a last line without a final newline', async () => {
    const { samples, rows } = await readAll(csvText([['2026-03-01T00:05:00Z', 1, 2], ['2026-03-01T00:10:00Z', 3, 4]], { finalNewline: false }));
    assert.deepEqual(samples, [
      [T0, 1, 2],
      [T0 + 300_000, 3, 4],
    ]);
    assert.equal(rows, 2);
  });

  it('uses the configured column names, in any order, beside other columns', async () => {
    const text = csvText([[5, 'x', '2026-03-01T00:05:00Z', 4]], { header: 'requests,region,timestamp,ok' });
    const { samples, problems } = await readAll(text, { goodColumn: 'ok', totalColumn: 'requests' });
    assert.deepEqual(problems, []);
    assert.deepEqual(samples, [[T0, 4, 5]]);
  });

  it('stops at a header without the needed columns, with one problem', async () => {
    const { rows, problems } = await readAll(csvText([['2026-03-01T00:05:00Z', 1, 2]], { header: 'time,good,total' }));
    assert.equal(rows, 0);
    assert.deepEqual(problems, [
      { file: FILE, line: 1, column: 1, severity: 'error', message: 'header: expected the columns timestamp,good,total, got "time,good,total"' },
    ]);
  });

  it('reports an empty file', async () => {
    const { problems } = await readAll('');
    assert.deepEqual(problems, [{ file: FILE, line: 0, column: 0, severity: 'error', message: 'expected a header line timestamp,good,total, got an empty file' }]);
  });

  it('reports a missing file as one problem naming its path', async () => {
    const missing = join(temporaryFolder(), 'nope.csv');
    const result = await readCsvSamples(missing, () => assert.fail('no samples expected'));
    assert.deepEqual(result, {
      rows: 0,
      problems: [{ file: missing, line: 0, column: 0, severity: 'error', message: `cannot read ${missing}: file not found` }],
    });
  });

  it('lets an error thrown by the sink reach the caller', async () => {
    const folder = temporaryFolder('csv-samples-');
    const path = writeFile(folder, 'slo.csv', csvText([['2026-03-01T00:05:00Z', 1, 2]]));
    await assert.rejects(
      readCsvSamples(path, () => {
        throw new Error('consumer failed');
      }),
      /consumer failed/,
    );
  });

  it('gives the same samples and problems whatever the chunk boundaries', () => {
    const text = csvText(
      [
        ['2026-03-01T00:05:00Z', 1, 2],
        ['2026-03-01T01:05:00+01:00', 3, 4],
        ['oops', 1, 1],
        ['2026-03-02T00:05:00.5Z', 5, 6],
      ],
      { lineEnding: '\r\n', byteOrderMark: true, finalNewline: false },
    );
    const bytes = Buffer.from(text);
    const whole: Sample[] = [];
    const wholeParser = new CsvSampleParser((timestamp, good, total) => whole.push([timestamp, good, total]), FILE);
    wholeParser.feed(bytes);
    const wholeProblems = wholeParser.finish();

    const split: Sample[] = [];
    const byteParser = new CsvSampleParser((timestamp, good, total) => split.push([timestamp, good, total]), FILE);
    for (let index = 0; index < bytes.length; index++) byteParser.feed(bytes.subarray(index, index + 1));
    assert.deepEqual(byteParser.finish(), wholeProblems);
    assert.deepEqual(split, whole);
    assert.deepEqual(whole, [
      [T0, 1, 2],
      [T0, 3, 4],
      [Date.UTC(2026, 2, 2, 0, 5) + 500, 5, 6],
    ]);
    assert.deepEqual(wholeProblems.map((problem) => problem.line), [4]);
  });
});
