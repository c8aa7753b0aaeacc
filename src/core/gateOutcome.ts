// When a merge verdict fails the gate (a non-zero exit, a failed CI job, a failing JUnit case): one rule
// for `check --strict`/`--fail-on` and the GitHub Action's `strict`/`fail-on` inputs.
import type { MergeFinding, Verdict } from './model';

/** Which verdicts fail the gate: freeze only (the default), caution and freeze, or none (report only). */
export type FailOn = 'freeze' | 'caution' | 'never';
export const FAIL_ON_VALUES: readonly FailOn[] = ['freeze', 'caution', 'never'];

export function isFailOn(value: string): value is FailOn {
  return (FAIL_ON_VALUES as readonly string[]).includes(value);
}

/** Whether the verdict fails the gate. */
export function gateFails(verdict: Verdict, failOn: FailOn): boolean {
  if (failOn === 'never') return false;
  return verdict === 'freeze' || (verdict === 'caution' && failOn === 'caution');
}

/**
 * Whether one finding is among the reasons the gate fails: its verdict fails it, and the finding
 * freezes, or cautions under `caution`. A freeze an exemption let through fails nothing.
 */
export function findingFails(finding: MergeFinding, verdict: Verdict, failOn: FailOn): boolean {
  return gateFails(verdict, failOn) && (finding.effect === 'freeze' || failOn === 'caution');
}
