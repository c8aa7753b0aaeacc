// The merge check's machine formats (`check --format`), each rendered from the one check result.
import type { FailOn } from '../../core/gateOutcome';
import { inertJson } from '../../core/inertText';
import { renderVerdict } from '../../cli/humanReport';
import { checkJson } from '../../cli/json';
import { createStyler } from '../../cli/table';
import type { MergeCheckResult } from '../../workspace/engine';
import { checkAnnotations } from './checkAnnotations';
import { renderCheckJunit } from './checkJunit';
import { renderCheckMarkdown } from './checkMarkdown';

export const CHECK_FORMATS = ['json', 'markdown', 'github', 'junit'] as const;
export type CheckFormat = (typeof CHECK_FORMATS)[number];

export function isCheckFormat(value: string): value is CheckFormat {
  return (CHECK_FORMATS as readonly string[]).includes(value);
}

export function renderCheck(result: MergeCheckResult, format: CheckFormat, failOn: FailOn): string {
  switch (format) {
    case 'json':
      return inertJson(checkJson(result, result.base));
    case 'markdown':
      return renderCheckMarkdown(result, failOn);
    case 'github':
      // The annotations, then the verdict and its reasons for the log (each line starts with text of
      // ours, never with a value, so no value can start a workflow command).
      return [...checkAnnotations(result), renderVerdict(result, createStyler(false))].join('\n');
    case 'junit':
      return renderCheckJunit(result, failOn);
  }
}
