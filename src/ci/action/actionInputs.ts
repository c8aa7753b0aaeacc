// The Action's inputs, as the runner hands them over: an environment variable INPUT_<NAME> per input
// of action.yml (the name upper-cased, spaces as underscores, hyphens kept), empty when not given.
import type { FailOn } from '../../core/gateOutcome';
import { FAIL_ON_VALUES, isFailOn } from '../../core/gateOutcome';

export class ActionInputError extends Error {
  override name = 'ActionInputError';
}

type Environment = Readonly<Record<string, string | undefined>>;

/** An input's value, trimmed; empty when not given (the runner sets unset inputs without a default to ''). */
export function actionInput(env: Environment, name: string): string {
  return (env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim();
}

// The YAML 1.2 core schema's booleans, as the Actions toolkit's getBooleanInput reads them.
const TRUE = ['true', 'True', 'TRUE'];
const FALSE = ['false', 'False', 'FALSE'];

export function booleanInput(env: Environment, name: string): boolean {
  const value = actionInput(env, name);
  if (value === '' || FALSE.includes(value)) return false;
  if (TRUE.includes(value)) return true;
  throw new ActionInputError(`input ${name} is "${value.slice(0, 40)}": expected true or false`);
}

/**
 * Which verdicts fail the step: `fail-on` (freeze when empty), raised to caution by `strict: true`.
 * `strict` with `fail-on: never` asks for both and is refused.
 */
export function failOnInput(env: Environment): FailOn {
  const text = actionInput(env, 'fail-on') || 'freeze';
  if (!isFailOn(text)) throw new ActionInputError(`input fail-on is "${text.slice(0, 40)}": expected ${FAIL_ON_VALUES.join(', ')}`);
  if (!booleanInput(env, 'strict')) return text;
  if (text === 'never') throw new ActionInputError('inputs strict: true and fail-on: never contradict each other; give one');
  return 'caution';
}

/**
 * The token inputs as the environment the CLI reads (remoteSources.environmentTokens), so one rule
 * pins them: a token goes to its provider's own API, or to the origin its `-origin` input names;
 * GITHUB_TOKEN to the GITHUB_API_URL the runner sets. An input left empty keeps the step's own
 * environment variable, if any.
 */
export function tokenEnvironment(env: Environment): Record<string, string | undefined> {
  const tokens: Record<string, string | undefined> = { ...env };
  const pairs: Array<[string, string]> = [
    ['github-token', 'GITHUB_TOKEN'],
    ['prometheus-token', 'RELIABILITY_LENS_PROMETHEUS_TOKEN'],
    ['prometheus-token-origin', 'RELIABILITY_LENS_PROMETHEUS_TOKEN_ORIGIN'],
    ['pagerduty-token', 'RELIABILITY_LENS_PAGERDUTY_TOKEN'],
    ['pagerduty-token-origin', 'RELIABILITY_LENS_PAGERDUTY_TOKEN_ORIGIN'],
    ['opsgenie-token', 'RELIABILITY_LENS_OPSGENIE_TOKEN'],
    ['opsgenie-token-origin', 'RELIABILITY_LENS_OPSGENIE_TOKEN_ORIGIN'],
  ];
  for (const [input, variable] of pairs) {
    const value = actionInput(env, input);
    if (value !== '') tokens[variable] = value;
  }
  return tokens;
}
