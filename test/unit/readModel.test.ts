// One read model (issue 9): one snapshot fed through the CLI's JSON and tables, the trees and the
// dashboard projection lists the same services in the same order, the same open and recent incidents
// in the same order, and the same SLI and budget text where both show one. Run on the demo workspace
// and on a small hand-built one whose expectations are worked out by hand below.
import { strict as assert } from 'node:assert';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { formatSli } from '../../src/core/format';
import { toDashboardData, toServiceDetail } from '../../src/views/dashboard/projection';
import { buildIncidentNodes } from '../../src/views/tree/incidentNodes';
import { buildServiceNodes } from '../../src/views/tree/serviceNodes';
import type { ViewNode, WorkspaceViewState } from '../../src/views/tree/viewNode';
import { loadSnapshot } from '../../src/workspace/engine';
import type { WorkspaceSnapshot } from '../../src/workspace/snapshot';
import { createDemoWorkspace } from '../fixtures/demoWorkspace';
import { cli } from './builders/cliRunner';
import { GitRepoBuilder } from './builders/gitRepoBuilder';
import { csvText, openSloSlo, yamlDocuments } from './builders/workspaceBuilders';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** What each front end shows of one snapshot, in the terms the comparison needs. */
interface ReadModel {
  services: string[];
  openByService: Record<string, string[]>;
  /** Open and recent incidents, in the order shown. */
  recent: string[];
  /** Which of those are open. */
  open: string[];
  /** `service/slo` -> the SLI and budget texts shown. */
  numbers: Record<string, { sli: string; budget: string }>;
}

async function fromCli(root: string, now: string, recentDays?: number): Promise<ReadModel & { all: string[] }> {
  const extra = recentDays === undefined ? [] : ['--recent-days', String(recentDays)];
  const json = await cli(root, 'report', '--now', now, '--offline', '--json', ...extra);
  assert.equal(json.code, 0, json.stderr);
  const report = json.json();
  const all = await cli(root, 'incidents', '--now', now, '--offline', '--json');
  assert.equal(all.code, 0, all.stderr);
  const human = await cli(root, 'report', '--now', now, '--offline', ...extra);
  assert.equal(human.code, 0, human.stderr);
  return {
    services: report.services.map((s: any) => s.name),
    openByService: Object.fromEntries(report.services.map((s: any) => [s.name, s.openIncidents])),
    recent: report.incidents.map((i: any) => i.id),
    open: report.incidents.filter((i: any) => i.resolvedAt === null).map((i: any) => i.id),
    numbers: humanSloNumbers(human.stdout),
    all: all.json().incidents.map((i: any) => i.id),
  };
}

/** The SLI and BUDGET LEFT cells of the human report's SLO table. */
function humanSloNumbers(stdout: string): Record<string, { sli: string; budget: string }> {
  const lines = stdout.split('\n');
  const start = lines.findIndex((line) => line.startsWith('SERVICE'));
  const header = lines[start].split(/\s{2,}/);
  const numbers: Record<string, { sli: string; budget: string }> = {};
  for (const line of lines.slice(start + 1)) {
    if (!line.trim()) break;
    const cells = line.trim().split(/\s{2,}/);
    numbers[`${cells[0]}/${cells[1]}`] = { sli: cells[header.indexOf('SLI')], budget: cells[header.indexOf('BUDGET LEFT')] };
  }
  return numbers;
}

