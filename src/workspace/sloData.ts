// SLI data for every SLO of a workspace, read once per source and evaluated by the pure engine:
// CSV files are streamed, each file once however many SLOs read it; Prometheus is asked per SLO.
import * as path from 'node:path';
import type { Policy, Problem, SloCounts, SloDefinition, SloReadMode, SloReport, SourceState, WorkspaceConfig } from '../core/model';
import { evaluateSlo, sloMaintenance } from '../core/slo';
import { policyOfService } from '../core/policy';
import { SloCountsAccumulator } from '../core/sloCounts';
import { evaluateCompositeSlo, readsPrometheus, sloDataReaders } from '../core/compositeSlo';
import { readCsvSamples, readCsvValues } from '../sources/csvSamples';
import type { CsvValueColumn, ValueSink } from '../sources/csvSamples';
import { dataPointExpected, goodPartOf, isValidDataPoint } from '../core/valueReadings';
import { plainReason } from '../sources/http/sourceError';
import { fetchSloCounts } from '../sources/prometheus';
import { openPrometheus, type RemoteSourceSettings, type TokenProvider } from '../sources/remoteSources';
import { PrometheusSession } from '../sources/prometheusSession';
import { chooseSloReadings, forgetRecordedSeries, readModeSummary, recordingRulesHint } from '../sources/prometheusRecords';
import { openWorkspaceFile } from '../sources/workspaceFiles';
import { RELIABILITY_FOLDER } from './definitions';

export interface SloDataResult {
  reports: SloReport[];
  problems: Problem[];
  sources: SourceState[];
}

export interface SloDataOptions {
  now: number;
  allowRemote: boolean;
  tokens?: TokenProvider;
  /** The user's connection settings; TLS verification for Prometheus comes from here only. */
  remoteSettings?: RemoteSourceSettings;
  signal?: AbortSignal;
  /**
   * Whether the burn-down buckets are wanted (default true): the editor asks for them only while the
   * dashboard is visible, since they are the one range query of a refresh.
   */
  burnDown?: boolean;
  /** Kept between refreshes (the editor's per folder; none: nothing is kept). */
  prometheusSession?: PrometheusSession;
  /**
   * The times a CSV pass also sums between, per SLO (core/deploymentImpact.ts impactBoundaries), so
   * the deployments' impact is read in the same pass; none: no interval sums.
   */
  impactTimes?: (def: SloDefinition) => readonly number[];
}

/**
 * Evaluates every SLO; an SLO whose data cannot be read still gets a report (no-data, with the reason).
 * A composite SLO has no data of its own: its objectives are read and evaluated as SLOs of their own,
 * and core/compositeSlo.ts makes the composite's report of theirs (DOMAIN.md section 2).
 */
export async function computeSloReports(root: string, config: WorkspaceConfig, slos: readonly SloDefinition[], options: SloDataOptions): Promise<SloDataResult> {
  const read = sloDataReaders(slos);
  const result = await computeReadSloReports(root, config, read, options);
  const reportOf = new Map(read.map((def, index) => [def, result.reports[index]]));
  const reports = slos.map((def) =>
    def.composite
      ? evaluateCompositeSlo(def, def.composite.objectives.map(({ definition, weight }) => ({ weight, report: reportOf.get(definition) as SloReport })), options.now)
      : (reportOf.get(def) as SloReport),
  );
  return { ...result, reports };
}

