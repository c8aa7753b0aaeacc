// The dashboard's uPlot charts: the error budget burn-down of an SLO and the weekly DORA trends. Colours
// come from the theme's --vscode-* variables (resolved once per draw: a canvas cannot read CSS
// variables); axes are labelled with what they show and in UTC, like every time the dashboard prints.
import uPlot from 'uplot';
import { inertLine } from '../../src/core/inertText';
import type { DashboardDeployment, DashboardIncident, DashboardSlo } from '../../src/shared/protocol';
import { burnDownRange, formatPercentTick } from './chartData';
import { el } from './dom';

export interface Palette {
  foreground: string;
  grid: string;
  line: string;
  bar: string;
  incident: string;
  deployment: string;
  failedDeployment: string;
  failedUndegraded: string;
}

export function palette(): Palette {
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

export interface ChartSpec {
  options: uPlot.Options;
  data: uPlot.AlignedData;
}

/**
 * Draws a chart into `container` at the container's width and keeps it at that width as the editor
 * column resizes. Returns the release function (observer and chart).
 */
export function mountChart(container: HTMLElement, create: (width: number) => ChartSpec, label: string): () => void {
  const host = el('div', { className: 'chart-canvas' });
  host.setAttribute('role', 'img');
  host.setAttribute('aria-label', label);
  container.append(host);
  // Never wider than the container: a narrow editor column must not scroll sideways.
  const width = () => Math.max(160, Math.floor(container.clientWidth || 480));
  const { options, data } = create(width());
  const chart = new uPlot(options, data, host);
  const observer = new ResizeObserver(() => {
    const next = width();
    if (next !== chart.width) chart.setSize({ width: next, height: chart.height });
  });
  observer.observe(container);
  return () => {
    observer.disconnect();
    chart.destroy();
  };
}

/** Time axes read in UTC, as every time on the dashboard (core/format.ts formatUtc). */
const utc = (seconds: number) => uPlot.tzDate(new Date(seconds * 1000), 'Etc/UTC');

function axes(colours: Palette, labels: { x: string; y: string }, yValues?: (values: number[], step: number) => string[]): uPlot.Axis[] {
  const common = {
    stroke: colours.foreground,
    grid: { stroke: colours.grid, width: 1 },
    ticks: { stroke: colours.grid, width: 1 },
    labelSize: 18,
    labelFont: 'bold 11px system-ui, sans-serif',
    font: '11px system-ui, sans-serif',
  };
  return [
    { ...common, label: labels.x },
    { ...common, label: labels.y, size: 52, values: yValues ? (_u: uPlot, values: number[], _axis: number, _space: number, step: number) => yValues(values, step) : undefined },
  ];
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

/** How a deployment is marked on an SLO's burn-down; the legend names each kind with its line style. */
export type DeploymentMark = 'degraded' | 'failed' | 'ok' | 'other';

/** Line styles differ by kind, not only colours: a mark is told apart in any theme and without colour. */
const MARK_STYLES: Record<DeploymentMark, { dash: number[]; width: number }> = {
  degraded: { dash: [], width: 2 },
  failed: { dash: [1, 3], width: 2 },
  ok: { dash: [4, 3], width: 1 },
  other: { dash: [4, 3], width: 1 },
};

export interface BurnDownInput {
  slo: DashboardSlo;
  deployments: ReadonlyArray<{ deployment: DashboardDeployment; mark: DeploymentMark; text: string }>;
  incidents: readonly DashboardIncident[];
  now: number;
  fit: boolean;
}

export function burnDownChart(input: BurnDownInput, width: number): ChartSpec {
  const { slo, deployments, incidents, now } = input;
  const colours = palette();
  const xs = slo.burnDown.map(([time]) => time / 1000);
  const ys = slo.burnDown.map(([, remaining]) => remaining * 100);
  const range = burnDownRange(ys, input.fit);
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
  const markColour: Record<DeploymentMark, string> = {
    degraded: colours.failedDeployment,
    failed: colours.failedUndegraded,
    ok: colours.deployment,
    other: colours.foreground,
  };
  const markDeployments = (u: uPlot) =>
    drawInPlotArea(u, (ctx, top, height) => {
      for (const { deployment, mark } of deployments) {
        const x = Math.round(u.valToPos(deployment.time / 1000, 'x', true));
        const style = MARK_STYLES[mark];
        ctx.setLineDash(style.dash.map((length) => length * uPlot.pxRatio));
        ctx.strokeStyle = markColour[mark];
        ctx.lineWidth = style.width * uPlot.pxRatio;
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
    const near = left === undefined || left < 0 ? undefined : deployments.find(({ deployment }) => Math.abs(u.valToPos(deployment.time / 1000, 'x') - left) <= HOVER_PX);
    u.over.title = near ? inertLine(near.text) : '';
  };
  const options: uPlot.Options = {
    width,
    height: 200,
    tzDate: utc,
    legend: { show: false },
    cursor: { drag: { x: false, y: false } },
    scales: {
      x: { time: true, range: [slo.windowStart / 1000, slo.windowEnd / 1000] },
      y: { range: () => range },
    },
    axes: axes(colours, { x: 'Time (UTC)', y: 'Budget remaining (%)' }, (values, step) => values.map((value) => formatPercentTick(value, step))),
    series: [{}, { label: 'Budget remaining', stroke: colours.line, width: 2 * uPlot.pxRatio, points: { show: false } }],
    hooks: { drawClear: [shadeIncidents], draw: [markDeployments], setCursor: [describeUnderCursor] },
  };
  return { options, data: [xs, ys] };
}

export function weeklyChart(
  weeks: number[],
  values: Array<number | null>,
  labels: { series: string; y: string },
  kind: 'bars' | 'line',
  width: number,
): ChartSpec {
  const colours = palette();
  const series: uPlot.Series =
    kind === 'bars'
      ? { label: labels.series, stroke: colours.bar, fill: colours.bar, paths: uPlot.paths.bars?.({ size: [0.6, 48] }), points: { show: false } }
      : { label: labels.series, stroke: colours.line, width: 2 * uPlot.pxRatio, spanGaps: false, points: { show: true, size: 5, fill: colours.line } };
  const options: uPlot.Options = {
    width,
    height: 170,
    tzDate: utc,
    legend: { show: false },
    cursor: { drag: { x: false, y: false } },
    scales: {
      x: { time: true, range: (_u, min, max) => [min - 3.5 * 86_400, max + 3.5 * 86_400] },
      y: { range: (_u, _min, max) => [0, Math.max(1, Math.ceil((max ?? 1) * 1.15))] },
    },
    axes: axes(colours, { x: 'Week (UTC)', y: labels.y }),
    series: [{}, series],
  };
  return { options, data: [weeks, values] };
}