function fromTrees(state: WorkspaceViewState): ReadModel {
  const serviceNodes = buildServiceNodes(state).filter((node) => node.contextValue === 'service');
  const incidentNodes = buildIncidentNodes(state).filter((node) => node.contextValue.startsWith('incident'));
  const idOf = (node: ViewNode) => node.label.split(' · ')[0];
  const numbers: Record<string, { sli: string; budget: string }> = {};
  for (const service of serviceNodes) {
    for (const slo of service.children ?? []) {
      const children = slo.children ?? [];
      const sli = children.find((child) => child.contextValue === 'sli')!.label.replace(/^SLI /, '');
      const budget = children.find((child) => child.contextValue === 'budget')!.label.replace(/^Budget (.*?)( left)?$/, '$1');
      numbers[`${service.label}/${slo.label}`] = { sli, budget };
    }
  }
  return {
    services: serviceNodes.map((node) => node.label),
    openByService: Object.fromEntries(
      serviceNodes.map((node) => {
        const open = /Open: (.*)$/.exec(node.tooltip?.value ?? '');
        return [node.label, open ? open[1].replace(/\\/g, '').split(', ') : []];
      }),
    ),
    recent: incidentNodes.map(idOf),
    open: incidentNodes.filter((node) => node.icon?.id === 'flame').map(idOf),
    numbers,
  };
}

/**
 * The dashboard as the page sees it: the overview, then every service's details as the page would ask
 * for them one at a time. Incidents come per service there, so `all`, `recent` and `open` are the
 * services' lists joined, each list kept in its own order (`perService`).
 */
function fromDashboard(state: WorkspaceViewState): ReadModel & { all: string[]; perService: string[][] } {
  const [workspace] = toDashboardData([state]).workspaces;
  const numbers: Record<string, { sli: string; budget: string }> = {};
  const details = workspace.services.map((service) => {
    const answer = toServiceDetail(state, service.name);
    assert.ok('detail' in answer, `details of ${service.name}`);
    return answer.detail;
  });
  for (const detail of details) {
    for (const slo of detail.slos) {
      // The webview writes the SLI with formatRatioPercent (media/dashboard/main.ts); it has no budget-left cell.
      numbers[`${detail.service}/${slo.name}`] = { sli: formatSli(slo.sli), budget: '' };
    }
  }
  const incidents = details.flatMap((detail) => detail.incidents);
  const recent = incidents.filter((incident) => incident.recent);
  return {
    services: workspace.services.map((service) => service.name),
    openByService: Object.fromEntries(workspace.services.map((service) => [service.name, service.openIncidents])),
    recent: recent.map((incident) => incident.id),
    open: recent.filter((incident) => incident.open).map((incident) => incident.id),
    numbers,
    all: incidents.map((incident) => incident.id),
    perService: details.map((detail) => detail.incidents.map((incident) => incident.id)),
  };
}

/** The same items, whatever their order. */
function sameItems(actual: readonly string[], expected: readonly string[], what: string): void {
  assert.deepEqual([...actual].sort(), [...expected].sort(), what);
}

function viewStateOf(snapshot: WorkspaceSnapshot, recentDays: number | null = null): WorkspaceViewState {
  return { root: snapshot.root, name: 'workspace', snapshot, loading: false, trusted: true, remoteEnabled: true, recentDays };
}

/** The comparison itself: every front end against the CLI's JSON and tables. */
function assertOneReadModel(cliModel: ReadModel & { all: string[] }, trees: ReadModel, dashboard: ReadModel & { all: string[]; perService: string[][] }): void {
  // The trees and the dashboard rank services by need of attention (core/attention.ts, tested there);
  // the CLI lists them in config.yaml's order. The same services either way.
  sameItems(trees.services, cliModel.services, 'services: trees and CLI');
  sameItems(dashboard.services, cliModel.services, 'services: dashboard and CLI');
  assert.deepEqual(trees.openByService, cliModel.openByService, 'open incidents per service: trees and CLI');
  assert.deepEqual(dashboard.openByService, cliModel.openByService, 'open incidents per service: dashboard and CLI');
  assert.deepEqual(trees.recent, cliModel.recent, 'open and recent incidents: Incidents view and CLI');
  sameItems(dashboard.recent, cliModel.recent, 'open and recent incidents: dashboard and CLI');
  assert.deepEqual(trees.open, cliModel.open, 'open incidents: Incidents view and CLI');
  sameItems(dashboard.open, cliModel.open, 'open incidents: dashboard and CLI');
  sameItems(dashboard.all, cliModel.all, 'every incident: dashboard and `incidents` (Find Incident uses the same search)');
  // Each service's incidents in the one incident order: the CLI's order, kept.
  for (const ids of dashboard.perService) assert.deepEqual(ids, cliModel.all.filter((id) => ids.includes(id)), 'a service\'s incidents in the one incident order');
  for (const [slo, shown] of Object.entries(cliModel.numbers)) {
    assert.deepEqual(trees.numbers[slo], shown, `SLI and budget of ${slo}: tree and CLI table`);
    assert.equal(dashboard.numbers[slo].sli, shown.sli, `SLI of ${slo}: dashboard and CLI table`);
  }
  sameItems(Object.keys(trees.numbers), Object.keys(cliModel.numbers), 'the same SLOs');
}

