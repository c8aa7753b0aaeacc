// Where git looks for the repository's hooks: `.git/hooks`, or core.hooksPath when set (relative to the
// working tree's top level, or absolute). git answers this itself (`rev-parse --git-path hooks`), so
// worktrees, submodules and both forms of core.hooksPath come out as git would run them.
import * as path from 'node:path';
import { repositoryLayout } from './layout';
import { runGit } from './process';

export interface HooksLocation {
  /** The working tree's top level, where git runs the hooks. */
  topLevel: string;
  /** The absolute folder git runs hooks from. */
  directory: string;
}

/** The hooks folder of the repository holding `directory`; NotAGitRepositoryError outside one. */
export async function hooksDirectory(directory: string): Promise<HooksLocation> {
  const { topLevel } = await repositoryLayout(directory);
  const answer = (await runGit(topLevel, ['rev-parse', '--git-path', 'hooks'])).replace(/\n$/, '');
  return { topLevel, directory: path.resolve(topLevel, answer) };
}
