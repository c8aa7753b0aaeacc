// Issue 8 in the editor: a first load shows SLOs and incidents before git has read delivery history
// (the engine's early snapshot), the Delivery view says it is reading with its progress bar, the
// store's loads cancel each other, and the git source's hint (no commit-graph file) reaches the
// Delivery view's tooltips as escaped text.
import { strict as assert } from 'node:assert';
import { marked } from 'marked';
import { formatLoadLine, memoryFigures, parseLoadLine, parseMemory } from '../../../src/state/loadLog';
import type { LoadLine } from '../../../src/state/loadLog';
import { LoadRuns, PINNED_NOW_VARIABLE, evaluationTime, showsEarlySnapshot } from '../../../src/state/snapshotLoads';
import { toDashboardData } from '../../../src/views/dashboard/projection';
import { COMMANDS } from '../../../src/views/ids';
import { incidentPageMarkdown } from '../../../src/views/incidentPage';
import type { Markdown } from '../../../src/views/markdown';
import { buildDeliveryNodes } from '../../../src/views/tree/deliveryNodes';
import { buildIncidentNodes } from '../../../src/views/tree/incidentNodes';
import { buildServiceNodes } from '../../../src/views/tree/serviceNodes';
import { showsProgress } from '../../../src/views/tree/viewNode';
import type { ViewNode } from '../../../src/views/tree/viewNode';
import { NOW, sloReport } from '../builders/reportBuilders';
import { deployment, doraReport, incidentView, snapshot, viewState } from './viewBuilders';

const HINT = 'no commit-graph file: `git commit-graph write --reachable` would make delivery history faster';

/** The engine's early snapshot: SLOs and incidents in, delivery still reading (engine.ts onEarlySnapshot). */
function earlySnapshot() {
  return snapshot({
    deliveryPending: true,
    sloReports: [sloReport({ name: 'checkout-availability', service: 'checkout' })],
    incidents: [incidentView({ id: 'INC-7', service: 'checkout', title: 'Card payments failing' })],
  });
}

function labels(nodes: readonly ViewNode[]): string[] {
  return nodes.map((node) => node.label);
}

/** HTML as VS Code's markdown renderer would produce it (marked, as test/unit/views/markdown.test.ts). */
function render(markdown: Markdown | undefined): string {
  assert.ok(markdown, 'a tooltip');
  return marked.parse(markdown.value, { gfm: true, breaks: true, async: false });
}