describe('one read model: the demo workspace', function () {
  this.timeout(120_000);
  const NOW = '2026-11-20T12:00:00.000Z';
  let dir: string;
  let snapshot: WorkspaceSnapshot;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rl-read-model-'));
    await createDemoWorkspace(dir, { now: Date.parse(NOW) });
    snapshot = await loadSnapshot(dir, { now: Date.parse(NOW), allowRemote: false });
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('lists the same services, incidents and numbers in the CLI, the trees and the dashboard', async () => {
    const cliModel = await fromCli(dir, NOW);
    assertOneReadModel(cliModel, fromTrees(viewStateOf(snapshot)), fromDashboard(viewStateOf(snapshot)));
    // The demo's open incidents are INC-7 (SEV2) and INC-8 (SEV3): open first, by severity.
    assert.deepEqual(cliModel.open, ['INC-7', 'INC-8']);
  });

  it('agrees with a recentDays setting as with --recent-days', async () => {
    const cliModel = await fromCli(dir, NOW, 7);
    assertOneReadModel(cliModel, fromTrees(viewStateOf(snapshot, 7)), fromDashboard(viewStateOf(snapshot, 7)));
    // Seven days: the open INC-7 and INC-8, and INC-6 (SEV4, five days ago); INC-5 (nine days ago) is history.
    assert.deepEqual(cliModel.recent, ['INC-7', 'INC-8', 'INC-6']);
  });
});

