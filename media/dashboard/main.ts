// The Reliability Dashboard page. It receives the overview of the snapshots (shared/protocol.ts), asks
// for one service's details at a time (`requestService`, answered by a `serviceDetail` in reply to its
// id), draws them with uPlot on canvas, and asks the extension host to act (open an incident, refresh).
// No network: everything arrives by postMessage. Text from data only ever goes in textContent or a
// title, made inert first (dom.ts).
import { inertLine } from '../../src/core/inertText';
import type {
  DashboardData,
  DashboardDeployment,
  DashboardIncident,
  DashboardServiceDetail,
  DashboardServiceSummary,
  DashboardSlo,
  DashboardViewState,
  DashboardWorkspace,
  FromWebviewMessage,
  ToWebviewMessage,
} from '../../src/shared/protocol';
import { formatAlertRule, formatSli, formatBudgetPercent, formatBurnRate, formatRatioPercent, formatUtc } from '../../src/core/format';
import type { SloImpact } from '../../src/core/deploymentImpact';
import { describeSloImpact } from '../../src/core/impactText';
import { DELIVERY_NOT_READ_TEXT, DELIVERY_PENDING_TEXT, doraMetricLines, formatExhaustionOf, formatIncidentDuration, formatIncidentLabel } from '../../src/views/format';
import { burnDownDays, weeklyRows } from './chartData';
import { burnDownChart, mountChart, weeklyChart } from './charts';
import type { DeploymentMark } from './charts';
import { addFact, chartTable, el, setTitle, statusBadge, toggleButton } from './dom';
import { renderServicePicker, serviceSummaryText } from './servicePicker';

