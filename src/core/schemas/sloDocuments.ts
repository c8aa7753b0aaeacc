// Which schema a document in `.reliability/slos/` needs: OpenSLO v1 or v1alpha (openSlo.ts,
// openSloV1alpha.ts) or Sloth, plain or Kubernetes (sloth.ts).
import { SLOTH_KUBERNETES_API_VERSION, SLOTH_KUBERNETES_KIND } from './sloth';

export type SloDocumentKind = 'Service' | 'SLO' | 'SLI' | 'DataSource' | 'AlertPolicy' | 'AlertCondition' | 'v1alpha Service' | 'v1alpha SLO' | 'sloth' | 'sloth kubernetes';

/** OpenSLO kinds that are valid but say nothing Reliability Lens uses. */
const IGNORED_OPENSLO_KINDS = ['AlertNotificationTarget'];

/** The openslo/v1 kinds that are read (alert policies give an SLO its alert rules, DOMAIN.md section 2). */
export const OPENSLO_V1_KINDS_EXPECTED = 'one of Service, SLO, SLI, DataSource, AlertPolicy, AlertCondition';

export type SloDocumentClassification =
  | { kind: SloDocumentKind }
  | { ignoredKind: string }
  | { path: Array<string | number>; expected: string };

const API_VERSIONS = ['openslo/v1', 'openslo/v1alpha', SLOTH_KUBERNETES_API_VERSION];

export const SLO_DOCUMENT_EXPECTED =
  `an OpenSLO document (apiVersion: openslo/v1 or openslo/v1alpha) or a Sloth spec (version: prometheus/v1, or apiVersion: ${SLOTH_KUBERNETES_API_VERSION})`;

export function classifySloDocument(data: unknown): SloDocumentClassification {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return { path: [], expected: SLO_DOCUMENT_EXPECTED };
  const document = data as Record<string, unknown>;
  const kind = document.kind;
  if ('apiVersion' in document) {
    switch (document.apiVersion) {
      case 'openslo/v1':
        if (kind === 'Service' || kind === 'SLO' || kind === 'SLI' || kind === 'DataSource' || kind === 'AlertPolicy' || kind === 'AlertCondition') return { kind };
        if (typeof kind === 'string' && IGNORED_OPENSLO_KINDS.includes(kind)) return { ignoredKind: kind };
        return { path: ['kind'], expected: OPENSLO_V1_KINDS_EXPECTED };
      case 'openslo/v1alpha':
        // The older OpenSLO form knows only these two kinds.
        if (kind === 'Service') return { kind: 'v1alpha Service' };
        if (kind === 'SLO') return { kind: 'v1alpha SLO' };
        return { path: ['kind'], expected: 'one of Service, SLO (openslo/v1alpha)' };
      case SLOTH_KUBERNETES_API_VERSION:
        if (kind === SLOTH_KUBERNETES_KIND) return { kind: 'sloth kubernetes' };
        return { path: ['kind'], expected: JSON.stringify(SLOTH_KUBERNETES_KIND) };
      default:
        return { path: ['apiVersion'], expected: `one of ${API_VERSIONS.map((version) => JSON.stringify(version)).join(', ')}` };
    }
  }
  if ('version' in document) {
    if (document.version === 'prometheus/v1') return { kind: 'sloth' };
    return { path: ['version'], expected: '"prometheus/v1" (a Sloth spec)' };
  }
  return { path: [], expected: SLO_DOCUMENT_EXPECTED };
}
