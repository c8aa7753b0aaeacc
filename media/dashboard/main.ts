// The Reliability Dashboard page. It receives projections of the snapshots (shared/protocol.ts), draws
// them with uPlot on canvas, and asks the extension host to act (open an incident, refresh). No
// network: everything arrives by postMessage. Incident text is data: it only ever goes in textContent or
// a title, made inert first (inertLine: no control or bidi characters).
import uPlot from 'uplot';
import { inertLine } from '../../src/core/inertText';
import type {
  DashboardData,
  DashboardDeployment,
  DashboardIncident,
  DashboardService,
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

interface VsCodeApi {
  postMessage(message: FromWebviewMessage): void;
  getState(): DashboardViewState | undefined;
  setState(state: DashboardViewState): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const app = document.getElementById('app') as HTMLElement;
const DAY_MS = 86_400_000;

let data: DashboardData | undefined;
let viewState: DashboardViewState = vscode.getState() ?? {};
/** Charts and observers of the current render, released before the next one. */
let teardown: Array<() => void> = [];

window.addEventListener('message', (event: MessageEvent<ToWebviewMessage>) => {
  const message = event.data;
  switch (message.type) {
    case 'snapshot':
      data = message.data;
      render();
      break;
    case 'select':
      saveState({ root: message.root ?? viewState.root, service: message.service ?? viewState.service });
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

// ---- rendering ---------------------------------------------------------------------------------------

function render(): void {
  if (!data) return;
  const scrollY = window.scrollY;
  for (const release of teardown) release();
  teardown = [];
  app.replaceChildren();

  if (data.workspaces.length === 0) {
    app.append(el('p', { className: 'placeholder', text: 'No .reliability/ folder in this window.' }));
    return;
  }
  const workspace = data.workspaces.find((candidate) => candidate.root === viewState.root) ?? data.workspaces[0];
  app.append(renderHeader(data.workspaces, workspace));
  app.append(...renderNotices(workspace));
  if (workspace.now === 0) {
    app.append(el('p', { className: 'placeholder', text: workspace.loading ? 'Loading reliability data…' : 'No data yet.' }));
    return;
  }
  const service = workspace.services.find((candidate) => candidate.name === viewState.service) ?? workspace.services[0];
  if (service) {
    app.append(renderServiceTabs(workspace, service));
    app.append(renderService(workspace, service));
  } else {
    app.append(el('p', { className: 'placeholder', text: 'No services are configured in .reliability/config.yaml.' }));
  }
  app.append(renderDora(workspace));
  app.append(renderIncidentTimeline(workspace, service?.name));
  window.scrollTo(0, scrollY);
}

function renderHeader(workspaces: DashboardWorkspace[], current: DashboardWorkspace): HTMLElement {
  const header = el('header', { className: 'dashboard-header' });
  header.append(el('h1', { text: 'Reliability Dashboard' }));
  if (workspaces.length > 1) {
    const select = el('select', { className: 'workspace-select' }) as HTMLSelectElement;
    select.setAttribute('aria-label', 'Workspace');
    for (const workspace of workspaces) {
      const option = el('option', { text: workspace.name }) as HTMLOptionElement;
      option.value = workspace.root;
      option.selected = workspace.root === current.root;
      select.append(option);
    }
    select.addEventListener('change', () => {
      saveState({ root: select.value, service: undefined });
      render();
    });
    header.append(select);
  }
  const meta = el('span', { className: 'evaluated-at', text: current.now ? `as of ${formatUtc(current.now)}` : '' });
  const refresh = el('button', { className: 'refresh', text: current.loading ? 'Refreshing…' : 'Refresh' }) as HTMLButtonElement;
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

function notice(kind: 'warning' | 'error', text: string): HTMLElement {
  const node = el('p', { className: `notice notice-${kind}`, text });
  node.setAttribute('role', kind === 'error' ? 'alert' : 'status');
  return node;
}

function renderServiceTabs(workspace: DashboardWorkspace, selected: DashboardService): HTMLElement {
  const nav = el('nav', { className: 'service-tabs' });
  nav.setAttribute('role', 'tablist');
  nav.setAttribute('aria-label', 'Services');
  for (const service of workspace.services) {
    const tab = el('button', { className: `service-tab status-${service.status ?? 'none'}`, text: service.name }) as HTMLButtonElement;
    tab.setAttribute('role', 'tab');
    tab.setAttribute('aria-selected', String(service.name === selected.name));
    tab.dataset.service = service.name;
    if (service.openIncidents.length) tab.append(el('span', { className: 'badge', text: String(service.openIncidents.length) }));
    tab.addEventListener('click', () => {
      saveState({ root: workspace.root, service: service.name });
      render();
    });
    nav.append(tab);
  }
  return nav;
}

function renderService(workspace: DashboardWorkspace, service: DashboardService): HTMLElement {
  const section = el('section', { className: 'service-panel' });
  section.setAttribute('role', 'tabpanel');
  section.dataset.service = service.name;
  const title = el('h2', { text: service.name });
  if (service.openIncidents.length) title.append(el('span', { className: 'open-incidents', text: ` · open: ${service.openIncidents.join(', ')}` }));
  section.append(title);
  if (service.slos.length === 0) {
    section.append(el('p', { className: 'placeholder', text: 'No SLOs for this service.' }));
    return section;
  }
  const grid = el('div', { className: 'slo-grid' });
  for (const slo of service.slos) grid.append(renderSloCard(workspace, slo));
  section.append(grid);
  return section;
}

function renderSloCard(workspace: DashboardWorkspace, slo: DashboardSlo): HTMLElement {
  const card = el('article', { className: `slo-card status-${slo.status}` });
  card.dataset.slo = slo.name;
  const head = el('header', { className: 'slo-card-header' });
  const name = el('button', { className: 'slo-name link', text: slo.name }) as HTMLButtonElement;
  name.title = 'Open the SLO definition';
  name.addEventListener('click', () => vscode.postMessage({ type: 'openSlo', root: workspace.root, service: slo.service, slo: slo.name }));
  // How each number on the card was computed: the host opens the explanation page (Explain SLO).
  const explain = el('button', { className: 'slo-explain', text: 'Explain' }) as HTMLButtonElement;
  explain.title = 'Show how the SLI, budget and burn rates were computed';
  explain.addEventListener('click', () => vscode.postMessage({ type: 'explainSlo', root: workspace.root, service: slo.service, slo: slo.name }));
  head.append(name, el('span', { className: `status status-${slo.status}`, text: STATUS_TEXT[slo.status] }), explain);
  card.append(head);

  card.append(renderGauge(slo));
  const facts = el('dl', { className: 'slo-facts' });
  addFact(facts, 'SLI', formatSli(slo.sli));
  addFact(facts, 'Objective', `${formatRatioPercent(slo.objective)} over ${slo.window}`);
  addFact(facts, 'Exhaustion', exhaustionText(slo, workspace.now));
  if (slo.error) addFact(facts, 'Error', slo.error);
  if (slo.unsupported) addFact(facts, 'No data', slo.unsupported);
  card.append(facts);

  const chart = el('figure', { className: 'chart chart-burndown' });
  chart.append(el('figcaption', { text: 'Error budget remaining over the window · deployments dashed (red: degraded this SLO) · incidents shaded' }));
  card.append(chart);
  const deployments = workspace.deployments.filter((d) => deploysService(d, slo.service) && d.time > slo.windowStart && d.time <= slo.windowEnd);
  if (slo.burnDown.length) {
    const incidents = workspace.incidents.filter((i) => i.service === slo.service && (i.resolvedAt ?? workspace.now) > slo.windowStart && i.startedAt <= slo.windowEnd);
    mountChart(chart, (width) => burnDownChart(slo, deployments, incidents, workspace.now, width), `Budget burn-down of ${slo.name}`);
  } else if (workspace.burnDownPending) {
    // Loaded while the dashboard was hidden: the buckets are asked for now, not missing.
    chart.append(el('p', { className: 'chart-empty', text: 'Loading burn-down…' }));
  } else {
    chart.append(el('p', { className: 'chart-empty', text: 'No events in the window.' }));
  }
  const degraded = deployments.filter((deployment) => impactOn(deployment, slo)?.impact.verdict === 'degraded');
  if (degraded.length) card.append(renderDegradedDeployments(slo, degraded));

  card.append(renderBurnRateTable(slo));
  return card;
}

/** A deployment's impact on one SLO, when it was assessed. */
function impactOn(deployment: DashboardDeployment, slo: DashboardSlo): { entry: DashboardDeployment['impacts'][number]; impact: SloImpact } | undefined {
  const entry = deployment.impacts.find((candidate) => candidate.service === slo.service);
  const impact = entry?.slos.find((candidate) => candidate.slo === slo.name);
  return entry && impact ? { entry, impact } : undefined;
}

/** A deployment that names no services deploys the whole workspace (core/deployments.ts deploysService). */
function deploysService(deployment: DashboardDeployment, service: string): boolean {
  return deployment.services.length === 0 || deployment.services.includes(service);
}

/** What a deployment mark says on hover, and under the chart for a degraded one. */
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
    const item = el('li', { className: 'deployment-impact verdict-degraded', text: deploymentImpactText(deployment, slo) });
    item.dataset.deployment = deployment.name;
    list.append(item);
  }
  return list;
}

const STATUS_TEXT: Record<DashboardSlo['status'], string> = {
  healthy: 'healthy',
  warning: 'warning',
  critical: 'critical',
  exhausted: 'budget exhausted',
  'no-data': 'no data',
};

function exhaustionText(slo: DashboardSlo, now: number): string {
  return formatExhaustionOf(slo.status, slo.budgetRemaining, slo.exhaustionEta, now);
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
  table.append(el('caption', { text: 'Burn rates' }));
  const head = el('tr');
  for (const window of slo.burnRates) head.append(el('th', { text: window.window }));
  const body = el('tr');
  for (const window of slo.burnRates) {
    const cell = el('td', { className: window.alerting ? 'alerting' : '', text: formatBurnRate(window.rate) });
    if (window.alerting) cell.title = 'Part of a firing alert';
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
    alerts.append(el('li', { className: `alert alert-${alert.severity}`, text: `${formatAlertRule(alert)} firing` }));
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
    const tile = el('div', { className: `dora-tile tier-${line.tier ?? 'none'} trend-${line.direction}` });
    tile.dataset.metric = line.key;
    tile.append(el('span', { className: 'dora-label', text: line.label }), el('span', { className: 'dora-value', text: line.description }));
    tile.title = line.previousText;
    tiles.append(tile);
  }
  section.append(tiles);

  const weeks = dora.weekly.map((week) => Date.parse(`${week.weekStart}T00:00:00Z`) / 1000);
  const charts = el('div', { className: 'dora-charts' });
  const deployments = el('figure', { className: 'chart chart-dora-deployments' });
  deployments.append(el('figcaption', { text: `Deployments per week${dora.tiers.deploymentFrequency ? ` · ${dora.tiers.deploymentFrequency}` : ''}` }));
  const leadTime = el('figure', { className: 'chart chart-dora-leadtime' });
  leadTime.append(el('figcaption', { text: `Median lead time (hours)${dora.tiers.leadTime ? ` · ${dora.tiers.leadTime}` : ''}` }));
  const cfr = el('figure', { className: 'chart chart-dora-cfr' });
  cfr.append(el('figcaption', { text: `Change failure rate (%)${dora.tiers.changeFailureRate ? ` · ${dora.tiers.changeFailureRate}` : ''}` }));
  charts.append(deployments, leadTime, cfr);
  section.append(charts);
  if (weeks.length === 0) {
    for (const figure of [deployments, leadTime, cfr]) figure.append(el('p', { className: 'chart-empty', text: 'No weeks in the window.' }));
    return section;
  }
  mountChart(deployments, (width) => weeklyChart(weeks, dora.weekly.map((w) => w.deployments), 'Deployments', 'bars', width), 'Deployments per week');
  mountChart(
    leadTime,
    (width) => weeklyChart(weeks, dora.weekly.map((w) => (w.leadTimeSecondsMedian === null ? null : w.leadTimeSecondsMedian / 3600)), 'Median lead time (h)', 'line', width),
    'Median lead time per week',
  );
  mountChart(
    cfr,
    (width) => weeklyChart(weeks, dora.weekly.map((w) => (w.changeFailureRate === null ? null : w.changeFailureRate * 100)), 'Change failure rate (%)', 'line', width),
    'Change failure rate per week',
  );
  return section;
}

function renderIncidentTimeline(workspace: DashboardWorkspace, selectedService: string | undefined): HTMLElement {
  const section = el('section', { className: 'incident-timeline' });
  const end = workspace.now;
  const start = workspace.dora?.windowStart ?? end - 90 * DAY_MS;
  section.append(el('h2', { text: 'Incidents' }));
  // In the projection's order, the one incident order of every list (open first, by severity, newest).
  const incidents = workspace.incidents.filter((incident) => (incident.resolvedAt ?? end) > start && incident.startedAt <= end);
  if (incidents.length === 0) {
    section.append(el('p', { className: 'placeholder', text: 'No incidents in this period.' }));
    return section;
  }
  const axis = el('div', { className: 'timeline-axis' });
  axis.append(el('span', { text: formatUtc(start).slice(0, 10) }), el('span', { text: formatUtc(end).slice(0, 10) }));
  section.append(axis);
  const list = el('ol', { className: 'timeline-rows' });
  for (const incident of incidents) list.append(renderIncidentRow(workspace, incident, start, end, incident.service === selectedService));
  section.append(list);
  return section;
}

function renderIncidentRow(workspace: DashboardWorkspace, incident: DashboardIncident, start: number, end: number, selected: boolean): HTMLElement {
  const open = incident.open;
  const row = el('li', { className: `incident-row ${open ? 'open' : 'resolved'}${selected ? ' selected-service' : ''}` });
  row.dataset.incident = incident.id;
  const label = el('button', { className: 'incident-label link', text: formatIncidentLabel(incident) }) as HTMLButtonElement;
  label.addEventListener('click', () => vscode.postMessage({ type: 'openIncident', root: workspace.root, id: incident.id }));
  const title = el('span', { className: 'incident-title', text: incident.title });
  const duration = el('span', { className: 'incident-duration', text: formatIncidentDuration(incident, workspace.now) });
  const track = el('div', { className: 'incident-track' });
  const bar = el('div', { className: `incident-bar severity-${incident.severity.toLowerCase()}` });
  const span = Math.max(1, end - start);
  const left = Math.max(0, (incident.startedAt - start) / span);
  const right = Math.min(1, ((incident.resolvedAt ?? end) - start) / span);
  bar.style.left = `${left * 100}%`;
  bar.style.width = `${Math.max(0.5, (right - left) * 100)}%`;
  bar.title = inertLine(`${incident.id}: ${formatUtc(incident.startedAt)} – ${incident.resolvedAt === null ? 'open' : formatUtc(incident.resolvedAt)}${incident.deployment ? ` · ${incident.deployment}` : ''}`);
  track.append(bar);
  row.append(label, title, duration, track);
  return row;
}

// ---- charts ------------------------------------------------------------------------------------------

interface Palette {
  foreground: string;
  grid: string;
  line: string;
  bar: string;
  incident: string;
  deployment: string;
  failedDeployment: string;
  failedUndegraded: string;
}

/** Canvas cannot read CSS variables, so the theme's colours are resolved once per render. */
function palette(): Palette {
  const style = getComputedStyle(document.body);
  const read = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  const foreground = read('--vscode-foreground', '#cccccc');
  return {
    foreground,
    grid: read('--vscode-charts-lines', read('--vscode-widget-border', '#80808040')),
    line: read('--vscode-charts-blue', foreground),
    bar: read('--vscode-charts-purple', read('--vscode-charts-blue', foreground)),
    incident: read('--vscode-charts-red', '#f14c4c'),
    deployment: read('--vscode-charts-green', foreground),
    failedDeployment: read('--vscode-charts-red', '#f14c4c'),
    failedUndegraded: read('--vscode-charts-orange', read('--vscode-charts-red', '#f14c4c')),
  };
}

function mountChart(container: HTMLElement, create: (width: number) => { options: uPlot.Options; data: uPlot.AlignedData }, label: string): void {
  const host = el('div', { className: 'chart-canvas' });
  host.setAttribute('role', 'img');
  host.setAttribute('aria-label', label);
  container.append(host);
  const width = () => Math.max(240, Math.floor(container.clientWidth || 480));
  const { options, data: chartData } = create(width());
  const chart = new uPlot(options, chartData, host);
  const observer = new ResizeObserver(() => {
    const next = width();
    if (next !== chart.width) chart.setSize({ width: next, height: chart.height });
  });
  observer.observe(container);
  teardown.push(() => {
    observer.disconnect();
    chart.destroy();
  });
}

function axes(colours: Palette, yValues?: (values: number[]) => string[]): uPlot.Axis[] {
  const common = { stroke: colours.foreground, grid: { stroke: colours.grid, width: 1 }, ticks: { stroke: colours.grid, width: 1 } };
  return [common, { ...common, size: 48, values: yValues ? (_u: uPlot, values: number[]) => yValues(values) : undefined }];
}

/** Draws over the plot area only (clipped, so marks never spill onto the axes), restoring the context after. */
function drawInPlotArea(u: uPlot, draw: (ctx: CanvasRenderingContext2D, top: number, height: number) => void): void {
  const { ctx } = u;
  const { left, top, width, height } = u.bbox;
  ctx.save();
  ctx.beginPath();
  ctx.rect(left, top, width, height);
  ctx.clip();
  draw(ctx, top, height);
  ctx.restore();
}

function burnDownChart(
  slo: DashboardSlo,
  deployments: DashboardDeployment[],
  incidents: DashboardIncident[],
  now: number,
  width: number,
): { options: uPlot.Options; data: uPlot.AlignedData } {
  const colours = palette();
  const xs = slo.burnDown.map(([time]) => time / 1000);
  const ys = slo.burnDown.map(([, remaining]) => remaining * 100);
  const shadeIncidents = (u: uPlot) =>
    drawInPlotArea(u, (ctx, top, height) => {
      ctx.globalAlpha = 0.2;
      ctx.fillStyle = colours.incident;
      for (const incident of incidents) {
        const x0 = u.valToPos(incident.startedAt / 1000, 'x', true);
        const x1 = u.valToPos((incident.resolvedAt ?? now) / 1000, 'x', true);
        ctx.fillRect(x0, top, Math.max(2 * uPlot.pxRatio, x1 - x0), height);
      }
    });
  // Coloured by the deployment's verdict on this SLO (DOMAIN.md section 6): degraded red, ok green,
  // not assessed or no data in the foreground colour; one that failed without degrading it orange.
  const markColour = (deployment: DashboardDeployment) => {
    const verdict = impactOn(deployment, slo)?.impact.verdict;
    if (verdict === 'degraded') return colours.failedDeployment;
    if (deployment.incidents.length) return colours.failedUndegraded;
    return verdict === 'ok' ? colours.deployment : colours.foreground;
  };
  const markDeployments = (u: uPlot) =>
    drawInPlotArea(u, (ctx, top, height) => {
      ctx.setLineDash([4 * uPlot.pxRatio, 3 * uPlot.pxRatio]);
      for (const deployment of deployments) {
        const x = Math.round(u.valToPos(deployment.time / 1000, 'x', true));
        ctx.strokeStyle = markColour(deployment);
        ctx.lineWidth = (impactOn(deployment, slo)?.impact.verdict === 'degraded' ? 2 : 1) * uPlot.pxRatio;
        ctx.beginPath();
        ctx.moveTo(x, top);
        ctx.lineTo(x, top + height);
        ctx.stroke();
      }
    });
  // The numbers on hover: the plot's title names the deployment mark under the cursor.
  const HOVER_PX = 6;
  const describeUnderCursor = (u: uPlot) => {
    const left = u.cursor.left;
    const near = left === undefined || left < 0 ? undefined : deployments.find((deployment) => Math.abs(u.valToPos(deployment.time / 1000, 'x') - left) <= HOVER_PX);
    u.over.title = near ? inertLine(deploymentImpactText(near, slo)) : '';
  };
  const options: uPlot.Options = {
    width,
    height: 180,
    legend: { show: false },
    cursor: { drag: { x: false, y: false } },
    scales: {
      x: { time: true, range: [slo.windowStart / 1000, slo.windowEnd / 1000] },
      y: { range: (_u, min, max) => [Math.min(0, Math.floor(min / 10) * 10), Math.max(100, Math.ceil(max / 10) * 10)] },
    },
    axes: axes(colours, (values) => values.map((value) => `${value}%`)),
    series: [{}, { label: 'Budget remaining', stroke: colours.line, width: 2 * uPlot.pxRatio, points: { show: false } }],
    hooks: { drawClear: [shadeIncidents], draw: [markDeployments], setCursor: [describeUnderCursor] },
  };
  return { options, data: [xs, ys] };
}

function weeklyChart(
  weeks: number[],
  values: Array<number | null>,
  label: string,
  kind: 'bars' | 'line',
  width: number,
): { options: uPlot.Options; data: uPlot.AlignedData } {
  const colours = palette();
  const series: uPlot.Series =
    kind === 'bars'
      ? { label, stroke: colours.bar, fill: colours.bar, paths: uPlot.paths.bars?.({ size: [0.6, 48] }), points: { show: false } }
      : { label, stroke: colours.line, width: 2 * uPlot.pxRatio, spanGaps: false, points: { show: true, size: 5, fill: colours.line } };
  const options: uPlot.Options = {
    width,
    height: 160,
    legend: { show: false },
    cursor: { drag: { x: false, y: false } },
    scales: {
      x: { time: true, range: (_u, min, max) => [min - 3.5 * 86_400, max + 3.5 * 86_400] },
      y: { range: (_u, _min, max) => [0, Math.max(1, Math.ceil((max ?? 1) * 1.15))] },
    },
    axes: axes(colours),
    series: [{}, series],
  };
  return { options, data: [weeks, values] };
}

// ---- DOM helpers -------------------------------------------------------------------------------------

function el<K extends keyof HTMLElementTagNameMap>(tag: K, init: { className?: string; text?: string } = {}): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (init.className) node.className = init.className;
  if (init.text !== undefined) node.textContent = inertLine(init.text);
  return node;
}

function addFact(list: HTMLElement, term: string, value: string): void {
  list.append(el('dt', { text: term }), el('dd', { text: value }));
}
