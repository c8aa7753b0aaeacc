// Issue 12, items 3 to 5: a repository names its data files, and nothing it writes may read a file
// outside `.reliability/`, hang the reader, or turn into NaN. Every test here uses the hostile input
// itself: real files outside the workspace holding a fake secret, real `..` paths, real symbolic links
// (to that secret, to /dev/zero, to a folder outside), a real FIFO and real overflowing counts.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { symlinkSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Problem, SloReport } from '../../src/core/model';
import { openWorkspaceFile } from '../../src/sources/workspaceFiles';
import type { OpenedFile, RefusedFile } from '../../src/sources/workspaceFiles';
import { loadDefinitions } from '../../src/workspace/definitions';
import { computeSloReports } from '../../src/workspace/sloData';
import {
  buildWorkspace,
  csvText,
  openSloDataSource,
  openSloSli,
  openSloSlo,
  positionOf,
  removeTemporaryFolders,
  temporaryFolder,
  writeFile,
  yamlDocuments,
  yamlLines,
} from './builders/workspaceBuilders';

const SECRET = 'AWS_SECRET_ACCESS_KEY=fake-secret-4f9c2b7e';
const NOW = Date.parse('2026-03-02T00:00:00Z');
const CONFIG = yamlLines('version: 1', 'services:', '  - name: checkout', '    paths: ["services/checkout/**"]');
const GOOD_CSV = csvText([
  ['2026-03-01T00:05:00Z', 999, 1000],
  ['2026-03-01T00:10:00Z', 1000, 1000],
]);

/** A file outside every workspace, holding a secret the way an environment or a key file would. */
function secretFileOutside(): string {
  return writeFile(temporaryFolder('outside-'), 'secret.env', `${SECRET}\nHOME=/root\n`);
}

function sloFile(...slos: Array<{ name: string; path: string }>): string {
  return yamlDocuments(...slos.map(({ name, path }) => openSloSlo({ name, service: 'checkout', indicator: { csv: { path } } })));
}

function refusal(result: OpenedFile | RefusedFile): RefusedFile {
  if (result.ok) {
    void result.handle.close();
    assert.fail(`expected a refusal, the file opened (${result.realPath})`);
  }
  return result;
}

async function opens(result: Promise<OpenedFile | RefusedFile>): Promise<OpenedFile> {
  const opened = await result;
  assert.ok(opened.ok, `expected the file to open, got: ${opened.ok ? '' : opened.reason}`);
  await opened.handle.close();
  return opened;
}

/** The workspace loaded and evaluated as the CLI and the editor do, in Restricted Mode (no remote). */
async function loadAndEvaluate(root: string): Promise<{ problems: Problem[]; reports: SloReport[] }> {
  const definitions = await loadDefinitions(root);
  const data = await computeSloReports(root, definitions.config, definitions.slos, { now: NOW, allowRemote: false });
  return { problems: [...definitions.problems, ...data.problems], reports: data.reports };
}

function mkfifo(path: string): void {
  execFileSync('mkfifo', [path]);
}

