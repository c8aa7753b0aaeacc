// Errors from reading git: one class per situation, each with a one-line message a person can act on.
// The workspace catches GitSourceError as "delivery is unavailable, and here is why"; anything else is a bug.

export class GitSourceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

export class NotAGitRepositoryError extends GitSourceError {
  constructor(readonly directory: string) {
    super(`${directory} is not inside a git repository`);
  }
}

export class ShallowCloneError extends GitSourceError {
  constructor(
    readonly presentCommits: number,
    /** What the missing history is needed for, ending the sentence "run `git fetch --unshallow` so ...". */
    purpose = 'delivery history can be read',
  ) {
    super(
      `this is a shallow clone with only ${presentCommits} commit${presentCommits === 1 ? '' : 's'} present; ` +
        `run \`git fetch --unshallow\` so ${purpose}`,
    );
  }
}

export class NoMatchingTagError extends GitSourceError {
  constructor(
    readonly patterns: string[],
    readonly existingTags: string[],
    /** Why tags that do match deploy nothing (they name a tree or a blob). */
    nonCommitReasons: readonly string[] = [],
  ) {
    const shown = existingTags.slice(0, 10);
    const listing =
      existingTags.length === 0
        ? 'the repository has no tags'
        : `tags that exist: ${shown.join(', ')}${existingTags.length > shown.length ? `, ... (${existingTags.length} in all)` : ''}`;
    const matched = nonCommitReasons.length === 0 ? 'no tag matches' : 'no tag of a commit matches';
    const reasons = nonCommitReasons.length === 0 ? '' : `; ${nonCommitReasons.slice(0, 3).join('; ')}`;
    super(`${matched} ${patterns.map((pattern) => `"${pattern}"`).join(' or ')}; ${listing}${reasons}`);
  }
}

export class DetachedHeadError extends GitSourceError {
  constructor() {
    super('HEAD is detached; check out a branch, or name the base with --base');
  }
}

export class FileOutsideRepositoryError extends GitSourceError {
  constructor(readonly file: string, readonly repository: string) {
    super(`${file} is outside the git repository at ${repository}`);
  }
}

export class UnknownRefError extends GitSourceError {
  constructor(readonly ref: string, detail?: string) {
    super(detail ?? `unknown git ref "${ref}": no branch, tag or commit has that name`);
  }
}

/** `git blame` needs file contents a partial clone has not fetched, and git could not fetch them. */
export class PartialCloneContentError extends GitSourceError {
  constructor(file: string, gitMessage: string) {
    super(
      `${file}: this partial clone lacks earlier versions of the file and git could not fetch them from its promisor remote ` +
        `(${gitMessage}); connect to the remote, or run \`git fetch --refetch\` without a filter, to see its recent lines`,
    );
  }
}

/** A revision's copy of a folder that cannot be made safely (too many or too large files, a path leading outside). */
export class RevisionFolderError extends GitSourceError {}