interface VsCodeApi {
  postMessage(message: FromWebviewMessage): void;
  getState(): DashboardViewState | undefined;
  setState(state: DashboardViewState): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const app = document.getElementById('app') as HTMLElement;

let data: DashboardData | undefined;
/** The selected service's details, as last received; shown until the next reply replaces them. */
let detail: DashboardServiceDetail | undefined;
let detailError: { root: string; service: string; error: string } | undefined;
let viewState: DashboardViewState = vscode.getState() ?? {};
let nextRequestId = 1;
/** The request the page waits for; an older reply (a quicker pick before) is dropped. */
let awaitedRequest: { id: number; root: string; service: string } | undefined;
let pickerQuery = '';
/** The service section, redrawn alone when details arrive. */
let serviceSection: HTMLElement | undefined;
/** Charts and observers of the current render, by part, released before that part is redrawn. */
const teardown = { overview: [] as Array<() => void>, service: [] as Array<() => void> };

window.addEventListener('message', (event: MessageEvent<ToWebviewMessage>) => {
  const message = event.data;
  switch (message.type) {
    case 'snapshot':
      data = message.data;
      render();
      break;
    case 'serviceDetail':
      receiveDetail(message);
      break;
    case 'select':
      saveState({ ...viewState, root: message.root ?? viewState.root, service: message.service ?? viewState.service });
      render();
      break;
  }
});

// A theme switch changes the --vscode-* variables; canvases must be redrawn with the new colours.
new MutationObserver(() => render()).observe(document.body, { attributes: true, attributeFilter: ['class'] });

vscode.postMessage({ type: 'ready' });

function saveState(next: DashboardViewState): void {
  viewState = next;
  vscode.setState(viewState);
}

function receiveDetail(message: Extract<ToWebviewMessage, { type: 'serviceDetail' }>): void {
  // A reply to an earlier request that a later pick overtook is not what the page shows now.
  if (message.inReplyTo !== undefined && message.inReplyTo !== awaitedRequest?.id) return;
  const selection = currentSelection();
  if (!selection || selection.workspace.root !== message.root || selection.service?.name !== message.service) return;
  awaitedRequest = undefined;
  if ('error' in message) {
    detail = undefined;
    detailError = { root: message.root, service: message.service, error: message.error };
  } else {
    detail = message.detail;
    detailError = undefined;
  }
  renderServiceSection(selection.workspace);
}

/** The workspace and service the page shows: the saved choice when it still exists, else the first (worst). */
function currentSelection(): { workspace: DashboardWorkspace; service: DashboardServiceSummary | undefined } | undefined {
  if (!data || data.workspaces.length === 0) return undefined;
  const workspace = data.workspaces.find((candidate) => candidate.root === viewState.root) ?? data.workspaces[0];
  const service = workspace.services.find((candidate) => candidate.name === viewState.service) ?? workspace.services[0];
  return { workspace, service };
}

/** Asks for the selected service's details unless they are here or asked for already. */
function requestDetail(root: string, service: string): void {
  if (detail && detail.root === root && detail.service === service) return;
  if (awaitedRequest && awaitedRequest.root === root && awaitedRequest.service === service) return;
  awaitedRequest = { id: nextRequestId++, root, service };
  vscode.postMessage({ type: 'requestService', requestId: awaitedRequest.id, root, service });
}

/** A pick redraws the picker and the service section only; the DORA charts stay as they are. */
function select(root: string, service: string): void {
  saveState({ ...viewState, root, service });
  const selection = currentSelection();
  const picker = app.querySelector('.service-picker');
  if (!selection?.service || !picker || !serviceSection) {
    render();
  } else {
    picker.replaceWith(servicePicker(selection.workspace, selection.service.name));
    renderServiceSection(selection.workspace);
    requestDetail(selection.workspace.root, selection.service.name);
  }
  document.querySelector<HTMLElement>('.service-panel h2')?.focus();
}

function servicePicker(workspace: DashboardWorkspace, selected: string): HTMLElement {
  return renderServicePicker({
    services: workspace.services,
    selected,
    query: pickerQuery,
    onQuery: (query) => {
      pickerQuery = query;
    },
    onPick: (name) => select(workspace.root, name),
  });
}

// ---- rendering ---------------------------------------------------------------------------------------

function render(): void {
  if (!data) return;
  const scrollY = window.scrollY;
  const pickerFocused = document.activeElement instanceof HTMLElement && document.activeElement.classList.contains('picker-input');
  for (const release of [...teardown.overview, ...teardown.service]) release();
  teardown.overview = [];
  teardown.service = [];
  app.replaceChildren();
  serviceSection = undefined;

  const selection = currentSelection();
  if (!selection) {
    app.append(el('p', { className: 'placeholder', text: 'No .reliability/ folder in this window.' }));
    return;
  }
  const { workspace, service } = selection;
  app.append(renderHeader(data.workspaces, workspace));
  app.append(...renderNotices(workspace));
  if (workspace.now === 0) {
    app.append(el('p', { className: 'placeholder', text: workspace.loading ? 'Loading reliability data…' : 'No data yet.' }));
    return;
  }
  if (service) {
    app.append(servicePicker(workspace, service.name));
    serviceSection = el('section', { className: 'service-panel' });
    app.append(serviceSection);
    // Details from another service or an older snapshot are not shown as this one's.
    if (detail && (detail.root !== workspace.root || detail.service !== service.name)) detail = undefined;
    if (detailError && (detailError.root !== workspace.root || detailError.service !== service.name)) detailError = undefined;
    renderServiceSection(workspace);
    requestDetail(workspace.root, service.name);
  } else {
    app.append(el('p', { className: 'placeholder', text: 'No services are configured in .reliability/config.yaml.' }));
  }
  app.append(renderDora(workspace));
  window.scrollTo(0, scrollY);
  if (pickerFocused) document.querySelector<HTMLInputElement>('.picker-input')?.focus();
}

function renderHeader(workspaces: DashboardWorkspace[], current: DashboardWorkspace): HTMLElement {
  const header = el('header', { className: 'dashboard-header' });
  header.append(el('h1', { text: 'Reliability Dashboard' }));
  if (workspaces.length > 1) {
    const picker = el('select', { className: 'workspace-select' });
    picker.setAttribute('aria-label', 'Workspace');
    for (const workspace of workspaces) {
      const option = el('option', { text: workspace.name });
      option.value = workspace.root;
      option.selected = workspace.root === current.root;
      picker.append(option);
    }
    picker.addEventListener('change', () => {
      saveState({ ...viewState, root: picker.value, service: undefined });
      render();
    });
    header.append(picker);
  }
  const meta = el('span', { className: 'evaluated-at', text: current.now ? `as of ${formatUtc(current.now)}` : '' });
  const refresh = el('button', { className: 'refresh', text: current.loading ? 'Refreshing…' : 'Refresh' });
  refresh.type = 'button';
  refresh.disabled = current.loading;
  refresh.addEventListener('click', () => vscode.postMessage({ type: 'refresh' }));
  header.append(meta, refresh);
  return header;
}

function renderNotices(workspace: DashboardWorkspace): HTMLElement[] {
  const notices: HTMLElement[] = [];
  if (workspace.restricted) {
    notices.push(notice('warning', 'Restricted Mode: remote sources are not contacted until you trust this folder.'));
  }
  if (workspace.error) notices.push(notice('error', `Could not load: ${workspace.error}`));
  for (const source of workspace.sources) {
    if (source.state === 'ok') continue;
    const name = source.host ? `${source.name} (${source.host})` : source.name;
    notices.push(notice(source.state === 'failing' ? 'error' : 'warning', `${name}: ${source.state}${source.message ? ` · ${source.message}` : ''}`));
  }
  if (workspace.problemCount) {
    notices.push(notice('warning', `${workspace.problemCount} problem${workspace.problemCount === 1 ? '' : 's'} in .reliability/ (see the Problems panel)`));
  }
  return notices;
}

/** A notice says what it is in words too (`Warning:`, `Error:`), not by its border colour alone. */
function notice(kind: 'warning' | 'error', text: string): HTMLElement {
  const node = el('p', { className: `notice notice-${kind}` });
  node.append(el('strong', { className: 'notice-kind', text: kind === 'error' ? 'Error: ' : 'Warning: ' }), document.createTextNode(inertLine(text)));
  node.setAttribute('role', kind === 'error' ? 'alert' : 'status');
  return node;
}

/** The selected service: its heading at once, its cards and incidents when its details are here. */
function renderServiceSection(workspace: DashboardWorkspace): void {
  const section = serviceSection;
  const service = currentSelection()?.service;
  if (!section || !service) return;
  for (const release of teardown.service) release();
  teardown.service = [];
  section.replaceChildren();
  section.dataset.service = service.name;
  const head = el('div', { className: 'service-head' });
  const title = el('h2', { text: service.name });
  title.tabIndex = -1;
  head.append(title, statusBadge(service.status), el('span', { className: 'service-summary', text: serviceSummaryText(service) }));
  if (service.sloCount > 0) {
    head.append(
      toggleButton('Fit burn-down to data', viewState.fitBurnDown === true, (fit) => {
        saveState({ ...viewState, fitBurnDown: fit });
        renderServiceSection(workspace);
      }),
    );
  }
  section.append(head);
  if (service.openIncidents.length) {
    const open = el('p', { className: 'open-incidents' });
    const symbol = el('span', { className: 'status-symbol', text: '⚠ ' });
    symbol.setAttribute('aria-hidden', 'true');
    open.append(symbol, document.createTextNode(inertLine(`Open incidents: ${service.openIncidents.join(', ')}`)));
    section.append(open);
  }
  const shown = detail && detail.root === workspace.root && detail.service === service.name ? detail : undefined;
  if (!shown) {
    const error = detailError && detailError.root === workspace.root && detailError.service === service.name ? detailError.error : undefined;
    section.append(el('p', { className: 'placeholder', text: error ? `Could not show ${service.name}: ${error}` : `Loading ${service.name}…` }));
    section.setAttribute('aria-busy', String(!error));
    return;
  }
  section.removeAttribute('aria-busy');
  if (shown.slos.length === 0) {
    section.append(el('p', { className: 'placeholder', text: 'No SLOs for this service.' }));
  } else {
    const grid = el('div', { className: 'slo-grid' });
    for (const slo of shown.slos) grid.append(renderSloCard(workspace, shown, slo));
    section.append(grid);
  }
  section.append(renderIncidentTimeline(workspace, shown));
}

function renderSloCard(workspace: DashboardWorkspace, service: DashboardServiceDetail, slo: DashboardSlo): HTMLElement {
  const card = el('article', { className: `slo-card status-${slo.status}` });
  card.dataset.slo = slo.name;
  const head = el('header', { className: 'slo-card-header' });
  const name = el('button', { className: 'slo-name link', text: slo.name });
  name.type = 'button';
  name.title = 'Open the SLO definition';
  name.addEventListener('click', () => vscode.postMessage({ type: 'openSlo', root: workspace.root, service: slo.service, slo: slo.name }));
  // How each number on the card was computed: the host opens the explanation page (Explain SLO).
  const explain = el('button', { className: 'slo-explain', text: 'Explain' });
  explain.type = 'button';
  explain.title = 'Show how the SLI, budget and burn rates were computed';
  explain.setAttribute('aria-label', `Explain ${slo.name}`);
  explain.addEventListener('click', () => vscode.postMessage({ type: 'explainSlo', root: workspace.root, service: slo.service, slo: slo.name }));
  head.append(name, statusBadge(slo.status), explain);
  card.append(head);

  card.append(renderGauge(slo));
  const facts = el('dl', { className: 'slo-facts' });
  addFact(facts, 'SLI', formatSli(slo.sli));
  addFact(facts, 'Objective', `${formatRatioPercent(slo.objective)} over ${slo.window}`);
  addFact(facts, 'Exhaustion', formatExhaustionOf(slo.status, slo.budgetRemaining, slo.exhaustionEta, service.now));
  if (slo.error) addFact(facts, 'Error', slo.error);
  if (slo.unsupported) addFact(facts, 'No data', slo.unsupported);
  card.append(facts);

  const deployments = service.deployments
    .filter((d) => d.time > slo.windowStart && d.time <= slo.windowEnd)
    .map((deployment) => ({ deployment, mark: markOf(deployment, slo), text: deploymentImpactText(deployment, slo) }));
  card.append(renderBurnDown(workspace, service, slo, deployments));
  const degraded = deployments.filter(({ mark }) => mark === 'degraded').map(({ deployment }) => deployment);
  if (degraded.length) card.append(renderDegradedDeployments(slo, degraded));

  card.append(renderBurnRateTable(slo));
  return card;
}

function renderBurnDown(
  workspace: DashboardWorkspace,
  service: DashboardServiceDetail,
  slo: DashboardSlo,
  deployments: ReadonlyArray<{ deployment: DashboardDeployment; mark: DeploymentMark; text: string }>,
): HTMLElement {
  const chart = el('figure', { className: 'chart chart-burndown' });
  const caption = el('figcaption', { text: `Error budget remaining over the ${slo.window} window${viewState.fitBurnDown ? ' (fitted to its data)' : ''}` });
  const head = el('div', { className: 'chart-head' });
  head.append(caption);
  chart.append(head);
  if (slo.burnDown.length === 0) {
    // Loaded while the dashboard was hidden: the buckets are asked for now, not missing.
    chart.append(el('p', { className: 'chart-empty', text: workspace.burnDownPending ? 'Loading burn-down…' : 'No events in the window.' }));
    return chart;
  }
  const incidents = service.incidents.filter((i) => (i.resolvedAt ?? service.now) > slo.windowStart && i.startedAt <= slo.windowEnd);
  const release = mountChart(
    chart,
    (width) => burnDownChart({ slo, deployments, incidents, now: service.now, fit: viewState.fitBurnDown === true }, width),
    `Budget burn-down of ${slo.name}: ${formatBudgetPercent(slo.budgetRemaining)} left now; the table has its numbers by day`,
  );
  teardown.service.push(release);
  chart.append(renderBurnDownLegend(deployments.map(({ mark }) => mark), incidents.length > 0));
  const rows: string[][] = burnDownDays(slo.burnDown).map((day) => [day.day, day.end, day.lowest]);
  const events: string[][] = [
    ...deployments.map(({ deployment, text }) => [formatUtc(deployment.time), 'deployment', text]),
    ...incidents.map((incident) => [formatUtc(incident.startedAt), 'incident', `${formatIncidentLabel(incident)} · ${formatIncidentDuration(incident, service.now)}`]),
  ].sort((a, b) => a[0].localeCompare(b[0]));
  const days = chartTable(`Budget remaining of ${slo.name} by day (UTC)`, ['Day', 'At end of day', 'Lowest'], rows);
  head.append(days.toggle);
  chart.append(days.table);
  if (events.length) {
    const marks = chartTable(`Deployments and incidents on the burn-down of ${slo.name}`, ['Time', 'Event', 'Details'], events);
    marks.toggle.textContent = 'Events';
    head.append(marks.toggle);
    chart.append(marks.table);
  }
  return chart;
}

/** What the lines and shades mean, with the same line styles as the chart (not only its colours). */
function renderBurnDownLegend(marks: readonly DeploymentMark[], hasIncidents: boolean): HTMLElement {
  const legend = el('ul', { className: 'chart-legend' });
  legend.setAttribute('aria-label', 'Legend');
  const item = (swatch: string, text: string) => {
    const entry = el('li');
    const mark = el('span', { className: `swatch swatch-${swatch}` });
    mark.setAttribute('aria-hidden', 'true');
    entry.append(mark, el('span', { text }));
    legend.append(entry);
  };
  item('line', 'budget remaining');
  if (marks.includes('ok') || marks.includes('other')) item('deployment', 'deployment');
  if (marks.includes('degraded')) item('degraded', 'deployment that degraded this SLO');
  if (marks.includes('failed')) item('failed', 'failed deployment (incident linked)');
  if (hasIncidents) item('incident', 'incident');
  return legend;
}

/** A deployment's impact on one SLO, when it was assessed. */
function impactOn(deployment: DashboardDeployment, slo: DashboardSlo): { entry: DashboardDeployment['impacts'][number]; impact: SloImpact } | undefined {
  const entry = deployment.impacts.find((candidate) => candidate.service === slo.service);
  const impact = entry?.slos.find((candidate) => candidate.slo === slo.name);
  return entry && impact ? { entry, impact } : undefined;
}

/** By its verdict on this SLO (DOMAIN.md section 6); one that failed without degrading it is `failed`. */
function markOf(deployment: DashboardDeployment, slo: DashboardSlo): DeploymentMark {
  const verdict = impactOn(deployment, slo)?.impact.verdict;
  if (verdict === 'degraded') return 'degraded';
  if (deployment.incidents.length) return 'failed';
  return verdict === 'ok' ? 'ok' : 'other';
}

/** What a deployment mark says on hover, in the events table, and under the chart for a degraded one. */
function deploymentImpactText(deployment: DashboardDeployment, slo: DashboardSlo): string {
  const found = impactOn(deployment, slo);
  const failed = deployment.incidents.length ? ` · failed (${deployment.incidents.join(', ')})` : '';
  if (!found) return `${deployment.name} at ${formatUtc(deployment.time)}${failed}`;
  const suspect = found.entry.suspect && found.impact.verdict === 'degraded' ? ' (suspect: no incident linked)' : '';
  return `${deployment.name} at ${formatUtc(deployment.time)} · ${found.impact.verdict}${suspect} · ${describeSloImpact(found.impact, found.entry.afterEnd - deployment.time)}${failed}`;
}

function renderDegradedDeployments(slo: DashboardSlo, degraded: readonly DashboardDeployment[]): HTMLElement {
  const list = el('ul', { className: 'deployment-impacts' });
  list.setAttribute('aria-label', `Deployments that degraded ${slo.name}`);
  for (const deployment of degraded) {
    const item = el('li', { className: 'deployment-impact verdict-degraded' });
    const symbol = el('span', { className: 'status-symbol', text: '⚠ ' });
    symbol.setAttribute('aria-hidden', 'true');
    item.append(symbol, document.createTextNode(inertLine(deploymentImpactText(deployment, slo))));
    item.dataset.deployment = deployment.name;
    list.append(item);
  }
  return list;
}

function renderGauge(slo: DashboardSlo): HTMLElement {
  const wrapper = el('div', { className: 'budget' });
  const gauge = el('div', { className: 'budget-gauge' });
  const percent = Math.max(0, Math.min(100, slo.budgetRemaining * 100));
  gauge.setAttribute('role', 'meter');
  gauge.setAttribute('aria-label', 'Error budget remaining');
  gauge.setAttribute('aria-valuemin', '0');
  gauge.setAttribute('aria-valuemax', '100');
  gauge.setAttribute('aria-valuenow', String(Math.round(percent)));
  const fill = el('div', { className: `budget-gauge-fill status-${slo.status}` });
  fill.style.width = `${percent}%`;
  gauge.append(fill);
  const label =
    slo.status === 'no-data'
      ? 'no data'
      : slo.budgetRemaining <= 0
        ? `budget exhausted (${formatBudgetPercent(slo.budgetRemaining)})`
        : `${formatBudgetPercent(slo.budgetRemaining)} budget left`;
  wrapper.append(gauge, el('span', { className: 'budget-label', text: label }));
  return wrapper;
}

function renderBurnRateTable(slo: DashboardSlo): HTMLElement {
  const table = el('table', { className: 'burn-rate-table' });
  table.append(el('caption', { text: 'Burn rates (× the rate that spends the budget exactly over the window)' }));
  const head = el('tr');
  for (const window of slo.burnRates) {
    const th = el('th', { text: window.window });
    th.scope = 'col';
    head.append(th);
  }
  const body = el('tr');
  for (const window of slo.burnRates) {
    // Alerting is said in text (a mark and a hidden word), not only by the cell's colour.
    const cell = el('td', { className: window.alerting ? 'alerting' : '', text: formatBurnRate(window.rate) });
    if (window.alerting) {
      cell.title = 'Part of a firing alert';
      const mark = el('span', { className: 'alerting-mark', text: ' ▲' });
      mark.setAttribute('aria-hidden', 'true');
      cell.append(mark, el('span', { className: 'visually-hidden', text: ' (alerting)' }));
    }
    body.append(cell);
  }
  table.append(el('thead'), el('tbody'));
  table.tHead?.append(head);
  table.tBodies[0].append(body);
  const wrapper = el('div', { className: 'burn-rates' });
  wrapper.append(table);
  const alerts = el('ul', { className: 'alerts' });
  if (slo.alerts.length === 0) alerts.append(el('li', { className: 'alert-none', text: 'No burn-rate alert firing' }));
  for (const alert of slo.alerts) {
    const item = el('li', { className: `alert alert-${alert.severity}` });
    const symbol = el('span', { className: 'status-symbol', text: alert.severity === 'page' ? '▲ ' : '△ ' });
    symbol.setAttribute('aria-hidden', 'true');
    item.append(symbol, document.createTextNode(`${formatAlertRule(alert)} firing`));
    alerts.append(item);
  }
  wrapper.append(alerts);
  return wrapper;
}

function renderDora(workspace: DashboardWorkspace): HTMLElement {
  const section = el('section', { className: 'dora' });
  section.append(el('h2', { text: workspace.dora ? `Delivery (DORA, ${workspace.dora.window})` : 'Delivery (DORA)' }));
  const dora = workspace.dora;
  if (!dora) {
    const text = !workspace.doraPending
      ? 'No delivery history: no deployments found in git or the configured source.'
      : workspace.loading
        ? DELIVERY_PENDING_TEXT
        : `${DELIVERY_NOT_READ_TEXT}: refresh to try again.`;
    section.append(el('p', { className: 'placeholder', text }));
    return section;
  }
  const tiles = el('div', { className: 'dora-summary' });
  for (const line of doraMetricLines(dora, workspace.previousDora)) {
    // The tier is a word in the description (`elite`), not only the tile's colour.
    const tile = el('div', { className: `dora-tile tier-${line.tier ?? 'none'} trend-${line.direction}` });
    tile.dataset.metric = line.key;
    tile.append(el('span', { className: 'dora-label', text: line.label }), el('span', { className: 'dora-value', text: line.description }));
    setTitle(tile, line.previousText);
    tiles.append(tile);
  }
  section.append(tiles);

  const weeks = dora.weekly.map((week) => Date.parse(`${week.weekStart}T00:00:00Z`) / 1000);
  const charts = el('div', { className: 'dora-charts' });
  const specs = [
    {
      className: 'chart-dora-deployments',
      caption: `Deployments per week${dora.tiers.deploymentFrequency ? ` · ${dora.tiers.deploymentFrequency}` : ''}`,
      values: dora.weekly.map((w) => w.deployments),
      labels: { series: 'Deployments', y: 'Deployments' },
      kind: 'bars' as const,
      format: (value: number) => String(value),
    },
    {
      className: 'chart-dora-leadtime',
      caption: `Median lead time (hours)${dora.tiers.leadTime ? ` · ${dora.tiers.leadTime}` : ''}`,
      values: dora.weekly.map((w) => (w.leadTimeSecondsMedian === null ? null : w.leadTimeSecondsMedian / 3600)),
      labels: { series: 'Median lead time (h)', y: 'Hours' },
      kind: 'line' as const,
      format: (value: number) => `${value.toFixed(1)} h`,
    },
    {
      className: 'chart-dora-cfr',
      caption: `Change failure rate (%)${dora.tiers.changeFailureRate ? ` · ${dora.tiers.changeFailureRate}` : ''}`,
      values: dora.weekly.map((w) => (w.changeFailureRate === null ? null : w.changeFailureRate * 100)),
      labels: { series: 'Change failure rate (%)', y: 'Percent' },
      kind: 'line' as const,
      format: (value: number) => `${Math.round(value)}%`,
    },
  ];
  for (const spec of specs) {
    const figure = el('figure', { className: `chart ${spec.className}` });
    const head = el('div', { className: 'chart-head' });
    head.append(el('figcaption', { text: spec.caption }));
    figure.append(head);
    charts.append(figure);
    if (weeks.length === 0) {
      figure.append(el('p', { className: 'chart-empty', text: 'No weeks in the window.' }));
      continue;
    }
    teardown.overview.push(mountChart(figure, (width) => weeklyChart(weeks, spec.values, spec.labels, spec.kind, width), `${spec.caption}; the table has its numbers by week`));
    const table = chartTable(`${spec.caption} by week`, ['Week of (UTC)', spec.labels.series], weeklyRows(weeks, spec.values, spec.format).map((row) => [row.week, row.value]));
    head.append(table.toggle);
    figure.append(table.table);
  }
  section.append(charts);
  return section;
}

function renderIncidentTimeline(workspace: DashboardWorkspace, service: DashboardServiceDetail): HTMLElement {
  const section = el('section', { className: 'incident-timeline' });
  const end = service.now;
  const start = service.timelineStart;
  section.append(el('h3', { text: `Incidents of ${service.service}` }));
  // In the projection's order, the one incident order of every list (open first, by severity, newest).
  const incidents = service.incidents.filter((incident) => (incident.resolvedAt ?? end) > start && incident.startedAt <= end);
  if (incidents.length === 0) {
    section.append(el('p', { className: 'placeholder', text: 'No incidents in this period.' }));
    return section;
  }
  const axis = el('div', { className: 'timeline-axis' });
  axis.append(el('span', { text: formatUtc(start).slice(0, 10) }), el('span', { text: formatUtc(end).slice(0, 10) }));
  section.append(axis);
  const list = el('ol', { className: 'timeline-rows' });
  for (const incident of incidents) list.append(renderIncidentRow(workspace, service, incident, start, end));
  section.append(list);
  return section;
}

function renderIncidentRow(workspace: DashboardWorkspace, service: DashboardServiceDetail, incident: DashboardIncident, start: number, end: number): HTMLElement {
  const open = incident.open;
  const row = el('li', { className: `incident-row ${open ? 'open' : 'resolved'}` });
  row.dataset.incident = incident.id;
  const label = el('button', { className: 'incident-label link', text: formatIncidentLabel(incident) });
  label.type = 'button';
  label.addEventListener('click', () => vscode.postMessage({ type: 'openIncident', root: workspace.root, id: incident.id }));
  const title = el('span', { className: 'incident-title', text: incident.title });
  // "open for 2h" / "lasted 1h": open or resolved in words, not only by the bar's outline.
  const duration = el('span', { className: 'incident-duration', text: formatIncidentDuration(incident, service.now) });
  const track = el('div', { className: 'incident-track' });
  track.setAttribute('aria-hidden', 'true');
  const bar = el('div', { className: `incident-bar severity-${incident.severity.toLowerCase()}` });
  const span = Math.max(1, end - start);
  const left = Math.max(0, (incident.startedAt - start) / span);
  const right = Math.min(1, ((incident.resolvedAt ?? end) - start) / span);
  bar.style.left = `${left * 100}%`;
  bar.style.width = `${Math.max(0.5, (right - left) * 100)}%`;
  setTitle(bar, `${incident.id}: ${formatUtc(incident.startedAt)} – ${incident.resolvedAt === null ? 'open' : formatUtc(incident.resolvedAt)}${incident.deployment ? ` · ${incident.deployment}` : ''}`);
  track.append(bar);
  row.append(label, title, duration, track);
  return row;
}