describe('openWorkspaceFile', function () {
  // A hang guard only: every case returns at once or not at all.
  this.timeout(10_000);
  after(removeTemporaryFolders);

  function reliabilityFolder(): { root: string; folder: string } {
    const root = buildWorkspace({ data: { 'data/checkout.csv': GOOD_CSV } });
    return { root, folder: join(root, '.reliability') };
  }

  it('opens a regular file inside the folder, also through a link that stays inside', async () => {
    const { root, folder } = reliabilityFolder();
    const direct = await opens(openWorkspaceFile(folder, 'data/checkout.csv', { root }));
    assert.equal(direct.size, Buffer.byteLength(GOOD_CSV));
    symlinkSync('checkout.csv', join(folder, 'data/alias.csv'));
    const linked = await opens(openWorkspaceFile(folder, 'data/./alias.csv', { root }));
    assert.equal(linked.realPath, direct.realPath);
    await opens(openWorkspaceFile(folder, 'slos/../data/checkout.csv', { root }));
  });

  it('refuses a path that climbs out or is absolute, before touching the disk', async () => {
    const { root, folder } = reliabilityFolder();
    const secret = secretFileOutside();
    const climbing = relative(folder, secret);
    assert.match(climbing, /^\.\.\/\.\.\//, 'a real ../../ path to a real file');
    for (const path of [climbing, secret, 'data/../../../../../../etc/passwd', '..\\..\\secret.env', 'C:\\secret.env', 'data/x\0.csv']) {
      const refused = refusal(await openWorkspaceFile(folder, path, { root, folderLabel: '.reliability/' }));
      assert.equal(refused.kind, 'outside', path);
      assert.doesNotMatch(refused.reason, /AWS_SECRET|fake-secret/);
    }
    assert.equal(refusal(await openWorkspaceFile(folder, climbing, { folderLabel: '.reliability/' })).reason, 'climbs out of .reliability/ with ..');
    assert.equal(refusal(await openWorkspaceFile(folder, secret, { folderLabel: '.reliability/' })).reason, 'is an absolute path; it must be relative to .reliability/');
  });

  it('refuses a symbolic link that leads outside: to a file, through a folder, to /dev/zero', async () => {
    const { root, folder } = reliabilityFolder();
    const secret = secretFileOutside();
    symlinkSync(secret, join(folder, 'data/stolen.csv'));
    symlinkSync(join(secret, '..'), join(folder, 'data/elsewhere'));
    symlinkSync('/dev/zero', join(folder, 'data/zero.csv'));
    for (const path of ['data/stolen.csv', 'data/elsewhere/secret.env', 'data/zero.csv']) {
      const refused = refusal(await openWorkspaceFile(folder, path, { root }));
      assert.deepEqual(refused, { ok: false, kind: 'outside', reason: 'leads outside .reliability/ through a symbolic link' }, path);
    }
  });

  it('refuses everything in a .reliability/ that is itself a link out of the workspace', async () => {
    const outside = temporaryFolder('outside-');
    writeFile(outside, 'data/checkout.csv', GOOD_CSV);
    const root = temporaryFolder('workspace-');
    symlinkSync(outside, join(root, '.reliability'));
    const refused = refusal(await openWorkspaceFile(join(root, '.reliability'), 'data/checkout.csv', { root }));
    assert.equal(refused.kind, 'outside');
    assert.equal(refused.reason, 'is in .reliability/, which leads outside the workspace through a symbolic link');
  });

  it('refuses what is not a regular file without waiting on it: a FIFO, a folder', async () => {
    const { root, folder } = reliabilityFolder();
    // Nobody ever writes to this FIFO: a plain open for reading would block until killed.
    mkfifo(join(folder, 'data/pipe.csv'));
    assert.deepEqual(refusal(await openWorkspaceFile(folder, 'data/pipe.csv', { root })), {
      ok: false,
      kind: 'not-regular',
      reason: 'is a named pipe (FIFO), not a regular file',
    });
    assert.deepEqual(refusal(await openWorkspaceFile(folder, 'data', { root })), {
      ok: false,
      kind: 'not-regular',
      reason: 'is a directory, not a regular file',
    });
  });

  it('says a missing file does not exist', async () => {
    const { root, folder } = reliabilityFolder();
    assert.deepEqual(refusal(await openWorkspaceFile(folder, 'data/missing.csv', { root })), { ok: false, kind: 'not-found', reason: 'does not exist' });
    assert.deepEqual(refusal(await openWorkspaceFile(folder, 'data/checkout.csv/below', { root })), { ok: false, kind: 'not-found', reason: 'does not exist' });
  });
});

describe('CSV data of a hostile workspace', function () {
  this.timeout(10_000);
  after(removeTemporaryFolders);

  it('refuses a ../../ spec.path to a real file outside at its line, never printing the file, and loads the rest', async () => {
    const root = buildWorkspace({ config: CONFIG, data: { 'data/checkout.csv': GOOD_CSV } });
    const secretPath = relative(join(root, '.reliability'), secretFileOutside());
    writeFile(root, '.reliability/slos/checkout.yaml', sloFile({ name: 'fine', path: 'data/checkout.csv' }, { name: 'thief', path: secretPath }));
    const { problems, reports } = await loadAndEvaluate(root);

    assert.doesNotMatch(JSON.stringify({ problems, reports }), /AWS_SECRET|fake-secret/);
    // Once for good, once for total: each spec.path is a problem at its own line of the second SLO.
    const pathProblems = problems.filter((problem) => problem.message.includes(secretPath));
    assert.equal(pathProblems.length, 2);
    for (const problem of pathProblems) {
      assert.equal(problem.file, '.reliability/slos/checkout.yaml');
      assert.equal(problem.severity, 'error');
      assert.ok(problem.line > 1);
      assert.match(problem.message, /spec\.path: expected a path inside \.reliability\/, relative to it, such as data\/checkout\.csv, got "\.\.\//);
    }
    // The other SLO of the same file is read and evaluated.
    assert.deepEqual(reports.map((report) => [report.name, report.total]), [['fine', 2000]]);
  });

  it('refuses a DataSource whose connectionDetails.path climbs out, at its line', async () => {
    const root = buildWorkspace({ config: CONFIG });
    const secretPath = relative(join(root, '.reliability'), secretFileOutside());
    const ratioMetric = {
      counter: true,
      good: { metricSource: { metricSourceRef: 'stolen', spec: { column: 'good' } } },
      total: { metricSource: { metricSourceRef: 'stolen', spec: { column: 'total' } } },
    };
    const text = yamlDocuments(
      openSloDataSource('stolen', 'CSV', { path: secretPath }),
      openSloSli('stolen-sli', ratioMetric),
      openSloSlo({ name: 'thief', service: 'checkout', indicator: { ref: 'stolen-sli' } }),
    );
    writeFile(root, '.reliability/slos/checkout.yaml', text);
    const { problems, reports } = await loadAndEvaluate(root);
    assert.doesNotMatch(JSON.stringify({ problems, reports }), /AWS_SECRET|fake-secret/);
    const pathProblem = problems.find((problem) => problem.message.startsWith('spec.connectionDetails.path'));
    assert.ok(pathProblem, JSON.stringify(problems));
    assert.equal(pathProblem.line, positionOf(text, secretPath).line);
    assert.match(pathProblem.message, /expected a path inside \.reliability\//);
    assert.ok(reports.every((report) => report.total === 0));
  });

  it('refuses a link in data/ to a file outside: a problem at the link, an error on its report, no content', async () => {
    const root = buildWorkspace({ config: CONFIG, data: { 'data/checkout.csv': GOOD_CSV } });
    symlinkSync(secretFileOutside(), join(root, '.reliability/data/stolen.csv'));
    writeFile(root, '.reliability/slos/checkout.yaml', sloFile({ name: 'fine', path: 'data/checkout.csv' }, { name: 'thief', path: 'data/stolen.csv' }));
    const { problems, reports } = await loadAndEvaluate(root);

    assert.doesNotMatch(JSON.stringify({ problems, reports }), /AWS_SECRET|fake-secret/);
    const thief = reports.find((report) => report.name === 'thief')!;
    assert.equal(thief.status, 'no-data');
    assert.equal(thief.error, 'its data file was not read: .reliability/data/stolen.csv leads outside .reliability/ through a symbolic link');
    assert.deepEqual(
      problems.filter((problem) => problem.severity === 'error'),
      [
        {
          file: '.reliability/data/stolen.csv',
          line: 0,
          column: 0,
          severity: 'error',
          message: '.reliability/data/stolen.csv leads outside .reliability/ through a symbolic link; it is not read',
        },
      ],
    );
    assert.equal(reports.find((report) => report.name === 'fine')!.total, 2000);
  });

  it('returns for a CSV linked to /dev/zero and a CSV that is a FIFO, each with its problem', async () => {
    const root = buildWorkspace({ config: CONFIG, data: { 'data/checkout.csv': GOOD_CSV } });
    symlinkSync('/dev/zero', join(root, '.reliability/data/zero.csv'));
    mkfifo(join(root, '.reliability/data/pipe.csv'));
    writeFile(
      root,
      '.reliability/slos/checkout.yaml',
      sloFile({ name: 'fine', path: 'data/checkout.csv' }, { name: 'zero', path: 'data/zero.csv' }, { name: 'pipe', path: 'data/pipe.csv' }),
    );
    const { problems, reports } = await loadAndEvaluate(root);
    assert.deepEqual(
      problems.filter((problem) => problem.severity === 'error').map((problem) => problem.message),
      [
        '.reliability/data/zero.csv leads outside .reliability/ through a symbolic link; it is not read',
        '.reliability/data/pipe.csv is a named pipe (FIFO), not a regular file; it is not read',
      ],
    );
    assert.deepEqual(
      reports.map((report) => [report.name, report.status, report.error !== undefined]),
      [
        ['fine', 'healthy', false],
        ['zero', 'no-data', true],
        ['pipe', 'no-data', true],
      ],
    );
  });

  it('reports a missing data file on the SLO too, so it does not read as merely empty', async () => {
    const root = buildWorkspace({ config: CONFIG });
    writeFile(root, '.reliability/slos/checkout.yaml', sloFile({ name: 'missing', path: 'data/missing.csv' }));
    const { problems, reports } = await loadAndEvaluate(root);
    assert.ok(problems.some((problem) => problem.file === '.reliability/data/missing.csv' && problem.message === 'cannot read .reliability/data/missing.csv: file not found'));
    assert.deepEqual([reports[0].status, reports[0].error], ['no-data', 'its data file was not read: .reliability/data/missing.csv does not exist']);
  });

  it('evaluates a CSV with overflowing and negative counts from its good rows only, every number finite', async () => {
    const csv = csvText([
      ['2026-03-01T00:05:00Z', '1e308', '1e308'],
      ['2026-03-01T00:06:00Z', '1e308', '1e308'],
      ['2026-03-01T00:07:00Z', 1, '1e400'],
      ['2026-03-01T00:08:00Z', -5, 10],
      ['2026-03-01T00:09:00Z', 1.5, 10],
      ['2026-03-01T00:10:00Z', 1, '9007199254740993'],
      ['2026-03-01T00:11:00Z', 999, 1000],
    ]);
    const root = buildWorkspace({ config: CONFIG, data: { 'data/checkout.csv': csv } });
    writeFile(root, '.reliability/slos/checkout.yaml', sloFile({ name: 'overflow', path: 'data/checkout.csv' }));
    const { problems, reports } = await loadAndEvaluate(root);
    assert.deepEqual(
      problems.map((problem) => [problem.file, problem.line]),
      [2, 3, 4, 5, 6, 7].map((line) => ['.reliability/data/checkout.csv', line]),
    );
    const [report] = reports;
    assert.deepEqual([report.good, report.total, report.sli], [999, 1000, 0.999]);
    const numbers = [report.budget.remaining, report.budget.consumed, ...Object.values(report.burnRates), ...report.burnDown.flat()];
    assert.ok(numbers.every(Number.isFinite));
    assert.equal(report.error, undefined);
  });
});
