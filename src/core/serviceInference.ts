// Which services a repository has, read from what it already shows: the paths of its CODEOWNERS, or
// else its folders. The one rule behind `reliability-lens init`, the editor's starter folder and the
// zero-configuration views. Folder names and CODEOWNERS lines are the repository's, so a name is kept
// only in the characters a service name is made of, and a path only as a glob config.yaml can hold.
import { parseCodeowners } from './codeowners';
import { MAX_GLOB_LENGTH } from './glob';

/** What the file system shows about a repository's folders (no dot folders, no symlinks). */
export interface FolderFacts {
  /** The repository folder's own name: the one service of a repository with nothing else to go by. */
  rootName: string;
  /** Its top-level folders. */
  topLevel: readonly string[];
  /** The children of each monorepo parent folder that exists (MONOREPO_PARENTS), by parent. */
  children: Readonly<Record<string, readonly string[]>>;
}

export interface RepositoryFacts {
  folders: FolderFacts;
  /** The CODEOWNERS file GitHub would use (CODEOWNERS_LOCATIONS), when there is one. */
  codeowners: { file: string; text: string } | null;
}

export interface InferredService {
  name: string;
  /** CODEOWNERS-style globs (core/servicePaths.ts), as config.yaml holds them. */
  paths: string[];
}

export interface ServiceInference {
  services: InferredService[];
  /** Where they came from, one line: `the paths of .github/CODEOWNERS (4 of 5 rules)`. */
  reason: string;
}

/** Folders that usually hold one service each in a monorepo, in the order they are looked for. */
export const MONOREPO_PARENTS = ['services', 'apps', 'packages', 'cmd'] as const;

/** Top-level folders that hold no service: tooling, output, documentation, tests. */
const NOT_SERVICES = new Set(['node_modules', 'dist', 'out', 'build', 'target', 'vendor', 'docs', 'test', 'tests', 'scripts', 'media', 'src']);

/** A service name as config.yaml and file names take it: letters, digits, `.`, `_`, `-`, starting with a letter or digit. */
const SERVICE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const MAX_NAME_LENGTH = 63;
/** More services than this from one source is no starting point a team would keep: the rest are left to add by hand. */
const MAX_SERVICES = 30;
/** More top-level folders than this are not services (a library, a single app): one service then. */
const MAX_TOP_LEVEL_SERVICES = 8;

/** `name` in a service name's characters: others become `-`; empty when nothing is left. */
export function serviceNameOf(text: string): string {
  const name = text
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[^A-Za-z0-9]+/, '')
    .slice(0, MAX_NAME_LENGTH)
    .replace(/-+$/, '');
  return SERVICE_NAME.test(name) ? name : '';
}

const WILDCARD = /[*?[]/;

/** Patterns that cover the whole repository: a default owner, no service. */
function coversEverything(pattern: string): boolean {
  return /^\/?(\*\*?(\/\*\*?)*)?\/?$/.test(pattern);
}

/**
 * The service a CODEOWNERS pattern names: its last segment without a wildcard, when that is a folder
 * (a last segment with an extension, like `README.md` or `*.js`, is a file type, not a service).
 */
function serviceOfPattern(pattern: string): string | null {
  const segments = pattern.split('/').filter((segment) => segment !== '');
  let last = segments.length - 1;
  while (last >= 0 && WILDCARD.test(segments[last])) last--;
  if (last < 0) return null;
  const namesFile = last === segments.length - 1 && !pattern.endsWith('/') && /.\.[A-Za-z0-9]+$/.test(segments[last]);
  if (namesFile) return null;
  return serviceNameOf(segments[last]) || null;
}

function fromCodeowners(codeowners: { file: string; text: string }): ServiceInference | null {
  const rules = parseCodeowners(codeowners.text);
  const byName = new Map<string, InferredService>();
  let used = 0;
  for (const rule of rules) {
    // A backslash left after unescaping was written as `\\`: service paths read it as a slash, so it is not kept.
    if (coversEverything(rule.pattern) || rule.pattern.includes('\\') || rule.pattern.length > MAX_GLOB_LENGTH) continue;
    const name = serviceOfPattern(rule.pattern);
    if (name === null) continue;
    // Names differing only in case would be one file name on a case-insensitive disk (slos/NAME.yaml).
    const key = name.toLowerCase();
    const service = byName.get(key);
    if (service) {
      if (!service.paths.includes(rule.pattern)) service.paths.push(rule.pattern);
    } else {
      if (byName.size >= MAX_SERVICES) continue;
      byName.set(key, { name, paths: [rule.pattern] });
    }
    used++;
  }
  if (byName.size === 0) return null;
  const others = used === rules.length ? '' : '; the others name no folder';
  return {
    services: [...byName.values()],
    reason: `the paths of ${codeowners.file} (${used} of ${rules.length} rule${rules.length === 1 ? '' : 's'}${others})`,
  };
}

/** Folder names usable as services as they are (others are left out, never rewritten into a glob). */
function serviceFolders(names: readonly string[]): string[] {
  return names.filter((name) => SERVICE_NAME.test(name) && name.length <= MAX_NAME_LENGTH && !NOT_SERVICES.has(name)).sort();
}

function fromFolders(folders: FolderFacts, codeownersNote: string): ServiceInference {
  for (const parent of MONOREPO_PARENTS) {
    const children = serviceFolders(folders.children[parent] ?? []);
    if (children.length > 0) {
      const kept = children.slice(0, MAX_SERVICES);
      return {
        services: kept.map((name) => ({ name, paths: [`${parent}/${name}/**`] })),
        reason: `the folders in ${parent}/${kept.length < children.length ? ` (the first ${kept.length} of ${children.length})` : ''}${codeownersNote}`,
      };
    }
  }
  const top = serviceFolders(folders.topLevel);
  if (top.length > 0 && top.length <= MAX_TOP_LEVEL_SERVICES) {
    return { services: top.map((name) => ({ name, paths: [`${name}/**`] })), reason: `the top-level folders${codeownersNote}` };
  }
  const name = serviceNameOf(folders.rootName.toLowerCase()) || 'app';
  const why = top.length > MAX_TOP_LEVEL_SERVICES ? `${top.length} top-level folders are no services` : 'no folders to go by';
  return { services: [{ name, paths: ['**'] }], reason: `the whole repository as one service (${why})${codeownersNote}` };
}

/** The services of a repository: from its CODEOWNERS paths when they name folders, else from its folders. */
export function inferServices(facts: RepositoryFacts): ServiceInference {
  if (facts.codeowners) {
    const found = fromCodeowners(facts.codeowners);
    if (found) return found;
    return fromFolders(facts.folders, `; ${facts.codeowners.file} names no folder`);
  }
  return fromFolders(facts.folders, '');
}
