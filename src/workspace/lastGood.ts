// The last good answer of each remote source, for a long-lived process (the editor): when a source fails,
// what it last returned stays visible, marked stale since then, instead of disappearing. The CLI answers
// once and does not keep one.
import type { Deployment, Incident, SloReport, SourceState } from '../core/model';

interface Kept<T> {
  value: T;
  at: number;
}

export interface RemoteAnswer {
  incidents: Incident[];
  deployments: Deployment[];
  states: SourceState[];
}

/** State names of sources whose answers can go stale, and what each contributed. */
const GITHUB_DEPLOYMENTS = 'github-deployments';

function staleState(state: SourceState, since: number): SourceState {
  return { ...state, state: 'stale', lastSuccess: since, message: state.message ? `showing data from before the failure: ${state.message}` : undefined };
}

export class LastGoodData {
  private readonly incidentsBySource = new Map<string, Kept<Incident[]>>();
  private deployments: Kept<Deployment[]> | null = null;
  private readonly sloReports = new Map<string, Kept<SloReport>>();

  /** Keeps what each healthy source returned, and puts back what a failing one returned last time. */
  applyToRemote(answer: RemoteAnswer, now: number): RemoteAnswer {
    const incidents = [...answer.incidents];
    let deployments = answer.deployments;
    const states = answer.states.map((state) => {
      if (state.state === 'ok') {
        if (state.name === GITHUB_DEPLOYMENTS) this.deployments = { value: answer.deployments, at: now };
        else this.incidentsBySource.set(state.name, { value: answer.incidents.filter((i) => i.source === state.name), at: now });
        return state;
      }
      if (state.state !== 'failing') return state;
      // A failing source may still have answered with its valid records (some others could not be
      // read): those are fresher and stay; the kept ones only fill in what is missing.
      if (state.name === GITHUB_DEPLOYMENTS && this.deployments) {
        const fresh = new Set(deployments.map((deployment) => deployment.name));
        deployments = [...deployments, ...this.deployments.value.filter((deployment) => !fresh.has(deployment.name))];
        return staleState(state, this.deployments.at);
      }
      const kept = this.incidentsBySource.get(state.name);
      if (!kept) return state;
      const fresh = new Set(answer.incidents.filter((incident) => incident.source === state.name).map((incident) => incident.id));
      for (const incident of kept.value) if (!fresh.has(incident.id)) incidents.push(incident); // not push(...): the list is unbounded
      return staleState(state, kept.at);
    });
    return { incidents, deployments, states };
  }

  /** Keeps SLO reports read without error; an SLO whose source fails shows its last good numbers, stale. */
  applyToSloReports(reports: readonly SloReport[], states: readonly SourceState[], now: number): { reports: SloReport[]; states: SourceState[] } {
    let staleSince: number | null = null;
    const result = reports.map((report) => {
      // An SLO is its service and name (two services may each have an SLO of the same name in one file).
      const key = JSON.stringify([report.file, report.service, report.name]);
      if (!report.error) {
        this.sloReports.set(key, { value: report, at: now });
        return report;
      }
      const kept = this.sloReports.get(key);
      if (!kept) return report;
      staleSince = staleSince === null ? kept.at : Math.min(staleSince, kept.at);
      return { ...kept.value, error: report.error, staleSince: kept.at };
    });
    const since = staleSince;
    return {
      reports: result,
      states: states.map((s) => (s.name === 'prometheus' && s.state === 'failing' && since !== null ? staleState(s, since) : s)),
    };
  }
}
