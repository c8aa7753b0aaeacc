// Whether Prometheus' TLS certificate is verified. Turning verification off exposes the token on that
// connection to anyone in the path, so only the user may do it: an environment variable for the CLI,
// a user-level setting in the editor. A repository's config.yaml cannot (its old
// `slis.prometheus.insecureSkipVerify` key is ignored with a warning that points here). Its own module,
// free of the HTTP client, so the CLI can read the variable before loading any remote source.

export const INSECURE_SKIP_VERIFY_VARIABLE = 'RELIABILITY_LENS_PROMETHEUS_INSECURE_SKIP_VERIFY';
export const INSECURE_SKIP_VERIFY_SETTING = 'reliabilityLens.prometheus.insecureSkipVerify';

/** The user's choice, or why it could not be read (verification then stays on and the source says why). */
export type InsecureSkipVerify = boolean | { invalid: string };

/** Reads RELIABILITY_LENS_PROMETHEUS_INSECURE_SKIP_VERIFY: `true`/`1` turns verification off; unset, `false`/`0` keep it. */
export function insecureSkipVerifyFromEnvironment(env: Readonly<Record<string, string | undefined>>): InsecureSkipVerify {
  const text = env[INSECURE_SKIP_VERIFY_VARIABLE];
  if (text === undefined) return false;
  const word = text.trim().toLowerCase();
  if (word === 'true' || word === '1') return true;
  if (word === 'false' || word === '0' || word === '') return false;
  return {
    invalid: `${INSECURE_SKIP_VERIFY_VARIABLE} is ${JSON.stringify(text.slice(0, 40))}; set it to true or false (TLS verification stays on until then)`,
  };
}

/** Where the switch lives, for the warning on a config.yaml that still sets it. */
export const REPOSITORY_TLS_SWITCH_IGNORED =
  `is ignored: a repository cannot turn off TLS verification. Set ${INSECURE_SKIP_VERIFY_VARIABLE}=true for the CLI, ` +
  `or the user setting ${INSECURE_SKIP_VERIFY_SETTING} in the editor`;