describe('one read model: a hand-built workspace', function () {
  this.timeout(120_000);
  const NOW_TEXT = '2026-03-01T12:00:00Z';
  const NOW = Date.parse(NOW_TEXT);
  const iso = (ms: number) => new Date(ms).toISOString();
  let repo: GitRepoBuilder;
  let snapshot: WorkspaceSnapshot;

  const incidentsYaml = (): string => {
    const entry = (id: string, severity: string, service: string, startedAt: number, resolvedAt: number | null) =>
      `  - id: ${id}\n    title: Incident ${id}\n    severity: ${severity}\n    service: ${service}\n    startedAt: "${iso(startedAt)}"\n` +
      (resolvedAt === null ? '' : `    resolvedAt: "${iso(resolvedAt)}"\n`);
    return (
      'incidents:\n' +
      [
        entry('INC-1', 'SEV1', 'checkout', NOW - 20 * DAY, NOW - 20 * DAY + 2 * HOUR),
        // Resolved an hour after the evaluation time: open at NOW.
        entry('INC-2', 'SEV2', 'ledger', NOW - 2 * HOUR, NOW + HOUR),
        // The only mention of payments-gateway: an open incident on a service without SLOs.
        entry('INC-3', 'SEV3', 'payments-gateway', NOW - 5 * HOUR, null),
        entry('INC-4', 'SEV4', 'checkout', NOW - 40 * DAY, NOW - 39 * DAY),
        entry('INC-5', 'SEV5', 'ledger', NOW - DAY, NOW - 23 * HOUR),
        // Starts after NOW: it does not exist yet, and names no service.
        entry('INC-6', 'SEV1', 'not-yet', NOW + DAY, null),
        entry('INC-7', 'SEV3', 'notifications', NOW - 100 * DAY, NOW - 99 * DAY),
      ].join('')
    );
  };

  before(async () => {
    repo = GitRepoBuilder.create('rl-read-model-hand-');
    const tenDaysAgo = iso(NOW - 10 * DAY);
    repo.commit({
      at: '2026-01-01T00:00:00Z',
      message: 'init',
      files: {
        '.reliability/config.yaml':
          'version: 1\nservices:\n  - name: checkout\n    paths: ["services/checkout/**"]\n  - name: ledger\n    paths: ["services/ledger/**"]\n',
        '.reliability/slos/slos.yaml': yamlDocuments(
          openSloSlo({ name: 'checkout-availability', service: 'checkout', indicator: { csv: { path: 'data/checkout.csv', goodColumn: 'good', totalColumn: 'total' } } }),
          openSloSlo({ name: 'ledger-availability', service: 'ledger', indicator: { csv: { path: 'data/ledger.csv', goodColumn: 'good', totalColumn: 'total' } } }),
        ),
        '.reliability/data/checkout.csv': csvText([[tenDaysAgo, 999_620, 1_000_000]]),
        '.reliability/data/ledger.csv': csvText([[tenDaysAgo, 9_999_996, 10_000_000]]),
        '.reliability/incidents.yaml': incidentsYaml(),
        'services/checkout/a.ts': 'a\n',
      },
    });
    snapshot = await loadSnapshot(repo.root, { now: NOW, allowRemote: false });
    // Services only incidents name are warned about, and the incidents still load.
    assert.deepEqual(
      snapshot.problems.map((problem) => problem.severity),
      ['warning', 'warning', 'warning'],
    );
  });
  after(() => repo.remove());

  it('lists every service config.yaml, an SLO or an incident names, and the same incidents, everywhere', async () => {
    const cliModel = await fromCli(repo.root, NOW_TEXT);
    const trees = fromTrees(viewStateOf(snapshot));
    const dashboard = fromDashboard(viewStateOf(snapshot));
    assertOneReadModel(cliModel, trees, dashboard);
    // config.yaml's services, then those only incidents name, in the ledger's order; not-yet starts after NOW.
    assert.deepEqual(cliModel.services, ['checkout', 'ledger', 'payments-gateway', 'notifications']);
    assert.deepEqual(cliModel.openByService, { checkout: [], ledger: ['INC-2'], 'payments-gateway': ['INC-3'], notifications: [] });
    // Open INC-2 (SEV2) and INC-3 (SEV3); then resolved within 30 days: INC-1 (SEV1) before INC-5 (SEV5).
    assert.deepEqual(cliModel.recent, ['INC-2', 'INC-3', 'INC-1', 'INC-5']);
    assert.deepEqual(cliModel.open, ['INC-2', 'INC-3']);
    // Every incident that has started: open ones, then by severity: SEV1, SEV3, SEV4, SEV5.
    assert.deepEqual(cliModel.all, ['INC-2', 'INC-3', 'INC-1', 'INC-7', 'INC-4', 'INC-5']);
  });

  it('writes SLIs truncated and budgets in whole percents in every front end', async () => {
    const cliModel = await fromCli(repo.root, NOW_TEXT);
    // checkout: 999620 / 1000000 = 0.99962 -> 99.962%; budget 1 - 0.00038 / 0.001 = 0.62 -> 62%.
    // ledger: 9999996 / 10000000 = 0.9999996 -> 99.999% (never 100%); budget 1 - 4e-7 / 0.001 = 0.9996 -> 100%.
    assert.deepEqual(cliModel.numbers, {
      'checkout/checkout-availability': { sli: '99.962%', budget: '62%' },
      'ledger/ledger-availability': { sli: '99.999%', budget: '100%' },
    });
    assert.deepEqual(fromTrees(viewStateOf(snapshot)).numbers, cliModel.numbers);
  });

  it('applies --recent-days to report and incidents as the editor setting does to the views', async () => {
    const cliModel = await fromCli(repo.root, NOW_TEXT, 7);
    assertOneReadModel(cliModel, fromTrees(viewStateOf(snapshot, 7)), fromDashboard(viewStateOf(snapshot, 7)));
    // Seven days: INC-1 (resolved 20 days ago) drops out.
    assert.deepEqual(cliModel.recent, ['INC-2', 'INC-3', 'INC-5']);
    const listed = await cli(repo.root, 'incidents', '--now', NOW_TEXT, '--offline', '--recent-days', '7', '--json');
    assert.deepEqual(listed.json().incidents.map((i: any) => i.id), ['INC-2', 'INC-3', 'INC-5']);
    // A resolution after NOW has not happened at NOW.
    assert.equal(listed.json().incidents[0].resolvedAt, null);
  });

  it('refuses a --recent-days that is not a positive number, naming it', async () => {
    for (const bad of ['0', '-3', 'week', '']) {
      const result = await cli(repo.root, 'report', '--now', NOW_TEXT, '--recent-days', bad);
      assert.equal(result.code, 2);
      assert.equal(result.stderr, `reliability-lens: invalid --recent-days "${bad}": expected a positive number of days`);
    }
  });

  it('reads --now without a zone as UTC whatever the machine time zone (the built command)', () => {
    const projectRoot = path.resolve(__dirname, '../..');
    const bin = path.join(projectRoot, 'dist/cli.js');
    if (!fs.existsSync(bin)) execFileSync('node', ['esbuild.js'], { cwd: projectRoot });
    for (const zone of ['UTC', 'America/New_York', 'Asia/Kolkata']) {
      const result = spawnSync('node', [bin, 'report', '--workspace', repo.root, '--now', '2026-03-01T12:00:00', '--offline', '--json'], {
        encoding: 'utf8',
        env: { ...process.env, TZ: zone },
      });
      assert.equal(result.status, 0, `${zone}: ${result.stderr}`);
      assert.equal(JSON.parse(result.stdout).now, '2026-03-01T12:00:00.000Z', zone);
    }
  });
});

