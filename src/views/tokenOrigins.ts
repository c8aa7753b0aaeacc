// Which server a token is for. A token is stored under its source AND origin, and handed to the
// engine only for the origin the workspace's config names, so a config pointing elsewhere (a cloned
// repo, say) can never receive a token saved for another host.
import type { WorkspaceConfig } from '../core/model';
import { originOf } from '../sources/http/origin';

export const TOKEN_SOURCES = ['prometheus', 'pagerduty', 'opsgenie', 'github'] as const;
export type TokenSource = (typeof TOKEN_SOURCES)[number];
/** Sources whose tokens live in secret storage; GitHub uses the editor's GitHub sign-in. */
export type SecretTokenSource = Exclude<TokenSource, 'github'>;

export const GITHUB_API_ORIGIN = 'https://api.github.com';

const DEFAULT_ORIGINS: Record<Exclude<TokenSource, 'prometheus'>, string> = {
  pagerduty: 'https://api.pagerduty.com',
  opsgenie: 'https://api.opsgenie.com',
  github: GITHUB_API_ORIGIN,
};

/** The origin the workspace will contact for a source, or undefined when the source is not configured. */
export function configuredOrigin(config: WorkspaceConfig, source: TokenSource): string | undefined {
  switch (source) {
    case 'prometheus':
      return config.slis.source === 'prometheus' && config.slis.prometheus ? (originOf(config.slis.prometheus.url) ?? undefined) : undefined;
    case 'pagerduty':
    case 'opsgenie': {
      const entry = config.incidents.sources.find((candidate) => candidate.type === source);
      if (!entry) return undefined;
      if (entry.url) return originOf(entry.url) ?? undefined;
      if (source === 'opsgenie' && entry.options.region === 'eu') return 'https://api.eu.opsgenie.com';
      return DEFAULT_ORIGINS[source];
    }
    case 'github': {
      const incidents = config.incidents.sources.find((candidate) => candidate.type === 'github');
      const usesDeployments = config.deployments.source === 'github';
      if (!incidents && !usesDeployments) return undefined;
      const url = incidents?.url ?? (usesDeployments ? config.deployments.url : undefined);
      return url ? (originOf(url) ?? undefined) : DEFAULT_ORIGINS.github;
    }
  }
}

/** Secret storage key, e.g. `reliabilityLens.token:prometheus@https://prom.example.com`. */
export function tokenSecretKey(source: SecretTokenSource, origin: string): string {
  return `reliabilityLens.token:${source}@${origin}`;
}

export function isTokenSource(value: unknown): value is TokenSource {
  return typeof value === 'string' && (TOKEN_SOURCES as readonly string[]).includes(value);
}

/** The inverse of tokenSecretKey, for listing saved tokens; undefined for other keys. */
export function parseTokenSecretKey(key: string): { source: SecretTokenSource; origin: string } | undefined {
  const match = /^reliabilityLens\.token:([a-z]+)@(.+)$/.exec(key);
  if (!match || !isTokenSource(match[1]) || match[1] === 'github') return undefined;
  return { source: match[1], origin: match[2] };
}
