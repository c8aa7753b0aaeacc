import { strict as assert } from 'node:assert';
import { open } from 'node:fs/promises';
import { parseIsoTime } from '../../src/core/isoTime';
import { CsvSampleParser, MAX_LINE_BYTES, readCsvSamples } from '../../src/sources/csvSamples';
import type { CsvReadResult, CsvSampleOptions, SampleSink } from '../../src/sources/csvSamples';
import { csvText, removeTemporaryFolders, temporaryFolder, writeFile } from './builders/workspaceBuilders';

type Sample = [timestampMs: number, good: number, total: number];

/** Reads a file the way sloData does once openWorkspaceFile has opened it. */
async function readFile(path: string, sink: SampleSink, options: CsvSampleOptions = {}): Promise<CsvReadResult> {
  const handle = await open(path, 'r');
  try {
    return await readCsvSamples(handle, sink, { displayPath: '.reliability/data/slo.csv', ...options });
  } finally {
    await handle.close();
  }
}

async function readAll(text: string, options: CsvSampleOptions = {}) {
  const folder = temporaryFolder('csv-samples-');
  const path = writeFile(folder, 'data/slo.csv', text);
  const samples: Sample[] = [];
  const result = await readFile(path, (timestamp, good, total) => samples.push([timestamp, good, total]), options);
  return { samples, ...result };
}

/** Every problem message of a result, in one text, to look for leaked file content. */
function allMessages(problems: ReadonlyArray<{ message: string }>): string {
  return problems.map((problem) => problem.message).join('\n');
}

