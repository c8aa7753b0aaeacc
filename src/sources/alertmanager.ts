// Alertmanager as an incident source: every alert that is firing now and neither silenced nor
// inhibited is an open incident (GET /api/v2/alerts). Alertmanager forgets resolved alerts, so this
// source only ever contributes open incidents; history comes from the other sources.
//
// Severity: the `severity` label (option `severityLabel`) is mapped as follows, after any
// `severityMap` entries (e.g. `["critical=SEV2"]`) from config.yaml:
//   SEV1..SEV5, P1..P5, 1..5                 -> that severity
//   critical, page, fatal, emergency, disaster -> SEV1  (the top of the usual critical/warning/info scale;
//                                                       Sloth labels its fast-burn alerts `page`)
//   error, high, major                       -> SEV2
//   warning, warn, medium, ticket            -> SEV3  (Sloth's slow-burn alerts are `ticket`)
//   low, minor                               -> SEV4
//   info, informational, notice, none, debug -> SEV5
//   missing or anything else                 -> SEV3: a firing alert cautions merges but, unnamed,
//                                               does not freeze them (the default freeze is SEV2).
//
// Each alert is checked on its own (http/remoteRecords.ts): one with an unreadable start time is left
// out with the reason, and the others still count.
import { z } from 'zod';
import type { Incident, IncidentSourceConfig, Severity } from '../core/model';
import type { HttpClient } from './http/httpClient';
import { checkRecords, nonEmptyText, recordLabel, recordName, remoteTime } from './http/remoteRecords';
import type { CheckedRecords } from './http/remoteRecords';
import { explicitSeverity, mapped, optionMapping, optionString, optionStrings } from './http/sourceOptions';

const gettableAlert = z.object({
  fingerprint: nonEmptyText,
  startsAt: remoteTime,
  endsAt: z.string().optional(),
  updatedAt: z.string().optional(),
  labels: z.record(z.string(), z.string()),
  annotations: z.record(z.string(), z.string()).optional(),
  generatorURL: z.string().optional(),
  status: z.object({
    state: z.enum(['unprocessed', 'active', 'suppressed']),
    silencedBy: z.array(z.string()).nullish(),
    inhibitedBy: z.array(z.string()).nullish(),
  }),
});
/** The answer is checked as a whole; its alerts one by one. */
const alertsResponse = z.array(z.unknown());
const statusResponse = z.object({ versionInfo: z.object({ version: z.string() }).loose() }).loose();

export interface AlertmanagerSourceOptions {
  /** Label naming the service; default `service`. */
  serviceLabel: string;
  /** Label naming the severity; default `severity`. */
  severityLabel: string;
  /** Label values -> our service names (`alertmanager-service=our-service`). */
  serviceMap: ReadonlyMap<string, string>;
  /** Label values -> severities, before the built-in words. */
  severityMap: ReadonlyMap<string, string>;
  /** Service of an alert without the service label. */
  defaultService: string;
  /** Alertmanager matchers (`team="payments"`) narrowing the alerts read. */
  filter: string[];
  /** Only alerts routed to this receiver (a regex, as the API takes it). */
  receiver?: string;
}

const SEVERITY_WORDS: Record<string, Severity> = {
  critical: 'SEV1',
  page: 'SEV1',
  fatal: 'SEV1',
  emergency: 'SEV1',
  disaster: 'SEV1',
  error: 'SEV2',
  high: 'SEV2',
  major: 'SEV2',
  warning: 'SEV3',
  warn: 'SEV3',
  medium: 'SEV3',
  ticket: 'SEV3',
  low: 'SEV4',
  minor: 'SEV4',
  info: 'SEV5',
  informational: 'SEV5',
  notice: 'SEV5',
  none: 'SEV5',
  debug: 'SEV5',
};

export function alertmanagerOptions(source: IncidentSourceConfig): AlertmanagerSourceOptions {
  const options = source.options;
  return {
    serviceLabel: optionString(options, 'serviceLabel') ?? 'service',
    severityLabel: optionString(options, 'severityLabel') ?? 'severity',
    serviceMap: optionMapping(options, 'serviceMap'),
    severityMap: optionMapping(options, 'severityMap'),
    defaultService: optionString(options, 'defaultService') ?? 'unassigned',
    filter: optionStrings(options, 'filter'),
    receiver: optionString(options, 'receiver'),
  };
}

export function severityFromAlertLabel(value: string | undefined, severityMap: ReadonlyMap<string, string> = new Map()): Severity {
  const fromMap = explicitSeverity(mapped(severityMap, value));
  if (fromMap) return fromMap;
  const explicit = explicitSeverity(value);
  if (explicit) return explicit;
  return (value && SEVERITY_WORDS[value.trim().toLowerCase()]) || 'SEV3';
}

/** Open incidents: alerts firing now, not silenced and not inhibited. */
export async function fetchAlertmanagerIncidents(client: HttpClient, options: AlertmanagerSourceOptions): Promise<CheckedRecords<Incident>> {
  const response = await client.getJson('api/v2/alerts', alertsResponse, {
    active: true,
    silenced: false,
    inhibited: false,
    filter: options.filter,
    receiver: options.receiver,
  });
  const alerts = checkRecords(response.data, gettableAlert, (item, index) => recordName('alert', withPrefix(recordLabel(item, 'fingerprint')), index));
  const incidents: Incident[] = [];
  for (const alert of alerts.records) {
    // The filters above already exclude them; checked again because a proxy or an older
    // Alertmanager may ignore query parameters, and a silenced alert must never freeze a merge.
    if (alert.status.state === 'suppressed') continue;
    if ((alert.status.silencedBy?.length ?? 0) > 0 || (alert.status.inhibitedBy?.length ?? 0) > 0) continue;
    const serviceLabel = alert.labels[options.serviceLabel];
    incidents.push({
      id: `AM-${alert.fingerprint}`,
      title: alert.annotations?.summary ?? alert.labels.alertname ?? `alert ${alert.fingerprint}`,
      severity: severityFromAlertLabel(alert.labels[options.severityLabel], options.severityMap),
      service: mapped(options.serviceMap, serviceLabel) ?? serviceLabel ?? options.defaultService,
      startedAt: alert.startsAt,
      resolvedAt: null,
      url: alert.generatorURL || undefined,
      commits: [],
      files: [],
      source: 'alertmanager',
    });
  }
  return { records: incidents, problems: alerts.problems };
}

function withPrefix(fingerprint: string | undefined): string | undefined {
  return fingerprint === undefined ? undefined : `AM-${fingerprint}`;
}

/** GET /api/v2/status, for the `sources` command. */
export async function checkAlertmanager(client: HttpClient): Promise<{ version: string }> {
  const response = await client.getJson('api/v2/status', statusResponse);
  return { version: response.data.versionInfo.version };
}
