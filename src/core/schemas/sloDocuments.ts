// Which schema a document in `.reliability/slos/` needs: OpenSLO (openSlo.ts) or Sloth (sloth.ts).

export type SloDocumentKind = 'Service' | 'SLO' | 'SLI' | 'DataSource' | 'sloth';

/** OpenSLO kinds that are valid but say nothing Reliability Lens uses. */
const IGNORED_OPENSLO_KINDS = ['AlertPolicy', 'AlertCondition', 'AlertNotificationTarget'];

export type SloDocumentClassification =
  | { kind: SloDocumentKind }
  | { ignoredKind: string }
  | { path: Array<string | number>; expected: string };

export function classifySloDocument(data: unknown): SloDocumentClassification {
  const whatIsExpected = 'an OpenSLO document (apiVersion: openslo/v1) or a Sloth spec (version: prometheus/v1)';
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return { path: [], expected: whatIsExpected };
  const document = data as Record<string, unknown>;
  if ('apiVersion' in document) {
    if (document.apiVersion !== 'openslo/v1') return { path: ['apiVersion'], expected: '"openslo/v1"' };
    const kind = document.kind;
    if (kind === 'Service' || kind === 'SLO' || kind === 'SLI' || kind === 'DataSource') return { kind };
    if (typeof kind === 'string' && IGNORED_OPENSLO_KINDS.includes(kind)) return { ignoredKind: kind };
    return { path: ['kind'], expected: 'one of Service, SLO, SLI, DataSource' };
  }
  if ('version' in document) {
    if (document.version === 'prometheus/v1') return { kind: 'sloth' };
    return { path: ['version'], expected: '"prometheus/v1" (a Sloth spec)' };
  }
  return { path: [], expected: whatIsExpected };
}
