// What `reliability-lens init` prints: what it found and why, then the files it wrote (or, with
// --dry-run, would write, with their text). The files' text is safe to print as it is: every value
// from the repository in it is a JSON-escaped string and every comment an inert line (core/starterFiles.ts).
import { describeStarterPlan } from '../core/starterFiles';
import type { StarterResult } from '../workspace/starter';

const FOLDER = '.reliability';

export function renderInit(result: StarterResult, dryRun: boolean): string {
  const found = describeStarterPlan(result.plan);
  const lines = [found.services, found.deployments, ''];
  if (dryRun) {
    lines.push(`Would write ${result.files.length} files (--dry-run: nothing was written):`);
    for (const file of result.files) lines.push('', `--- ${FOLDER}/${file.path}`, file.content.replace(/\n$/, ''));
  } else {
    lines.push(`Wrote ${result.files.length} files:`);
    for (const file of result.files) lines.push(`  ${FOLDER}/${file.path}`);
    lines.push(
      '',
      `Next: add SLI counts to ${FOLDER}/data/*.csv (or point the SLOs at Prometheus), check the services' paths, and run \`reliability-lens report\`.`,
    );
  }
  return lines.join('\n');
}

export function initJson(result: StarterResult, dryRun: boolean) {
  return {
    dryRun,
    services: result.plan.services.services,
    servicesFrom: result.plan.services.reason,
    tagPattern: result.plan.tags.pattern,
    tagPatternFromTags: result.plan.tags.fromTags,
    tagPatternReason: result.plan.tags.reason,
    files: result.files.map((file) => ({ path: `${FOLDER}/${file.path}`, content: file.content })),
    written: !dryRun,
  };
}
