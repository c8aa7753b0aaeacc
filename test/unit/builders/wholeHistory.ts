// The reference the window reads are checked against: every commit reachable from the tags and HEAD,
// read with one plain `git log`, as the tool read it before it learnt to read only the window.
import { execFileSync } from 'node:child_process';
import type { Commit } from '../../../src/core/model';
import { commitFromFields, LOG_FORMAT } from '../../../src/sources/git/history';

export interface WholeHistory {
  commits: Map<string, Commit>;
  head: string | null;
}

export function readWholeHistory(root: string): WholeHistory {
  const git = (args: string[]) => execFileSync('git', args, { cwd: root, encoding: 'utf8', maxBuffer: 1 << 30 });
  const head = (() => {
    try {
      return git(['rev-parse', '--verify', '--quiet', 'HEAD']).trim() || null;
    } catch {
      return null;
    }
  })();
  const hasTags = git(['tag', '--list']).trim().length > 0;
  const commits = new Map<string, Commit>();
  if (head === null && !hasTags) return { commits, head };
  const output = git(['log', '-z', LOG_FORMAT, ...(hasTags ? ['--tags'] : []), ...(head ? ['HEAD'] : []), '--']);
  const fields = output.split('\0');
  for (let i = 0; i + 5 <= fields.length; i += 5) {
    const commit = commitFromFields(fields.slice(i, i + 5));
    commits.set(commit.sha, commit);
  }
  return { commits, head };
}
