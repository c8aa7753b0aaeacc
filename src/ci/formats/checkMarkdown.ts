// `check --format markdown`: the merge check as a note on a merge request (GitHub's job summary and
// pull request comment, GitLab, Bitbucket). The verdict comes first; then a table per touched
// service with each SLO's budget and alerts, the incidents and other findings against it; the full
// reasons and the changed files fold into <details>. Every value is escaped (markdownText.ts).
import { findingFails, type FailOn } from '../../core/gateOutcome';
import { formatAge, formatAlertRule, formatBudgetPercent, formatRatioPercent, formatUtc } from '../../core/format';
import type { Incident, MergeFinding, Verdict } from '../../core/model';
import type { MergeCheckResult } from '../../workspace/engine';
import { checkSections, exemptionLabels, type ServiceSection } from './checkSections';
import { markdownLink, markdownText } from './markdownText';

const VERDICT_HEADINGS: Record<Verdict, string> = {
  go: '🟢 Can I merge? **GO**',
  caution: '🟡 Can I merge? **CAUTION**',
  freeze: '🔴 Can I merge? **FREEZE**',
};

const EFFECT_WORDS: Record<MergeFinding['effect'], string> = { freeze: '🔴 freeze', caution: '🟡 caution' };

/** How many changed files the evidence lists before "and N more" (a note has a size limit: 65,536 characters on GitHub). */
const FILES_LISTED = 100;

export function renderCheckMarkdown(result: MergeCheckResult, failOn: FailOn): string {
  const sections = checkSections(result);
  const lines: string[] = [`### ${VERDICT_HEADINGS[result.verdict]}`, ''];
  const services = result.services.length > 0 ? result.services.map(markdownText).join(', ') : 'none';
  const compared = result.base === null ? 'services named' : `compared with ${markdownText(result.base)}`;
  lines.push(`Services: ${services} · ${compared} · as of ${markdownText(formatUtc(result.now))}`, '');
  const exemptions = exemptionLabels(result);
  if (exemptions.length > 0) lines.push(`**${exemptions.map(markdownText).join('; ')}**: the freeze below does not hold for this change.`, '');
  if (result.services.length === 0) lines.push(markdownText(result.reasons[0]), '');
  for (const section of sections.services) lines.push(...serviceLines(section, result, failOn));
  if (sections.general.length > 0) {
    lines.push('#### Every service', '');
    for (const finding of sections.general) lines.push(`- ${effectWords(finding, result, failOn)}: ${markdownText(finding.reason)}`);
    lines.push('');
  }
  lines.push(...evidenceLines(result));
  return lines.join('\n');
}

function serviceLines(section: ServiceSection, result: MergeCheckResult, failOn: FailOn): string[] {
  const exempt = section.effect === 'freeze' && exemptionLabels(result).length > 0 ? ' (exempt)' : '';
  const state = section.effect === null ? '🟢 ok' : `${EFFECT_WORDS[section.effect]}${exempt}`;
  const lines = [`#### ${markdownText(section.service)}: ${state}`, ''];
  if (section.slos.length === 0) {
    lines.push('No SLO.', '');
  } else {
    // Plain markdown in the cells (no <br>): Bitbucket renders no HTML at all.
    lines.push('| SLO | Status | Budget remaining | SLI / objective | Alerts firing |', '| --- | --- | --- | --- | --- |');
    for (const { report } of section.slos) {
      const alerts = report.alerts.length > 0 ? report.alerts.map((alert) => markdownText(formatAlertRule(alert))).join(', ') : 'none';
      const sli = `${markdownText(formatRatioPercent(report.sli))} / ${markdownText(formatRatioPercent(report.objective))}`;
      lines.push(`| ${markdownText(report.name)} | ${markdownText(report.status)} | ${markdownText(formatBudgetPercent(report.budget.remaining))} | ${sli} | ${alerts} |`);
    }
    lines.push('');
  }
  const listed = [...section.slos.flatMap((slo) => slo.findings), ...section.other];
  for (const finding of listed) lines.push(`- ${effectWords(finding, result, failOn)}: ${findingText(finding, result)}`);
  if (listed.length > 0) lines.push('');
  return lines;
}

/** An incident finding shows the incident (linked when it has an http(s) page); other findings their reason. */
function findingText(finding: MergeFinding, result: MergeCheckResult): string {
  if (finding.subject.kind !== 'incident') return markdownText(finding.reason);
  const id = finding.subject.incident;
  const incident: Incident | undefined = result.openIncidents.find((candidate) => candidate.id === id && candidate.service === finding.service);
  if (incident === undefined) return markdownText(finding.reason);
  const age = formatAge(incident.startedAt, result.now);
  return `${markdownLink(incident.id, incident.url)} (${markdownText(incident.severity)}, opened ${markdownText(age)}): ${markdownText(incident.title)}`;
}

function effectWords(finding: MergeFinding, result: MergeCheckResult, failOn: FailOn): string {
  const words = `**${EFFECT_WORDS[finding.effect]}**`;
  if (finding.effect === 'freeze' && exemptionLabels(result).length > 0) return `${words} (exempt)`;
  return findingFails(finding, result.verdict, failOn) ? `${words} (fails the gate)` : words;
}

function evidenceLines(result: MergeCheckResult): string[] {
  const files = result.changedFiles;
  const summary = `Evidence: ${result.reasons.length} reason${result.reasons.length === 1 ? '' : 's'}, ${files.length} changed file${files.length === 1 ? '' : 's'}`;
  const lines = ['<details>', `<summary>${summary}</summary>`, '', '**Reasons**', ''];
  for (const reason of result.reasons) lines.push(`- ${markdownText(reason)}`);
  if (files.length > 0) {
    lines.push('', '**Changed files** (services)', '');
    for (const file of files.slice(0, FILES_LISTED)) {
      const services = file.services.length > 0 ? file.services.map(markdownText).join(', ') : 'no service';
      lines.push(`- ${markdownText(file.path)} (${services})`);
    }
    if (files.length > FILES_LISTED) lines.push(`- and ${files.length - FILES_LISTED} more`);
  }
  lines.push('', '</details>', '');
  return lines;
}
