// The merge check's result grouped the way every CI report shows it: per touched service, its SLOs
// with the findings about each, its other findings (incidents, suspect deployments) and its changed
// files. The reports only arrange and escape; which finding belongs where is decided here, once.
import { exemptionText } from '../../core/mergeCheck';
import type { MergeFinding } from '../../core/model';
import type { CheckedSlo, MergeCheckResult } from '../../workspace/engine';

export interface SloSection {
  report: CheckedSlo;
  findings: MergeFinding[];
}

export interface ServiceSection {
  service: string;
  /** The strongest effect among the service's findings (the general ones included); null: nothing against it. */
  effect: MergeFinding['effect'] | null;
  slos: SloSection[];
  /** Findings about the service that are not about one of its SLOs: incidents, suspect deployments. */
  other: MergeFinding[];
  /** The change's files that belong to the service. */
  files: string[];
}

export interface CheckSections {
  services: ServiceSection[];
  /** Findings about every touched service at once (an incident source that did not answer). */
  general: MergeFinding[];
}

export function checkSections(result: MergeCheckResult): CheckSections {
  const general = result.findings.filter((finding) => finding.service === null);
  const services = result.services.map((service): ServiceSection => {
    const own = result.findings.filter((finding) => finding.service === service);
    const slos = result.slos
      .filter((slo) => slo.service === service)
      .map((report) => ({ report, findings: own.filter((finding) => finding.subject.kind === 'slo' && finding.subject.slo === report.name) }));
    const onSlos = new Set(slos.flatMap((slo) => slo.findings));
    const effects = [...own, ...general].map((finding) => finding.effect);
    return {
      service,
      effect: effects.includes('freeze') ? 'freeze' : effects.includes('caution') ? 'caution' : null,
      slos,
      other: own.filter((finding) => !onSlos.has(finding)),
      files: result.changedFiles.filter((file) => file.services.includes(service)).map((file) => file.path),
    };
  });
  return { services, general };
}

/** What a finding is about, in a few words: `SLO checkout-availability`, `incident INC-7`. */
export function subjectLabel(finding: MergeFinding): string {
  const subject = finding.subject;
  switch (subject.kind) {
    case 'slo':
      return `SLO ${subject.slo}`;
    case 'incident':
      return `incident ${subject.incident}`;
    case 'deployment':
      return `deployment ${subject.deployment}`;
    case 'source':
      return `incident source ${subject.source}`;
    case 'change':
      return 'the change';
  }
}

/** The exemptions that let a freeze through, as the verdict's first reasons say them; empty when none did. */
export function exemptionLabels(result: MergeCheckResult): string[] {
  return (result.exemptions ?? []).map(exemptionText);
}
