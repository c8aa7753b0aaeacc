// Which server a token is for. A token is stored under its source AND origin, and handed to the
// engine only for the origin the workspace's config names, so a config pointing elsewhere (a cloned
// repo, say) can never receive a token saved for another host.
import type { WorkspaceConfig } from '../core/model';
import { originOf } from '../sources/http/origin';
import type { SavedToken, TokenProvider, TokenRequest } from '../sources/remoteSources';
import { TOKEN_SOURCES, gitHubDeploymentsBaseUrl, incidentSourceBaseUrl } from '../sources/sourceAddresses';
import type { TokenSource } from '../sources/sourceAddresses';

export { TOKEN_SOURCES };
export type { TokenSource };
/** Sources whose tokens live in secret storage; GitHub uses the editor's GitHub sign-in. */
export type SecretTokenSource = Exclude<TokenSource, 'github'>;

/** The origin the workspace will contact for a source, or undefined when the source is not configured. */
export function configuredOrigin(config: WorkspaceConfig, source: TokenSource): string | undefined {
  const origin = (url: string | undefined) => (url === undefined ? undefined : (originOf(url) ?? undefined));
  switch (source) {
    case 'prometheus':
      return config.slis.source === 'prometheus' ? origin(config.slis.prometheus?.url) : undefined;
    case 'pagerduty':
    case 'opsgenie': {
      const entry = config.incidents.sources.find((candidate) => candidate.type === source);
      return entry ? origin(incidentSourceBaseUrl(entry)) : undefined;
    }
    case 'github': {
      // Issues and deployments share the token; the issues source's host names it when both are set.
      const incidents = config.incidents.sources.find((candidate) => candidate.type === 'github');
      if (incidents) return origin(incidentSourceBaseUrl(incidents));
      return config.deployments.source === 'github' ? origin(gitHubDeploymentsBaseUrl(config)) : undefined;
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

/** Reads the token saved for one source at one origin; undefined when there is none. */
export type SavedTokenLookup = (source: TokenSource, origin: string) => Promise<string | undefined>;

/**
 * The editor's TokenProvider: the engine asks for a source's token at the origin it will send it to,
 * and gets the token saved under exactly that (source, origin), labelled with it. Nothing is guessed
 * from an earlier load's config, so a config pointing at another server gets that server's token (or
 * none) on its first load. A lookup that fails (secret storage unavailable) reads as no token; the
 * source then says it needs one, and `onError` records why.
 */
export function savedTokenProvider(lookup: SavedTokenLookup, onError: (request: TokenRequest, error: unknown) => void): TokenProvider {
  return async (request): Promise<SavedToken | undefined> => {
    try {
      const value = await lookup(request.source, request.origin);
      return value ? { value, origin: request.origin } : undefined;
    } catch (error) {
      onError(request, error);
      return undefined;
    }
  };
}
