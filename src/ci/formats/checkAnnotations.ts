// `check --format github` and the Action's annotations: an `::error` on each changed file of a frozen
// service, a `::warning` on each changed file of a cautioned one, naming the SLOs and incidents, at
// most ANNOTATIONS_PER_LEVEL of each (GitHub shows ten of each kind per step and drops the rest).
import type { MergeFinding } from '../../core/model';
import type { MergeCheckResult } from '../../workspace/engine';
import { checkSections, exemptionLabels, subjectLabel } from './checkSections';
import { workflowCommand, type AnnotationLevel } from './workflowCommands';

export const ANNOTATIONS_PER_LEVEL = 10;

interface Annotation {
  level: 'error' | 'warning';
  file?: string;
  findings: MergeFinding[];
}

/**
 * The annotation commands, errors first. A freeze annotates as an error only while it holds: an
 * exempted freeze is a warning saying so. Findings of a service with no changed file (services named
 * with --service) annotate without a file.
 */
export function checkAnnotations(result: MergeCheckResult): string[] {
  const sections = checkSections(result);
  const exempt = exemptionLabels(result).length > 0;
  const levelOf = (findings: readonly MergeFinding[]): Annotation['level'] | null => {
    if (findings.length === 0) return null;
    return findings.some((finding) => finding.effect === 'freeze') && !exempt ? 'error' : 'warning';
  };
  const annotations: Annotation[] = [];
  const servicesOfFile = new Map(result.changedFiles.map((file) => [file.path, new Set(file.services)]));
  for (const file of result.changedFiles) {
    const services = servicesOfFile.get(file.path) ?? new Set<string>();
    const findings = result.findings.filter((finding) => finding.service === null ? services.size > 0 : services.has(finding.service));
    const level = levelOf(findings);
    if (level !== null) annotations.push({ level, file: file.path, findings });
  }
  for (const section of sections.services) {
    if (section.files.length > 0) continue;
    for (const finding of [...section.slos.flatMap((slo) => slo.findings), ...section.other]) {
      annotations.push({ level: levelOf([finding]) ?? 'warning', findings: [finding] });
    }
  }
  if (result.changedFiles.length === 0) {
    for (const finding of sections.general) annotations.push({ level: 'warning', findings: [finding] });
  }

  const lines: string[] = [];
  for (const level of ['error', 'warning'] as const) {
    const ofLevel = annotations.filter((annotation) => annotation.level === level);
    for (const annotation of ofLevel.slice(0, ANNOTATIONS_PER_LEVEL)) lines.push(command(annotation, result));
    const left = ofLevel.length - ANNOTATIONS_PER_LEVEL;
    if (left > 0) {
      const what = level === 'error' ? 'frozen' : 'cautioned';
      lines.push(workflowCommand('notice', { title: 'Reliability Lens' }, `${left} more changed file${left === 1 ? '' : 's'} of ${what} services not annotated (GitHub shows ${ANNOTATIONS_PER_LEVEL} ${level}s per step); the job summary lists them all`));
    }
  }
  return lines;
}

function command(annotation: Annotation, result: MergeCheckResult): string {
  const level: AnnotationLevel = annotation.level;
  const subjects = [...new Set(annotation.findings.map(subjectLabel))].join(', ');
  const exemptions = exemptionLabels(result);
  const exempted = exemptions.length > 0 && annotation.findings.some((finding) => finding.effect === 'freeze');
  const heading = annotation.level === 'error' ? 'Merge freeze' : exempted ? `Freeze exempted (${exemptions.join('; ')})` : 'Merge caution';
  const properties = annotation.file === undefined ? { title: `${heading}: ${subjects}` } : { file: annotation.file, title: `${heading}: ${subjects}` };
  return workflowCommand(level, properties, annotation.findings.map((finding) => finding.reason).join('\n'));
}