/** What a reader sees: tags dropped, entities read back. */
function visible(markdown: Markdown | undefined): string {
  return render(markdown)
    .replace(/<[^>]*>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

describe('Delivery view while git reads delivery history', () => {
  it('shows one "reading" node with a spinner and the progress bar while the load runs', () => {
    const nodes = buildDeliveryNodes(viewState({ snapshot: earlySnapshot(), loading: true }));
    assert.deepEqual(labels(nodes), ['Reading delivery history…']);
    assert.equal(nodes[0].icon?.id, 'loading~spin');
    assert.equal(nodes[0].contextValue, 'deliveryPending');
    assert.equal(showsProgress(nodes), true);
  });

  it('offers a refresh, without the progress bar, when the load ended before git finished', () => {
    const nodes = buildDeliveryNodes(viewState({ snapshot: earlySnapshot(), loading: false, error: 'git exited with 128' }));
    assert.deepEqual(labels(nodes), ['Could not load: git exited with 128', 'Delivery history was not read']);
    assert.equal(nodes[1].command?.command, COMMANDS.refresh);
    assert.equal(showsProgress(nodes), false);
  });

  it('never reads "no delivery history" or "none yet" before git has answered', () => {
    const nodes = buildDeliveryNodes(viewState({ snapshot: earlySnapshot(), loading: true }));
    const text = JSON.stringify(nodes);
    assert.doesNotMatch(text, /No delivery history|none yet|no git history/);
  });

  it('keeps the other views filled from the early snapshot, without a progress bar of their own', () => {
    const state = viewState({ snapshot: earlySnapshot(), loading: true });
    const services = buildServiceNodes(state);
    assert.ok(labels(services).includes('checkout'), `services: ${labels(services).join(', ')}`);
    const incidents = buildIncidentNodes(state);
    assert.ok(labels(incidents).some((label) => label.startsWith('INC-7')), `incidents: ${labels(incidents).join(', ')}`);
    assert.equal(showsProgress(services), false);
    assert.equal(showsProgress(incidents), false);
  });

  it("says an incident's deployment is not known yet instead of none linked", () => {
    const pending = buildIncidentNodes(viewState({ snapshot: earlySnapshot(), loading: true }));
    const node = pending.find((candidate) => candidate.label.startsWith('INC-7'));
    assert.match(visible(node?.tooltip), /Deployment: not known yet \(git is still reading\)/);
    const done = buildIncidentNodes(viewState({ snapshot: snapshot({ incidents: earlySnapshot().incidents }) }));
    assert.match(visible(done.find((candidate) => candidate.label.startsWith('INC-7'))?.tooltip), /Deployment: none linked/);
    const incident = earlySnapshot().incidents[0];
    assert.match(render(incidentPageMarkdown(incident, [], NOW, true)), /<td>Deployment<\/td>\s*<td>not known yet \(git is still reading\)<\/td>/);
    assert.match(render(incidentPageMarkdown(incident, [], NOW)), /<td>Deployment<\/td>\s*<td>none linked<\/td>/);
  });

  it('says an incident whose root causes shipped before the delivery window did ship, not "none linked"', () => {
    const old = incidentView({ id: 'INC-2', service: 'checkout', title: 'Old regression', deploymentBeforeWindow: true });
    const nodes = buildIncidentNodes(viewState({ snapshot: snapshot({ incidents: [old] }) }));
    assert.match(visible(nodes.find((node) => node.label.startsWith('INC-2'))?.tooltip), /Deployment: shipped before the delivery window/);
    assert.match(render(incidentPageMarkdown(old, [], NOW)), /<td>Deployment<\/td>\s*<td>shipped before the delivery window<\/td>/);
  });

  it('says an incident whose old deployment git is still searching is not known yet, on the interim snapshot', () => {
    const searched = incidentView({ id: 'INC-3', service: 'checkout', title: 'Open for months', deploymentLookupPending: true });
    const nodes = buildIncidentNodes(viewState({ snapshot: snapshot({ incidents: [searched], linksPending: true }) }));
    assert.match(visible(nodes.find((node) => node.label.startsWith('INC-3'))?.tooltip), /Deployment: not known yet \(git is searching its old deployments\)/);
    assert.equal(showsEarlySnapshot({ snapshot: snapshot({ linksPending: true }) }), true, 'the complete snapshot replaces an interim one');
  });

  it('tells the dashboard that DORA is pending, not absent', () => {
    const [pending] = toDashboardData([viewState({ snapshot: earlySnapshot(), loading: true })]).workspaces;
    assert.equal(pending.doraPending, true);
    assert.equal(pending.dora, null);
    const [done] = toDashboardData([viewState()]).workspaces;
    assert.equal(done.doraPending, false);
  });

  it('shows the progress bar in every view during a first load, and none once data is shown', () => {
    const first = viewState({ snapshot: undefined, loading: true });
    for (const build of [buildServiceNodes, buildDeliveryNodes, buildIncidentNodes]) assert.equal(showsProgress(build(first)), true, build.name);
    // A refresh keeps the complete snapshot on screen: no "reading" node, no progress bar.
    const refreshing = viewState({ snapshot: snapshot({ dora: doraReport(), deployments: [deployment({ name: 'v1.32.0' })] }), loading: true });
    const nodes = buildDeliveryNodes(refreshing);
    assert.ok(labels(nodes).includes('Deployment frequency'));
    assert.equal(showsProgress(nodes), false);
  });
});

describe("the git source's hint in the Delivery view", () => {
  const gitOk = { name: 'git', state: 'ok' as const, message: '25 deployments, 900 commits', hint: HINT };

  it('ends every DORA metric tooltip and the deployments tooltip', () => {
    const nodes = buildDeliveryNodes(viewState({ snapshot: snapshot({ dora: doraReport(), sources: [gitOk] }) }));
    const tooltips = nodes.filter((node) => node.contextValue === 'doraMetric' || node.contextValue === 'deployments');
    assert.ok(tooltips.length >= 5, `metric and deployments nodes: ${labels(nodes).join(', ')}`);
    for (const node of tooltips) assert.ok(visible(node.tooltip).trimEnd().endsWith(HINT), `${node.label}: ${visible(node.tooltip)}`);
  });

  it('follows the reason when there is no delivery history', () => {
    const failing = { name: 'git', state: 'failing' as const, message: 'no tag matches v*', hint: HINT };
    const [node] = buildDeliveryNodes(viewState({ snapshot: snapshot({ sources: [failing] }) }));
    assert.equal(node.label, 'No delivery history');
    const text = visible(node.tooltip);
    assert.ok(text.includes('no tag matches v*') && text.trimEnd().endsWith(HINT), text);
  });

  it('is absent when the repository has a commit-graph file', () => {
    const nodes = buildDeliveryNodes(viewState({ snapshot: snapshot({ dora: doraReport(), sources: [{ ...gitOk, hint: undefined }] }) }));
    for (const node of nodes) if (node.tooltip) assert.doesNotMatch(node.tooltip.value, /commit-graph/, node.label);
    assert.equal(nodes.find((node) => node.contextValue === 'deployments')?.tooltip, undefined);
  });

  it('is escaped text: a hostile hint makes no link, image or HTML', () => {
    const hostile = { ...gitOk, hint: '[docs](https://evil.example/x) ![p](https://evil.example/p.png) <img src=x onerror=alert(1)>' };
    const nodes = buildDeliveryNodes(viewState({ snapshot: snapshot({ dora: doraReport(), sources: [hostile] }) }));
    for (const node of nodes) {
      if (!node.tooltip) continue;
      const html = render(node.tooltip);
      assert.doesNotMatch(html, /<a\s|<img|<[a-z]+\s[^>]*\son[a-z]+=/i, `${node.label}: ${html}`);
      assert.ok(visible(node.tooltip).includes(hostile.hint), `${node.label} shows the hint as typed`);
    }
  });
});

describe('the store\'s loads (snapshotLoads.ts)', () => {
  it('aborts the load a newer one supersedes, and only the newest is current', () => {
    const runs = new LoadRuns();
    const first = runs.start();
    const second = runs.start();
    assert.equal(first.signal.aborted, true, 'the superseded load is aborted: its git processes stop');
    assert.equal(runs.isCurrent(first), false);
    assert.equal(runs.isCurrent(second), true);
    assert.equal(runs.finish(first), false, 'a superseded load ending does not end the loading state');
    assert.equal(runs.finish(second), true);
  });

  it('aborts the current load when the folder closes', () => {
    const runs = new LoadRuns();
    const load = runs.start();
    runs.cancel();
    assert.equal(load.signal.aborted, true);
    assert.equal(runs.isCurrent(load), false);
    assert.equal(runs.finish(load), false);
  });

  it('shows an early snapshot only when nothing complete is on screen', () => {
    const complete = snapshot({ dora: doraReport() });
    assert.equal(showsEarlySnapshot({}), true, 'first load');
    assert.equal(showsEarlySnapshot({ snapshot: complete, error: 'Prometheus timed out' }), true, 'after a failed load');
    assert.equal(showsEarlySnapshot({ snapshot: earlySnapshot() }), true, 'a superseded load left its early snapshot');
    assert.equal(showsEarlySnapshot({ snapshot: complete }), false, 'a refresh keeps the complete snapshot');
  });

});

describe('the time loads evaluate at', () => {
  const clock = () => NOW;

  it('is the clock, unless RELIABILITY_LENS_NOW pins it as the CLI\'s --now does', () => {
    assert.equal(evaluationTime({}, clock), NOW);
    assert.equal(evaluationTime({ [PINNED_NOW_VARIABLE]: '' }, clock), NOW);
    assert.equal(evaluationTime({ [PINNED_NOW_VARIABLE]: '2025-12-14T07:10:00Z' }, clock), Date.parse('2025-12-14T07:10:00Z'));
  });

  it('refuses a value that is not an ISO 8601 time, naming the variable', () => {
    for (const value of ['yesterday', '1765696200000', '2025-13-40T00:00:00Z']) {
      assert.throws(() => evaluationTime({ [PINNED_NOW_VARIABLE]: value }, clock), new RegExp(`${PINNED_NOW_VARIABLE}=${value} is not an ISO 8601 time`));
    }
  });
});

describe("the store's load log lines (loadLog.ts), as the editor benchmark reads them", () => {
  const memory = memoryFigures({ rss: 300 * 1024 * 1024, heapUsed: 80.4 * 1024 * 1024 });

  it('give both stages of a first load with the time since activation and the memory in MB', () => {
    const early: LoadLine = { stage: 'early', workspace: 'shop (2)', loadMs: 412, reason: 'opened', slos: 4, incidents: 8, sinceActivationMs: 530, memory };
    const text = formatLoadLine(early);
    assert.equal(text, 'Showing shop (2) after 412 ms (opened) while git reads delivery history: 4 SLOs, 8 incidents; 530 ms after activation; extension host rss 300 MB, heap 80 MB');
    assert.deepEqual(parseLoadLine(`2026-12-02 04:05:14.147 [info] ${text}`), early);
    const complete: LoadLine = { ...early, stage: 'complete', loadMs: 9100, deployments: 37, problems: 0, sinceActivationMs: 9218 };
    assert.deepEqual(parseLoadLine(formatLoadLine(complete)), complete);
  });

  it('name the interim stage, delivery shown while git names old deployments, and read it back', () => {
    const interim: LoadLine = { stage: 'interim', workspace: 'shop', loadMs: 5200, reason: 'opened', slos: 4, incidents: 8, deployments: 37, problems: 0, sinceActivationMs: 5300, memory };
    const text = formatLoadLine(interim);
    assert.equal(text, 'Showing shop after 5200 ms (opened) while git names old deployments: 4 SLOs, 8 incidents, 37 deployments, 0 problems; 5300 ms after activation; extension host rss 300 MB, heap 80 MB');
    assert.deepEqual(parseLoadLine(text), interim);
  });

  it('leave the time since activation out after the first load', () => {
    const refresh: LoadLine = { stage: 'complete', workspace: 'shop', loadMs: 264, reason: 'git refs changed', slos: 4, incidents: 8, deployments: 37, problems: 1, memory };
    assert.doesNotMatch(formatLoadLine(refresh), /activation/);
    assert.deepEqual(parseLoadLine(formatLoadLine(refresh)), refresh);
    assert.equal(parseLoadLine('Reliability workspaces: /work/shop; extension host rss 120 MB, heap 30 MB'), undefined);
    assert.deepEqual(parseMemory('Reliability workspaces: /work/shop; extension host rss 120 MB, heap 30 MB'), { rssMb: 120, heapMb: 30 });
  });
});
