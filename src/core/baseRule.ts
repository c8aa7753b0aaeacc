// The rule that a change cannot talk the gate out of its verdict (issue 10): the merge check judges by
// the base revision's `.reliability/`, so a change that edits it is told its edits do not count yet,
// and a base without one (first adoption) is said plainly. The reasons always caution.

/** Whose `.reliability/` judged the change: the base revision's; the working tree's because the base has none; the editor's own. */
export type JudgedBy = 'base' | 'no-base-folder' | 'editor';

/** At most this many edited files are named in the reason; the rest are counted. */
const NAMED_FILES = 10;

/**
 * The cautions of the base rule: `folder` is `.reliability`, `editedFiles` the change's files relative to
 * the workspace root, `skipped` the base folder's entries that are not regular files.
 */
export function baseRuleCautions(input: { base: string; folder: string; judgedBy: JudgedBy; editedFiles: readonly string[]; skipped: readonly string[] }): string[] {
  const { base } = input;
  const folder = `${input.folder}/`;
  if (input.judgedBy === 'no-base-folder') {
    return [`the base ${base} has no ${folder} (first adoption): the policy, services and sources were read from the working tree, which this change sets itself`];
  }
  const reasons: string[] = [];
  const edited = input.editedFiles.filter((file) => file.startsWith(folder));
  if (edited.length > 0) {
    const named = listed(edited);
    reasons.push(
      input.judgedBy === 'base'
        ? `the change edits ${folder} (${named}): the verdict reads the policy, services, sources, SLOs and incidents from the base ${base}, not from these edits`
        : `the change edits ${folder} (${named}): this verdict reads the working tree's, edits included; reliability-lens check and CI read the base ${base}'s`,
    );
  }
  if (input.skipped.length > 0) {
    const named = listed(input.skipped.map((entry) => folder + entry));
    reasons.push(`the base ${base}'s ${folder} holds entries that are not regular files (${named}): they were not read`);
  }
  return reasons;
}

function listed(files: readonly string[]): string {
  return files.slice(0, NAMED_FILES).join(', ') + (files.length > NAMED_FILES ? ` and ${files.length - NAMED_FILES} more` : '');
}