const FILE = '.reliability/data/slo.csv';
const T0 = Date.UTC(2026, 2, 1, 0, 5);
const TIME = 'an ISO 8601 time (2026-03-01T12:00:00Z) or epoch seconds';
const COUNT = 'a whole number of events, 0 or more and below 2^53';

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
      { file: FILE, line: 3, column: 1, severity: 'error', message: `timestamp: expected ${TIME}` },
      { file: FILE, line: 4, column: 22, severity: 'error', message: `good: expected ${COUNT}` },
      { file: FILE, line: 5, column: 22, severity: 'error', message: `good: expected ${COUNT}` },
      { file: FILE, line: 6, column: 22, severity: 'error', message: 'good: expected at most total (good events are part of the total)' },
      { file: FILE, line: 7, column: 26, severity: 'error', message: 'expected 3 columns (timestamp,good,total), got more' },
      { file: FILE, line: 8, column: 23, severity: 'error', message: 'expected 3 columns (timestamp,good,total), got 2' },
      { file: FILE, line: 9, column: 1, severity: 'error', message: `timestamp: expected ${TIME}` },
      { file: FILE, line: 10, column: 24, severity: 'error', message: `total: expected ${COUNT}, got an empty field` },
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
    assert.deepEqual(problems, [{ file: FILE, line: 4, column: 1, severity: 'error', message: `timestamp: expected ${TIME}` }]);
  });

  it('leaves a last line without a newline unread, with a warning, until it is complete', async () => {
    // A file being appended to, read between two writes: the last row is half written ("3" of "34").
    const complete = csvText([['2026-03-01T00:05:00Z', 1, 2]]);
    const { samples, rows, problems } = await readAll(`${complete}2026-03-01T00:10:00Z,3,3`);
    assert.deepEqual(samples, [[T0, 1, 2]]);
    assert.equal(rows, 1);
    assert.deepEqual(problems, [
      {
        file: FILE,
        line: 3,
        column: 1,
        severity: 'warning',
        message: 'line 3 has no newline at the end: not read until it is complete (is the file still being written?)',
      },
    ]);
    // Once the writer finishes the line, it is read, and the warning is gone.
    const finished = await readAll(`${complete}2026-03-01T00:10:00Z,3,34\n`);
    assert.deepEqual(finished.samples, [
      [T0, 1, 2],
      [T0 + 300_000, 3, 34],
    ]);
    assert.deepEqual(finished.problems, []);
  });

  it('says a header still being written is unfinished, not that the file is empty', async () => {
    const { rows, problems } = await readAll('timestamp,go');
    assert.equal(rows, 0);
    assert.deepEqual(problems.map((problem) => [problem.line, problem.severity]), [[1, 'warning']]);
    assert.match(problems[0].message, /^line 1 has no newline at the end/);
  });

  it('uses the configured column names, in any order, beside other columns', async () => {
    const text = csvText([[5, 'x', '2026-03-01T00:05:00Z', 4]], { header: 'requests,region,timestamp,ok' });
    const { samples, problems } = await readAll(text, { goodColumn: 'ok', totalColumn: 'requests' });
    assert.deepEqual(problems, []);
    assert.deepEqual(samples, [[T0, 4, 5]]);
  });

  it('stops at a header without the needed columns, with one problem that says which', async () => {
    const { rows, problems } = await readAll(csvText([['2026-03-01T00:05:00Z', 1, 2]], { header: 'time,good,total' }));
    assert.equal(rows, 0);
    assert.deepEqual(problems, [
      {
        file: FILE,
        line: 1,
        column: 1,
        severity: 'error',
        message: 'header: no column named timestamp; the header has 3 columns, and needs timestamp,good,total (in any order)',
      },
    ]);
    const custom = await readAll('when,ok\n', { goodColumn: 'ok', totalColumn: 'requests' });
    assert.equal(
      custom.problems[0].message,
      'header: no columns named timestamp, requests; the header has 2 columns, and needs timestamp,ok,requests (in any order)',
    );
  });

  it('never repeats the content of a file that is not a CSV of counts', async () => {
    // What `spec.path: ../../../../proc/self/environ` used to print into a CI log.
    const secret = 'GITHUB_TOKEN=ghp_fakeSecretValue1234567890';
    for (const content of [`${secret}\0HOME=/root\0PATH=/usr/bin\0`, `${secret},HOME=/root\nPATH=/usr/bin\n`]) {
      const environ = await readAll(content);
      assert.equal(environ.rows, 0);
      assert.equal(environ.problems.length, 1);
      assert.doesNotMatch(allMessages(environ.problems), /ghp_|GITHUB_TOKEN|HOME|PATH/);
    }

    // A header that fits, then rows holding secrets in every field.
    const rowsText = csvText([
      [`${secret}`, 1, 2],
      ['2026-03-01T00:05:00Z', secret, 2],
      ['2026-03-01T00:05:00Z', 1, secret],
      ['2026-03-01T00:05:00Z', 1, 2, secret],
      [secret],
    ]);
    const rows = await readAll(rowsText);
    assert.equal(rows.problems.length, 5);
    assert.doesNotMatch(allMessages(rows.problems), /ghp_|GITHUB_TOKEN/);
  });

  it('refuses counts that are not whole numbers below 2^53, each as a row problem, and reads the rest', async () => {
    const text = csvText([
      ['2026-03-01T00:05:00Z', '1e308', '1e308'], // line 2: finite, but summed it overflows
      ['2026-03-01T00:05:00Z', 1, '1e400'], // line 3: Infinity
      ['2026-03-01T00:05:00Z', -5, 10], // line 4
      ['2026-03-01T00:05:00Z', 1.5, 10], // line 5
      ['2026-03-01T00:05:00Z', 1, '9007199254740993'], // line 6: 2^53 + 1, which a double cannot hold
      ['2026-03-01T00:05:00Z', 1, '9007199254740992'], // line 7: 2^53
      ['2026-03-01T00:05:00Z', 1, 'Infinity'], // line 8
      ['2026-03-01T00:05:00Z', 1, 'NaN'], // line 9
      ['2026-03-01T00:05:00Z', 1, '0x10'], // line 10
      ['2026-03-01T00:05:00Z', 1, '9007199254740991'], // line 11: 2^53 - 1, the largest count
      ['2026-03-01T00:05:00Z', '"+7"', '8.0'], // line 12: a sign and a zero fraction are still whole numbers
      ['2026-03-01T00:05:00Z', '0000000000000000042', '0000000000000000043'], // line 13: long, but small
    ]);
    const { samples, problems } = await readAll(text);
    assert.deepEqual(samples, [
      [T0, 1, 9007199254740991],
      [T0, 7, 8],
      [T0, 42, 43],
    ]);
    assert.deepEqual(
      problems.map((problem) => [problem.line, problem.column, problem.message]),
      [
        [2, 22, `good: expected ${COUNT}`],
        [3, 24, `total: expected ${COUNT}`],
        [4, 22, `good: expected ${COUNT}`],
        [5, 22, `good: expected ${COUNT}`],
        [6, 24, `total: expected ${COUNT}`],
        [7, 24, `total: expected ${COUNT}`],
        [8, 24, `total: expected ${COUNT}`],
        [9, 24, `total: expected ${COUNT}`],
        [10, 24, `total: expected ${COUNT}`],
      ],
    );
  });

  it('refuses impossible times on the fast path as on the general one', async () => {
    const text = csvText([
      ['2026-02-29T00:00:00Z', 1, 1], // line 2: 2026 is no leap year
      ['2026-13-01T00:00:00Z', 1, 1], // line 3
      ['2026-03-01T24:00:00Z', 1, 1], // line 4
      ['2026-03-32 00:00:00', 1, 1], // line 5
      ['2026-03-01T00:60:00Z', 1, 1], // line 6
      ['2026-02-30', 1, 1], // line 7: date only, the general path
      ['9'.repeat(400), 1, 1], // line 8: epoch seconds beyond any date
      ['2024-02-29T00:00:00Z', 1, 1], // line 9: a leap day, valid
      ['2026-03-01T00:05:00Z', 1, 1], // line 10: the per-day cache must not let line 11 through
      ['2026-03-01T25:05:00Z', 1, 1], // line 11
      ['0050-03-01T00:00:00Z', 1, 1], // line 12: the year 50, as parseIsoTime reads it, not 1950
    ]);
    const { samples, problems } = await readAll(text);
    assert.deepEqual(samples, [
      [Date.UTC(2024, 1, 29), 1, 1],
      [T0, 1, 1],
      [parseIsoTime('0050-03-01T00:00:00Z'), 1, 1],
    ]);
    assert.equal(new Date(samples[2][0]).getUTCFullYear(), 50);
    assert.deepEqual(
      problems.map((problem) => problem.line),
      [2, 3, 4, 5, 6, 7, 8, 11],
    );
  });

  it('stops at a line longer than the limit, with a problem on that line', async () => {
    const text = `${csvText([['2026-03-01T00:05:00Z', 1, 2]])}2026-03-01T00:10:00Z,${'1'.repeat(100_000)},2\n2026-03-01T00:15:00Z,3,4\n`;
    const { samples, problems } = await readAll(text);
    assert.deepEqual(samples, [[T0, 1, 2]]);
    assert.deepEqual(problems, [
      { file: FILE, line: 3, column: 1, severity: 'error', message: `line 3 is longer than ${MAX_LINE_BYTES} bytes: not a row of counts; reading stopped there` },
    ]);
    assert.equal(MAX_LINE_BYTES, 65_536);
  });

  it('stops reading a stream without newlines at the line limit, holding no more than one line', async () => {
    // /dev/zero, opened directly: openWorkspaceFile refuses it, and even past that check the reader ends.
    const zero = await open('/dev/zero', 'r');
    try {
      const result = await readCsvSamples(zero, () => assert.fail('no samples expected'), { displayPath: FILE });
      assert.deepEqual(result, {
        rows: 0,
        problems: [{ file: FILE, line: 1, column: 1, severity: 'error', message: `line 1 is longer than ${MAX_LINE_BYTES} bytes: not a row of counts; reading stopped there` }],
      });
    } finally {
      await zero.close();
    }
    // The same through the parser fed in small chunks: it stops as soon as the unfinished line passes the limit.
    const parser = new CsvSampleParser(() => assert.fail('no samples expected'), FILE);
    const chunk = Buffer.alloc(1000, 'x');
    let fed = 0;
    while (!parser.stopped && fed < 10 * MAX_LINE_BYTES) {
      parser.feed(chunk);
      fed += chunk.length;
    }
    assert.equal(fed, Math.ceil((MAX_LINE_BYTES + 1) / chunk.length) * chunk.length);
  });

  it('reports an empty file', async () => {
    const { problems } = await readAll('');
    assert.deepEqual(problems, [{ file: FILE, line: 0, column: 0, severity: 'error', message: 'expected a header line timestamp,good,total, got an empty file' }]);
  });

  it('reports a read that fails part way as one problem naming the file, without the system message', async () => {
    // Reading a directory's descriptor fails with EISDIR: a real read error, no stub.
    const folder = temporaryFolder('csv-samples-');
    const directory = await open(folder, 'r');
    try {
      const result = await readCsvSamples(directory, () => assert.fail('no samples expected'), { displayPath: FILE });
      assert.deepEqual(result, { rows: 0, problems: [{ file: FILE, line: 0, column: 0, severity: 'error', message: `cannot read ${FILE} (EISDIR)` }] });
    } finally {
      await directory.close();
    }
  });

  it('lets an error thrown by the sink reach the caller', async () => {
    const folder = temporaryFolder('csv-samples-');
    const path = writeFile(folder, 'slo.csv', csvText([['2026-03-01T00:05:00Z', 1, 2]]));
    await assert.rejects(
      readFile(path, () => {
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
    // The last line has no newline: not read yet.
    assert.deepEqual(whole, [
      [T0, 1, 2],
      [T0, 3, 4],
    ]);
    assert.deepEqual(wholeProblems.map((problem) => [problem.line, problem.severity]), [[4, 'error'], [5, 'warning']]);
  });
});

describe('CsvSampleParser in value-column mode (OpenSLO thresholdMetric and ratioMetric.raw)', () => {
  const ratios = { name: 'ratio', accepts: (value: number) => value >= 0 && value <= 1, expected: 'a ratio between 0 and 1' };

  function parseValues(text: string) {
    const values: Array<[number, number]> = [];
    const parser = CsvSampleParser.forValues(ratios, (timestamp, value) => values.push([timestamp, value]), FILE);
    parser.feed(Buffer.from(text));
    return { values, problems: parser.finish(), rows: parser.rows };
  }

  it('reads timestamp and the named column in any order, decimals as people write them, and refuses the rest at their column', () => {
    const { values, problems, rows } = parseValues(
      [
        'ratio,timestamp', //                 line 1
        '0.5,2026-03-01T00:05:00Z', //        line 2
        '.25,2026-03-01T00:05:00Z', //        line 3: a leading dot
        '"1",2026-03-01T00:05:00Z', //        line 4: quoted
        '1e-1,2026-03-01T00:05:00Z', //       line 5: an exponent
        'NaN,2026-03-01T00:05:00Z', //        line 6: no number
        '1.01,2026-03-01T00:05:00Z', //       line 7: not a ratio
        '0x1,2026-03-01T00:05:00Z', //        line 8: hexadecimal is no decimal
        ',2026-03-01T00:05:00Z', //           line 9: empty
        '0.5,later', //                       line 10: a bad time
        '',
      ].join('\n'),
    );
    assert.deepEqual(values, [
      [T0, 0.5],
      [T0, 0.25],
      [T0, 1],
      [T0, 0.1],
    ]);
    assert.equal(rows, 4);
    assert.deepEqual(
      problems.map((problem) => [problem.line, problem.column, problem.message]),
      [
        [6, 1, 'ratio: expected a ratio between 0 and 1'],
        [7, 1, 'ratio: expected a ratio between 0 and 1'],
        [8, 1, 'ratio: expected a ratio between 0 and 1'],
        [9, 1, 'ratio: expected a ratio between 0 and 1, got an empty field'],
        [10, 5, `timestamp: ${'expected ' + TIME}`],
      ],
    );
  });

  it('names the value column a header lacks, and reads nothing more', () => {
    const { values, problems } = parseValues('timestamp,good,total\n2026-03-01T00:05:00Z,1,2\n');
    assert.deepEqual(values, []);
    assert.deepEqual(problems, [
      { file: FILE, line: 1, column: 1, severity: 'error', message: 'header: no column named ratio; the header has 3 columns, and needs timestamp,ratio (in any order)' },
    ]);
  });
});
