// Which services a path belongs to. Service `paths` are CODEOWNERS-style globs (DOMAIN.md section 1):
// a pattern without a slash (other than a trailing one) matches at any depth; a leading slash or an
// inner slash anchors it to the workspace root; a pattern naming a directory also covers everything in it;
// `*` stays within one path segment and `**` crosses segments. Patterns come from config.yaml, which
// anyone can write, so they are matched by glob.ts, whose cost never explodes with the pattern.
import { ANY_CHARACTER, GlobBuilder, anyCharacterBut, cachedCompiler, oneCharacter } from './glob';
import type { GlobMatcher } from './glob';
import type { ServiceConfig } from './model';

const WITHIN_SEGMENT = anyCharacterBut('/');
const SLASH = oneCharacter('/');

// Any leading directories, each with its slash, or none: what `**/` and an unanchored start mean.
const leadingDirectories = (builder: GlobBuilder) => builder.run(ANY_CHARACTER).one(SLASH);

/** A matcher for one service path glob, over a path relative to the workspace root. */
export const servicePathMatcher: (pattern: string) => GlobMatcher = cachedCompiler((pattern) => {
  let body = pattern.trim().replace(/\\/g, '/');
  const directoryOnly = body.endsWith('/');
  if (directoryOnly) body = body.slice(0, -1);
  const anchored = body.startsWith('/') || body.includes('/');
  body = body.replace(/^\//, '');

  const glob = new GlobBuilder();
  if (!anchored) glob.optional(leadingDirectories);
  for (let i = 0; i < body.length; i++) {
    const char = body[i];
    if (char === '*' && body[i + 1] === '*') {
      const followedBySlash = body[i + 2] === '/';
      if (followedBySlash) glob.optional(leadingDirectories);
      else glob.run(ANY_CHARACTER);
      i += followedBySlash ? 2 : 1;
    } else if (char === '*') {
      glob.run(WITHIN_SEGMENT);
    } else if (char === '?') {
      glob.one(WITHIN_SEGMENT);
    } else {
      glob.literal(char);
    }
  }
  // A match on a directory covers its contents, as in CODEOWNERS and .gitignore.
  glob.optional((builder) => builder.one(SLASH).run(ANY_CHARACTER));
  return glob.build();
});

/** A path as the globs see it: forward slashes, no leading `./`. */
function normalizePath(relativePath: string): string {
  return relativePath.replace(/\\/g, '/').replace(/^\.\//, '');
}

export function pathMatches(relativePath: string, pattern: string): boolean {
  return servicePathMatcher(pattern).test(normalizePath(relativePath));
}

/** Every service whose globs match the path, in configuration order. */
export function servicesForPath(relativePath: string, services: readonly ServiceConfig[]): string[] {
  const path = normalizePath(relativePath);
  return services.filter((s) => s.paths.some((p) => servicePathMatcher(p).test(path))).map((s) => s.name);
}

/** Services touched by any of the paths, in configuration order. */
export function servicesForPaths(paths: readonly string[], services: readonly ServiceConfig[]): string[] {
  const touched = new Set<string>();
  for (const path of paths) for (const name of servicesForPath(path, services)) touched.add(name);
  return services.map((s) => s.name).filter((name) => touched.has(name));
}
