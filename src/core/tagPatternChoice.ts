// Which tags are this repository's deployments, read from the tags it has: the one rule behind
// `reliability-lens init`, the editor's starter folder, and the zero-configuration Delivery view and
// `dora` of a repository without `.reliability/`. The choice says why, so a user can check it.
import { tagPatternMatcher } from './deployments';
import { inertLine } from './inertText';

/** config.yaml's default `deployments.tagPattern` (DOMAIN.md section 1): used when no tag says better. */
export const DEFAULT_TAG_PATTERN = 'v*';

/** What git said about the repository's tags. */
export type TagFacts =
  /** Tag names, newest first (`git tag --sort=-creatordate`). */
  | { read: true; names: readonly string[] }
  /** Not read: Restricted Mode, or no git repository; `why` says which. */
  | { read: false; why: string };

export interface TagPatternChoice {
  /** The pattern to use: the one picked from the tags, else DEFAULT_TAG_PATTERN. */
  pattern: string;
  /** Whether the tags chose it (false: the default, because there were none to go by). */
  fromTags: boolean;
  /** Tags the pattern matches, and tags read (0 when none were read). */
  matching: number;
  total: number;
  /** One line saying which pattern and why, e.g. `v* (37 of 40 tags match it: semver versions such as v1.4.0)`. */
  reason: string;
}

/**
 * The part of a tag before its version: everything before the first digit. `v1.2.3` -> `v`,
 * `release-2026.01` -> `release-`, `checkout/v2.0.0` -> `checkout/v`, `42` -> ``; a tag without a
 * digit has no version, so it is no release tag (null).
 */
function versionPrefix(tag: string): string | null {
  const digit = tag.search(/[0-9]/);
  return digit === -1 ? null : tag.slice(0, digit);
}

/** A glob that matches `prefix` literally: the tag glob's own characters are each put in a class. */
function literalGlob(prefix: string): string {
  return prefix.replace(/[*?[]/g, (char) => `[${char}]`);
}

/** The pattern of a prefix: what follows it starts with a digit when there is no prefix (else `*` would match every tag). */
function patternOfPrefix(prefix: string): string {
  return prefix === '' ? '[0-9]*' : `${literalGlob(prefix)}*`;
}

/** How the version part of the example tag reads, for the reason. */
function versionStyle(version: string): string {
  if (/^[0-9]+\.[0-9]+\.[0-9]+/.test(version)) return 'semver versions';
  if (/^(19|20)[0-9]{2}([-._]?)[01][0-9]\2[0-3][0-9]/.test(version)) return 'dates';
  return 'version numbers';
}

/** The longest tag text a reason quotes: a tag name may be long, a reason is one line. */
const EXAMPLE_LENGTH = 60;

function quoted(tag: string): string {
  const line = inertLine(tag);
  return line.length > EXAMPLE_LENGTH ? `${line.slice(0, EXAMPLE_LENGTH - 1)}…` : line;
}

/**
 * The tag pattern for a repository: the prefix most of its versioned tags share, followed by `*`
 * (ties: the prefix of the newer tag). No tags, or none with a version: the default, saying so.
 */
export function chooseTagPattern(tags: TagFacts): TagPatternChoice {
  if (!tags.read) {
    return { pattern: DEFAULT_TAG_PATTERN, fromTags: false, matching: 0, total: 0, reason: `${DEFAULT_TAG_PATTERN} (the default: ${tags.why})` };
  }
  const total = tags.names.length;
  if (total === 0) {
    return { pattern: DEFAULT_TAG_PATTERN, fromTags: false, matching: 0, total, reason: `${DEFAULT_TAG_PATTERN} (the default: this repository has no tags yet)` };
  }
  // Counted in order of first appearance, newest first, so a tie goes to the prefix used more lately.
  const counts = new Map<string, number>();
  for (const tag of tags.names) {
    const prefix = versionPrefix(tag);
    if (prefix !== null) counts.set(prefix, (counts.get(prefix) ?? 0) + 1);
  }
  let best: string | null = null;
  for (const [prefix, count] of counts) if (best === null || count > counts.get(best)!) best = prefix;
  if (best === null) {
    return {
      pattern: DEFAULT_TAG_PATTERN,
      fromTags: false,
      matching: 0,
      total,
      reason: `${DEFAULT_TAG_PATTERN} (the default: none of the ${total} tags has a version number)`,
    };
  }
  const pattern = patternOfPrefix(best);
  const matcher = tagPatternMatcher(pattern);
  const matched = tags.names.filter((tag) => matcher.test(tag));
  const example = matched.find((tag) => versionPrefix(tag) === best) ?? matched[0];
  const style = versionStyle(example.slice(best.length));
  return {
    pattern,
    fromTags: true,
    matching: matched.length,
    total,
    reason: `${inertLine(pattern)} (${matched.length} of ${total} tag${total === 1 ? '' : 's'} match it: ${style} such as ${quoted(example)})`,
  };
}