describe('one read model: every fixture', function () {
  this.timeout(120_000);
  const NOW = '2026-11-20T12:00:00.000Z';
  const FIXTURES = path.join(__dirname, '../fixtures');
  // Every SLO file the project ships as a fixture: the upstream examples users copy, and the Prometheus specs.
  const files = ['upstream-examples/openslo', 'upstream-examples/sloth', 'prometheus'].flatMap((folder) =>
    fs.readdirSync(path.join(FIXTURES, folder)).map((name) => path.join(folder, name)),
  );
  const roots: string[] = [];
  after(() => {
    for (const root of roots) fs.rmSync(root, { recursive: true, force: true });
  });

  for (const file of files) {
    it(`${file}: the CLI, the trees and the dashboard list the same services, incidents and numbers`, async () => {
      const root = fs.mkdtempSync(path.join(os.tmpdir(), 'rl-read-model-fixture-'));
      roots.push(root);
      fs.mkdirSync(path.join(root, '.reliability', 'slos'), { recursive: true });
      fs.copyFileSync(path.join(FIXTURES, file), path.join(root, '.reliability', 'slos', path.basename(file)));
      // An incident on a service only it names, open, beside the fixture's SLOs (no git: report still shows them).
      const incidents = [{ id: 'INC-1', title: 'Queue backlog', severity: 'SEV3', service: 'queue', startedAt: '2026-11-20T10:00:00Z' }];
      fs.writeFileSync(path.join(root, '.reliability', 'incidents.yaml'), JSON.stringify({ incidents }));
      const snapshot = await loadSnapshot(root, { now: Date.parse(NOW), allowRemote: false });
      assert.ok(snapshot.sloReports.length > 0, `${file} defines SLOs`);
      const cliModel = await fromCli(root, NOW);
      assertOneReadModel(cliModel, fromTrees(viewStateOf(snapshot)), fromDashboard(viewStateOf(snapshot)));
      assert.ok(cliModel.services.includes('queue'), 'the incident-only service is listed');
    });
  }
});
