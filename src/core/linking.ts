// Incidents linked to the recent commits of one file (DOMAIN.md section 4). Pure: commits, blame
// ranges and the delivery history arrive as data from sources/git/fileHistory.ts and core/deployments.ts.
import { isCommitPrefix, type ShippingLookup } from './deployments';
import type { Commit, FileChange, Incident, LinkReason } from './model';

/** A commit that touched the file, with its author for display. */
export interface FileCommit extends Commit {
  author?: string;
}

export interface LinkFileChangesInput {
  /** Path of the file relative to the workspace root, `/`-separated. */
  file: string;
  /** Services whose paths match the file. */
  fileServices: readonly string[];
  /** Recent commits of the file, in the order to show them (newest first from git). */
  recentCommits: readonly FileCommit[];
  /** SHA -> 1-based inclusive line ranges it still owns in the working file. */
  blameRanges: ReadonlyMap<string, Array<[number, number]>>;
  /** SHA -> name of the deployment that shipped it; every recent commit must be answered exactly. */
  shippedBy: ShippingLookup;
  incidents: readonly Incident[];
  /** Incident id -> name of the deployment it is linked to (null when none). */
  incidentDeployments: ReadonlyMap<string, string | null>;
}

const REASON_STRENGTH: Record<LinkReason, number> = { 'root-cause': 0, fix: 1, deployment: 2 };
const WORD_CHAR = /[A-Za-z0-9_]/;
const WORD_RUN = /[A-Za-z0-9_]+/g;

/**
 * A matcher that finds which of the given incident ids a commit message names, each as a whole
 * word (not preceded or followed by a letter, digit or `_`, so `INC-7` is not found inside `INC-70`
 * or `XINC-7`) and case-sensitively (ids are identifiers: `INC-7`, `#123`, `P1X2Y3Z`).
 *
 * Ids are indexed by their leading word (`INC` of `INC-7`): the message is scanned once for words
 * and only the ids starting with each word are compared there. One alternation of hundreds of
 * ids made rework rate over a 90-day window several times slower.
 */
export function createIncidentIdMatcher(ids: Iterable<string>): (message: string) => Set<string> {
  const byLeadingWord = new Map<string, string[]>();
  const leadingSymbol: string[] = [];
  for (const id of new Set(ids)) {
    if (id.length === 0) continue;
    const leading = /^[A-Za-z0-9_]+/.exec(id);
    if (!leading) {
      leadingSymbol.push(id);
      continue;
    }
    const list = byLeadingWord.get(leading[0]);
    if (list) list.push(id);
    else byLeadingWord.set(leading[0], [id]);
  }
  const endsAsWord = (message: string, end: number) => end >= message.length || !WORD_CHAR.test(message[end]);
  const startsAsWord = (message: string, start: number) => start === 0 || !WORD_CHAR.test(message[start - 1]);

  // Usually all ids share a handful of leading words (`INC`): a message holding none of them is skipped
  // with a few indexOf calls instead of a scan over its words.
  const leadingWords = byLeadingWord.size <= 16 ? [...byLeadingWord.keys()] : null;

  return (message) => {
    const found = new Set<string>();
    const mayHoldWordId = leadingWords === null || leadingWords.some((word) => message.includes(word));
    if (byLeadingWord.size > 0 && mayHoldWordId) {
      for (const word of message.matchAll(WORD_RUN)) {
        const candidates = byLeadingWord.get(word[0]);
        if (!candidates) continue;
        const start = word.index as number;
        for (const id of candidates) {
          if (message.startsWith(id, start) && endsAsWord(message, start + id.length)) found.add(id);
        }
      }
    }
    for (const id of leadingSymbol) {
      for (let start = message.indexOf(id); start !== -1; start = message.indexOf(id, start + 1)) {
        if (startsAsWord(message, start) && endsAsWord(message, start + id.length)) {
          found.add(id);
          break;
        }
      }
    }
    return found;
  };
}

function normalizePath(file: string): string {
  return file.replace(/\\/g, '/').replace(/^(\.\/)+/, '');
}

function commitMessage(commit: Commit): string {
  return commit.body ? `${commit.subject}\n\n${commit.body}` : commit.subject;
}

/**
 * One FileChange per recent commit, each with the incidents linked to it and the strongest reason:
 * `root-cause` (the incident lists the commit by a 7+ hex prefix, or lists the file), then `fix`
 * (the message names the incident id), then `deployment` (the commit was shipped by the deployment
 * the incident is linked to, and the file belongs to the incident's service).
 */
export function linkFileChanges(input: LinkFileChangesInput): FileChange[] {
  const file = normalizePath(input.file);
  const namesIncident = createIncidentIdMatcher(input.incidents.map((incident) => incident.id));
  const fileServices = new Set(input.fileServices);

  return input.recentCommits.map((commit) => {
    const deployment = input.shippedBy.get(commit.sha) ?? null;
    const namedIds = namesIncident(commitMessage(commit));
    const links: Array<{ id: string; reason: LinkReason }> = [];
    for (const incident of input.incidents) {
      const reasons: LinkReason[] = [];
      const listsCommit = incident.commits.some((prefix) => isCommitPrefix(prefix) && commit.sha.startsWith(prefix.toLowerCase()));
      const listsFile = incident.files.some((listed) => normalizePath(listed) === file);
      if (listsCommit || listsFile) reasons.push('root-cause');
      if (namedIds.has(incident.id)) reasons.push('fix');
      const linkedDeployment = input.incidentDeployments.get(incident.id) ?? null;
      if (deployment !== null && linkedDeployment === deployment && fileServices.has(incident.service)) {
        reasons.push('deployment');
      }
      if (reasons.length === 0) continue;
      reasons.sort((a, b) => REASON_STRENGTH[a] - REASON_STRENGTH[b]);
      links.push({ id: incident.id, reason: reasons[0] });
    }
    return {
      commit: commit.sha,
      subject: commit.subject,
      time: commit.time,
      ...(commit.author !== undefined ? { author: commit.author } : {}),
      lines: input.blameRanges.get(commit.sha) ?? [],
      deployment,
      incidents: links,
    };
  });
}
