// `check --format junit`: the merge check as a JUnit XML report for CI systems that show test results
// (GitLab, Jenkins, Azure Pipelines, CircleCI). One test case per touched service (its incidents,
// suspect deployments, incident sources) and one per SLO of it; a case fails when one of its findings
// fails the gate (core/gateOutcome.ts: freezes, and cautions under --strict / --fail-on caution).
// Findings that do not fail it are in the case's <system-out>, so they are read, not lost. Values are
// made inert (no escape sequence, control or bidi character: the report is also read in terminals and
// CI logs) and then escaped for XML.
import { findingFails, type FailOn } from '../../core/gateOutcome';
import { formatBudgetPercent } from '../../core/format';
import type { MergeFinding } from '../../core/model';
import type { MergeCheckResult } from '../../workspace/engine';
import { checkSections, exemptionLabels } from './checkSections';
import { inertLines } from '../../core/inertText';
import { xmlAttribute, xmlText } from './xmlText';

interface TestCase {
  classname: string;
  name: string;
  findings: MergeFinding[];
  /** What the case checked, for <system-out> when nothing is against it. */
  passed: string;
}

const SUITE = 'reliability-lens check';

export function renderCheckJunit(result: MergeCheckResult, failOn: FailOn): string {
  const sections = checkSections(result);
  const exemptions = exemptionLabels(result);
  const cases: TestCase[] = [];
  for (const section of sections.services) {
    cases.push({
      classname: section.service,
      name: `service ${section.service}`,
      findings: [...section.other, ...sections.general],
      passed: `no open incident, suspect deployment or silent incident source on ${section.service}`,
    });
    for (const slo of section.slos) {
      cases.push({
        classname: section.service,
        name: `SLO ${slo.report.name}`,
        findings: slo.findings,
        passed: `SLO ${slo.report.name} is ${slo.report.status} (budget remaining ${formatBudgetPercent(slo.report.budget.remaining)})`,
      });
    }
  }
  if (cases.length === 0) cases.push({ classname: SUITE, name: 'touched services', findings: [], passed: result.reasons.join('\n') });

  const failing = (testCase: TestCase) => testCase.findings.filter((finding) => findingFails(finding, result.verdict, failOn));
  const failures = cases.filter((testCase) => failing(testCase).length > 0).length;
  const counts = `tests="${cases.length}" failures="${failures}" errors="0" skipped="0"`;
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${SUITE}" ${counts}>`,
    `  <testsuite name="${SUITE}" ${counts} timestamp="${new Date(result.now).toISOString()}">`,
    '    <properties>',
    `      <property name="verdict" value="${result.verdict}"/>`,
    `      <property name="failOn" value="${failOn}"/>`,
    ...(result.base === null ? [] : [`      <property name="base" value="${xml(result.base, 'attribute')}"/>`]),
    ...exemptions.map((exemption) => `      <property name="exemption" value="${xml(exemption, 'attribute')}"/>`),
    '    </properties>',
  ];
  for (const testCase of cases) {
    const failed = failing(testCase);
    lines.push(`    <testcase classname="${xml(testCase.classname, 'attribute')}" name="${xml(testCase.name, 'attribute')}">`);
    if (failed.length > 0) {
      const type = failed.some((finding) => finding.effect === 'freeze') ? 'freeze' : 'caution';
      const body = failed.map((finding) => `${finding.effect}: ${finding.reason}`).join('\n');
      lines.push(`      <failure type="${type}" message="${xml(failed[0].reason, 'attribute')}">${xml(body, 'text')}</failure>`);
    }
    const rest = testCase.findings.filter((finding) => !failed.includes(finding));
    const exempt = exemptions.map((exemption) => `exempt from the freeze: ${exemption}`);
    const out = rest.length > 0 ? [...exempt, ...rest.map((finding) => `${finding.effect}: ${finding.reason}`)] : failed.length > 0 ? [] : [testCase.passed];
    if (out.length > 0) lines.push(`      <system-out>${xml(out.join('\n'), 'text')}</system-out>`);
    lines.push('    </testcase>');
  }
  lines.push('  </testsuite>', '</testsuites>', '');
  return lines.join('\n');
}

/** A value from the workspace, a source or git, inert and escaped for an attribute or element text. */
function xml(value: string, where: 'attribute' | 'text'): string {
  const inert = inertLines(value);
  return where === 'attribute' ? xmlAttribute(inert) : xmlText(inert);
}
