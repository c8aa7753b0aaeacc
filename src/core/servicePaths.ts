// Which services a path belongs to. Service `paths` are CODEOWNERS-style globs (DOMAIN.md section 1):
// a pattern without a slash (other than a trailing one) matches at any depth; a leading slash or an
// inner slash anchors it to the workspace root; a pattern naming a directory also covers everything in it;
// `*` stays within one path segment and `**` crosses segments.
import type { ServiceConfig } from './model';

const compiled = new Map<string, RegExp>();

export function globToRegExp(pattern: string): RegExp {
  const cached = compiled.get(pattern);
  if (cached) return cached;
  let body = pattern.trim().replace(/\\/g, '/');
  const directoryOnly = body.endsWith('/');
  if (directoryOnly) body = body.slice(0, -1);
  const anchored = body.startsWith('/') || body.includes('/');
  body = body.replace(/^\//, '');

  let source = '';
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (ch === '*') {
      if (body[i + 1] === '*') {
        const followedBySlash = body[i + 2] === '/';
        source += followedBySlash ? '(?:.*/)?' : '.*';
        i += followedBySlash ? 2 : 1;
      } else {
        source += '[^/]*';
      }
    } else if (ch === '?') {
      source += '[^/]';
    } else {
      source += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    }
  }
  const prefix = anchored ? '^' : '^(?:.*/)?';
  // A match on a directory covers its contents, as in CODEOWNERS and .gitignore.
  const regex = new RegExp(`${prefix}${source}(?:/.*)?$`);
  compiled.set(pattern, regex);
  return regex;
}

export function pathMatches(relativePath: string, pattern: string): boolean {
  const normalized = relativePath.replace(/\\/g, '/').replace(/^\.\//, '');
  return globToRegExp(pattern).test(normalized);
}

/** Every service whose globs match the path, in configuration order. */
export function servicesForPath(relativePath: string, services: readonly ServiceConfig[]): string[] {
  return services.filter((s) => s.paths.some((p) => pathMatches(relativePath, p))).map((s) => s.name);
}

/** Services touched by any of the paths, in configuration order. */
export function servicesForPaths(paths: readonly string[], services: readonly ServiceConfig[]): string[] {
  const touched = new Set<string>();
  for (const path of paths) for (const name of servicesForPath(path, services)) touched.add(name);
  return services.map((s) => s.name).filter((name) => touched.has(name));
}