/** The reports of SLOs that read their own data (no composite), in the order of `slos`. */
async function computeReadSloReports(root: string, config: WorkspaceConfig, slos: readonly SloDefinition[], options: SloDataOptions): Promise<SloDataResult> {
  const problems: Problem[] = [];
  const sources: SourceState[] = [];
  const countsByName = new Map<SloDefinition, SloCounts>();
  const errors = new Map<SloDefinition, string>();
  const readModes = new Map<SloDefinition, SloReadMode>();

  const csvSlos = slos.filter(readsCsv);
  if (csvSlos.length > 0) {
    problems.push(...(await readCsvCounts(root, csvSlos, options.now, config.policy, countsByName, errors, options.impactTimes)));
  }


  const promSlos = slos.filter(readsPrometheus);
  if (promSlos.length > 0) {
    const state = await readPrometheusCounts(config, promSlos, options, countsByName, errors, readModes);
    sources.push(state);
  }

  const reports = slos.map((def) => {
    const counts = countsByName.get(def) ?? new SloCountsAccumulator(def, options.now).result();
    // The counts travel with the report: `explain` shows them, and they are the ones the numbers came from.
    const readMode = readModes.get(def);
    // cautionBelow may be the service's own (services[].policy): the status reads it (DOMAIN.md section 2).
    const policy = policyOfService(config.policy, config.services.find((service) => service.name === def.service)?.policy);
    const report = { ...evaluateSlo(def, counts, options.now, policy), counts, ...(readMode ? { readMode } : {}) };
    // A source that cannot be read (Datadog, a Sloth SLI plugin...) is no data, with the reason.
    if (def.indicator.type === 'unsupported') return { ...report, unsupported: def.indicator.reason };
    const error = errors.get(def);
    return error ? { ...report, error } : report;
  });
  return { reports, problems, sources };
}

function readsCsv(def: SloDefinition): boolean {
  return def.indicator.type === 'csv' || def.indicator.type === 'csv-values';
}

/**
 * What one pass over a CSV file reads, for the SLOs that share it: counts (`timestamp,good,total`), or
 * data points of a value column, whose values must be any finite number (thresholds) or ratios (raw).
 */
function csvReadKey(indicator: SloDefinition['indicator']): string {
  if (indicator.type === 'csv') return JSON.stringify([indicator.path, 'counts', indicator.goodColumn, indicator.totalColumn]);
  if (indicator.type === 'csv-values') return JSON.stringify([indicator.path, 'values', indicator.column, indicator.reading.kind]);
  throw new Error(`not a CSV indicator: ${indicator.type}`);
}

async function readCsvCounts(
  root: string,
  slos: readonly SloDefinition[],
  now: number,
  policy: Policy,
  into: Map<SloDefinition, SloCounts>,
  errors: Map<SloDefinition, string>,
  impactTimes?: (def: SloDefinition) => readonly number[],
): Promise<Problem[]> {
  // One read per (file, columns): SLOs that share a file and its columns share the pass.
  const groups = new Map<string, SloDefinition[]>();
  for (const def of slos) {
    if (!readsCsv(def)) continue;
    const key = csvReadKey(def.indicator);
    groups.set(key, [...(groups.get(key) ?? []), def]);
  }
  const problems: Problem[] = [];
  await Promise.all(
    [...groups.values()].map(async (group) => {
      const indicator = group[0].indicator as Extract<SloDefinition['indicator'], { type: 'csv' | 'csv-values' }>;
      // Each SLO leaves out its own service's maintenance, even when SLOs of two services share a file.
      const accumulators = group.map((def) => new SloCountsAccumulator(def, now, sloMaintenance(def, policy), impactTimes?.(def)));
      const sink =
        accumulators.length === 1
          ? accumulators[0].add.bind(accumulators[0])
          : (t: number, good: number, total: number, line: number) => {
              for (const acc of accumulators) acc.add(t, good, total, line);
            };
      const displayPath = path.posix.join(RELIABILITY_FOLDER, indicator.path);
      // The repository chose this path: only a regular file really inside .reliability/ is read.
      const opened = await openWorkspaceFile(path.join(root, RELIABILITY_FOLDER), indicator.path, { folderLabel: `${RELIABILITY_FOLDER}/`, root });
      if (!opened.ok) {
        // Told at the data file, like its rows' problems (a missing one also at its spec.path, by
        // definitions.ts), and on each SLO that reads it, whose report would otherwise look merely empty.
        const message =
          opened.kind === 'not-found' ? `cannot read ${displayPath}: file not found` : `${displayPath} ${opened.reason}; it is not read`;
        problems.push({ file: displayPath, line: 0, column: 0, severity: 'error', message });
        for (const def of group) errors.set(def, `its data file was not read: ${displayPath} ${opened.reason}`);
        return;
      }
      try {
        const result =
          indicator.type === 'csv'
            ? await readCsvSamples(opened.handle, sink, { goodColumn: indicator.goodColumn, totalColumn: indicator.totalColumn, displayPath })
            : await readCsvValues(opened.handle, valueColumn(indicator), valueSink(group, accumulators), { displayPath });
        // Bounded: the reader reports a fixed number of bad rows, then one summary.
        problems.push(...result.problems);
      } finally {
        await opened.handle.close();
      }
      group.forEach((def, i) => into.set(def, accumulators[i].result()));
    }),
  );
  return problems;
}

