// Small typed builders for `.reliability/` folders and SLI CSV files in temporary directories.
// Tests that check line and column numbers write YAML line by line (yamlLines) so positions are visible
// in the test itself; tests that only need valid content use the typed document builders.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { stringify } from 'yaml';

export interface WorkspaceFiles {
  /** Text of `.reliability/config.yaml`; omitted: no config file. */
  config?: string;
  /** File name under `.reliability/slos/` -> text. */
  slos?: Record<string, string>;
  incidents?: string;
  deployments?: string;
  /** Path under `.reliability/` (e.g. `data/checkout.csv`) -> text. */
  data?: Record<string, string>;
}

const createdFolders: string[] = [];

/** A fresh temporary folder; removed by removeTemporaryFolders(). */
export function temporaryFolder(prefix = 'reliability-lens-'): string {
  const folder = mkdtempSync(join(tmpdir(), prefix));
  createdFolders.push(folder);
  return folder;
}

export function removeTemporaryFolders(): void {
  for (const folder of createdFolders.splice(0)) rmSync(folder, { recursive: true, force: true });
}

export function writeFile(root: string, relativePath: string, text: string): string {
  const path = join(root, relativePath);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  return path;
}

/** A workspace root holding a `.reliability/` folder with exactly the given files. */
export function buildWorkspace(files: WorkspaceFiles): string {
  const root = temporaryFolder('reliability-workspace-');
  mkdirSync(join(root, '.reliability'));
  if (files.config !== undefined) writeFile(root, '.reliability/config.yaml', files.config);
  for (const [name, text] of Object.entries(files.slos ?? {})) writeFile(root, `.reliability/slos/${name}`, text);
  if (files.incidents !== undefined) writeFile(root, '.reliability/incidents.yaml', files.incidents);
  if (files.deployments !== undefined) writeFile(root, '.reliability/deployments.yaml', files.deployments);
  for (const [path, text] of Object.entries(files.data ?? {})) writeFile(root, `.reliability/${path}`, text);
  return root;
}

/** Lines joined with `\n` and a final newline: line N of the file is argument N. */
export function yamlLines(...lines: string[]): string {
  return `${lines.join('\n')}\n`;
}

/** Several YAML documents in one file. */
export function yamlDocuments(...documents: object[]): string {
  return documents.map((document) => stringify(document)).join('---\n');
}

// ---- Typed document builders ------------------------------------------------------------------

export interface CsvMetric {
  path: string;
  goodColumn?: string;
  totalColumn?: string;
}

export interface OpenSloSloOptions {
  name: string;
  service: string;
  displayName?: string;
  description?: string;
  /** A window object as OpenSLO writes it; default `{duration: 28d, isRolling: true}`. */
  timeWindow?: Record<string, unknown>;
  budgetingMethod?: 'Occurrences' | 'Timeslices';
  objectives?: Array<Record<string, unknown>>;
  /** Inline CSV ratio metric, or a reference to an SLI document. */
  indicator: { csv: CsvMetric } | { prometheus: { good: string; total: string } } | { ref: string };
}

function csvMetricSource(metric: CsvMetric, column: string | undefined) {
  return { metricSource: { type: 'CSV', spec: column === undefined ? { path: metric.path } : { path: metric.path, column } } };
}

export function ratioMetricFor(indicator: { csv: CsvMetric } | { prometheus: { good: string; total: string } }) {
  if ('csv' in indicator) {
    return {
      counter: true,
      good: csvMetricSource(indicator.csv, indicator.csv.goodColumn),
      total: csvMetricSource(indicator.csv, indicator.csv.totalColumn),
    };
  }
  return {
    counter: true,
    good: { metricSource: { type: 'Prometheus', spec: { query: indicator.prometheus.good } } },
    total: { metricSource: { type: 'Prometheus', spec: { query: indicator.prometheus.total } } },
  };
}

export function openSloSlo(options: OpenSloSloOptions): object {
  const spec: Record<string, unknown> = { service: options.service };
  if (options.description !== undefined) spec.description = options.description;
  if ('ref' in options.indicator) spec.indicatorRef = options.indicator.ref;
  else spec.indicator = { metadata: { name: `${options.name}-sli` }, spec: { ratioMetric: ratioMetricFor(options.indicator) } };
  spec.timeWindow = [options.timeWindow ?? { duration: '28d', isRolling: true }];
  if (options.budgetingMethod !== undefined) spec.budgetingMethod = options.budgetingMethod;
  spec.objectives = options.objectives ?? [{ target: 0.999 }];
  const metadata: Record<string, unknown> = { name: options.name };
  if (options.displayName !== undefined) metadata.displayName = options.displayName;
  return { apiVersion: 'openslo/v1', kind: 'SLO', metadata, spec };
}

export function openSloSli(name: string, ratioMetric: object): object {
  return { apiVersion: 'openslo/v1', kind: 'SLI', metadata: { name }, spec: { ratioMetric } };
}

export function openSloDataSource(name: string, type: 'CSV' | 'Prometheus', connectionDetails: Record<string, unknown>): object {
  return { apiVersion: 'openslo/v1', kind: 'DataSource', metadata: { name }, spec: { type, connectionDetails } };
}

export interface SlothSloOptions {
  name: string;
  objective: number;
  errorQuery: string;
  totalQuery: string;
  description?: string;
}

export function slothSpec(service: string, slos: SlothSloOptions[]): object {
  return {
    version: 'prometheus/v1',
    service,
    slos: slos.map((slo) => ({
      name: slo.name,
      objective: slo.objective,
      ...(slo.description === undefined ? {} : { description: slo.description }),
      sli: { events: { error_query: slo.errorQuery, total_query: slo.totalQuery } },
    })),
  };
}

// ---- CSV ----------------------------------------------------------------------------------------------

export interface CsvOptions {
  header?: string;
  lineEnding?: '\n' | '\r\n';
  byteOrderMark?: boolean;
  finalNewline?: boolean;
}

/** A CSV of SLI counts; rows are written as given (strings allowed, to build bad rows). */
export function csvText(rows: Array<Array<string | number>>, options: CsvOptions = {}): string {
  const lineEnding = options.lineEnding ?? '\n';
  const lines = [options.header ?? 'timestamp,good,total', ...rows.map((row) => row.join(','))];
  const body = lines.join(lineEnding) + (options.finalNewline === false ? '' : lineEnding);
  return (options.byteOrderMark ? '\uFEFF' : '') + body;
}

/**
 * 1-based line and column of the `occurrence`-th appearance of `needle` in `text`: lets a test say
 * where a problem is ("at `step`") instead of counting characters by hand.
 */
export function positionOf(text: string, needle: string, occurrence = 1): { line: number; column: number } {
  let offset = -1;
  for (let found = 0; found < occurrence; found++) {
    offset = text.indexOf(needle, offset + 1);
    if (offset === -1) throw new Error(`"${needle}" occurs fewer than ${occurrence} times`);
  }
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}
