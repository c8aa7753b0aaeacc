// The engine's query functions (one per CLI question): each loads only what its answer needs, and
// that answer is the one the full snapshot gives, so the CLI and the editor agree.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createDemoWorkspace } from '../fixtures/demoWorkspace';
import {
  checkQuery,
  doraQuery,
  explainDora,
  explainDoraQuery,
  explainSlo,
  explainSloQuery,
  fileLens,
  incidentsQuery,
  lensQuery,
  loadSnapshot,
  mergeCheck,
} from '../../src/workspace/engine';
import { NotAGitRepositoryError } from '../../src/sources/git/errors';

const NOW = Date.parse('2026-11-20T12:00:00Z');
const OFFLINE = { now: NOW, allowRemote: false };

describe('engine queries', function () {
  this.timeout(120_000);
  let dir: string;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rl-queries-'));
    await createDemoWorkspace(dir, { now: NOW });
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('answers dora, explain --dora and check as the full snapshot does, with less loaded', async () => {
    const snapshot = await loadSnapshot(dir, OFFLINE);
    assert.deepEqual(await doraQuery(dir, OFFLINE), snapshot.dora);
    assert.deepEqual(await explainDoraQuery(dir, OFFLINE), explainDora(snapshot));
    assert.deepEqual(await checkQuery(dir, { services: ['checkout'] }, OFFLINE), await mergeCheck(snapshot, { services: ['checkout'] }));
  });

  it("gives a file's lens with its workspace-relative path, recent days from config.yaml unless given", async () => {
    const file = path.join(dir, 'services', 'checkout', 'pay.ts');
    const snapshot = await loadSnapshot(dir, OFFLINE);
    const answer = await lensQuery(dir, file, OFFLINE);
    assert.equal(answer.relativePath, 'services/checkout/pay.ts');
    // The demo's config.yaml sets no recentDays: the default, 30 days.
    assert.deepEqual(answer.changes, await fileLens(snapshot, file, { recentDays: 30 }));
    assert.ok(answer.changes.length > 0, 'the demo changes pay.ts within 30 days');
    // No demo commit falls within the minute before now.
    assert.deepEqual((await lensQuery(dir, file, { ...OFFLINE, recentDays: 1 / 1440 })).changes, []);
  });

  it('finds incidents by query, and only open and recent ones with recentDays', async () => {
    const { incidents } = await incidentsQuery(dir, { query: 'INC-7' }, OFFLINE);
    assert.deepEqual(incidents.map((incident) => incident.id), ['INC-7']);
    // INC-7 is still open at NOW, so it is recent for any number of days.
    const recent = await incidentsQuery(dir, { query: 'INC-7', recentDays: 1 }, OFFLINE);
    assert.deepEqual(recent.incidents.map((incident) => incident.id), ['INC-7']);
  });

  it('explains an SLO without git, where the questions that need git fail with its error', async () => {
    const noGit = fs.mkdtempSync(path.join(os.tmpdir(), 'rl-queries-nogit-'));
    try {
      fs.cpSync(path.join(dir, '.reliability'), path.join(noGit, '.reliability'), { recursive: true });
      const inRepository = explainSlo(await loadSnapshot(dir, OFFLINE), { slo: 'checkout-availability' });
      assert.deepEqual(await explainSloQuery(noGit, { slo: 'checkout-availability' }, OFFLINE), { ...inRepository });
      await assert.rejects(doraQuery(noGit, OFFLINE), NotAGitRepositoryError);
      await assert.rejects(lensQuery(noGit, path.join(noGit, 'a.ts'), OFFLINE), NotAGitRepositoryError);
    } finally {
      fs.rmSync(noGit, { recursive: true, force: true });
    }
  });
});