/** The value column of SLOs that share a read: their readings are all thresholds, or all raw (csvReadKey). */
function valueColumn(indicator: Extract<SloDefinition['indicator'], { type: 'csv-values' }>): CsvValueColumn {
  const reading = indicator.reading;
  return { name: indicator.column, accepts: (value) => isValidDataPoint(reading, value), expected: dataPointExpected(reading) };
}

/** Each data point is one event, good as its SLO's reading says (core/valueReadings.ts): add(t, good, 1). */
function valueSink(group: readonly SloDefinition[], accumulators: readonly SloCountsAccumulator[]): ValueSink {
  const readings = group.map((def) => (def.indicator as Extract<SloDefinition['indicator'], { type: 'csv-values' }>).reading);
  return (timestamp, value, line) => {
    for (let index = 0; index < accumulators.length; index++) accumulators[index].add(timestamp, goodPartOf(readings[index], value), 1, line);
  };
}

async function readPrometheusCounts(
  config: WorkspaceConfig,
  slos: readonly SloDefinition[],
  options: SloDataOptions,
  into: Map<SloDefinition, SloCounts>,
  errors: Map<SloDefinition, string>,
  readModes: Map<SloDefinition, SloReadMode>,
): Promise<SourceState> {
  if (!options.allowRemote) {
    const message = 'remote sources are off (untrusted workspace or --offline)';
    for (const def of slos) errors.set(def, message);
    return { name: 'prometheus', state: 'disabled', message };
  }
  const opened = await openPrometheus(config.slis.prometheus, options.tokens ?? (async () => undefined), options.signal, options.remoteSettings);
  if ('state' in opened) {
    for (const def of slos) errors.set(def, opened.state.message ?? opened.state.state);
    return opened.state;
  }
  const { client } = opened;
  const host = client.host;
  // Without the editor's session (a CLI command) a session of one refresh: nothing outlives the command.
  const session = options.prometheusSession ?? new PrometheusSession();
  const readings = await chooseSloReadings(client, slos, options.now, config.slis.prometheus?.mode ?? 'auto', session);
  const results = await Promise.allSettled(
    slos.map((def, index) =>
      fetchSloCounts(client, def, options.now, {
        maintenance: sloMaintenance(def, config.policy),
        burnDown: options.burnDown,
        queries: readings[index].queries,
        session: options.prometheusSession,
      }),
    ),
  );
  const failures: string[] = [];
  results.forEach((result, i) => {
    readModes.set(slos[i], readings[i].mode);
    if (result.status === 'fulfilled') into.set(slos[i], result.value);
    else {
      const reason = plainReason(result.reason, 'Prometheus');
      errors.set(slos[i], reason);
      failures.push(reason);
    }
  });
  // A failed refresh may mean the rules were removed or the server changed: ask again next time.
  if (failures.length > 0) forgetRecordedSeries(session, client);
  const load = { ...client.load };
  const modes = readings.map((reading) => reading.mode);
  const hint = recordingRulesHint(modes);
  const advice = hint === undefined ? {} : { hint };
  if (failures.length === 0) return { name: 'prometheus', host, state: 'ok', message: readModeSummary(modes), lastSuccess: options.now, load, ...advice };
  return { name: 'prometheus', host, state: 'failing', message: failures[0], load, ...advice };
}
