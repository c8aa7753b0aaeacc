// The names of a repository's tags, newest first: what `init`, the starter folder and the
// zero-configuration views choose the deployment tag pattern from (core/tagPatternChoice.ts).
import { GitCommandError, runGit } from './process';
import type { TagFacts } from '../../core/tagPatternChoice';

/** Tags read at most: the pattern a repository uses shows in its newer tags. */
const MAX_TAGS = 5000;

/**
 * `git tag --list --sort=-creatordate` in `root` (the tagger date of an annotated tag, else the commit
 * date); outside a repository, why none were read.
 */
export async function readTagNames(root: string, signal?: AbortSignal): Promise<TagFacts> {
  try {
    const output = await runGit(root, ['tag', '--list', '--sort=-creatordate'], undefined, signal);
    return { read: true, names: output.split('\n').filter((name) => name !== '').slice(0, MAX_TAGS) };
  } catch (error) {
    if (error instanceof GitCommandError && /not a git repository/i.test(error.stderr)) return { read: false, why: 'not a git repository' };
    if (error instanceof GitCommandError) return { read: false, why: `git could not list the tags (${error.message})` };
    // ENOENT: no git on the PATH, or no such folder to run it in.
    if ((error as NodeJS.ErrnoException)?.code === 'ENOENT') return { read: false, why: 'git could not be started here' };
    throw error;
  }
}
