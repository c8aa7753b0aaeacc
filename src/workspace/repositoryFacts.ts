// What a repository shows about itself before it has a `.reliability/` folder: its folders, its
// CODEOWNERS and its tags. Gathered here (file system and git), judged in core (serviceInference.ts,
// tagPatternChoice.ts), so `init`, the editor's starter and the zero-configuration views agree.
import type { Dirent } from 'node:fs';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { CODEOWNERS_LOCATIONS } from '../core/codeowners';
import { MONOREPO_PARENTS, type FolderFacts, type RepositoryFacts } from '../core/serviceInference';
import type { TagFacts } from '../core/tagPatternChoice';
import { readBoundedText } from '../sources/boundedText';
import { readTagNames } from '../sources/git/tagNames';

/** GitHub ignores a CODEOWNERS file larger than 3 MB; a starter needs far less. */
const MAX_CODEOWNERS_BYTES = 3 * 1024 * 1024;

/** Why the tags were not read in an untrusted workspace. */
export const TAGS_NOT_READ_RESTRICTED = 'git is not run in Restricted Mode';

/** The folders of `dir`: real directories (a symlink is not followed), no dot folders. */
async function folderNames(dir: string): Promise<string[]> {
  let entries: Dirent[];
  try {
    entries = await fs.readdir(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.filter((entry) => entry.isDirectory() && !entry.name.startsWith('.')).map((entry) => entry.name);
}

async function readFolders(root: string): Promise<FolderFacts> {
  const topLevel = await folderNames(root);
  const children: Record<string, string[]> = {};
  for (const parent of MONOREPO_PARENTS) {
    if (topLevel.includes(parent)) children[parent] = await folderNames(path.join(root, parent));
  }
  return { rootName: path.basename(path.resolve(root)), topLevel, children };
}

/** The CODEOWNERS GitHub would read: the first of its locations that is a regular file inside the repository. */
async function readCodeowners(root: string): Promise<RepositoryFacts['codeowners']> {
  for (const file of CODEOWNERS_LOCATIONS) {
    const read = await readBoundedText(root, file, MAX_CODEOWNERS_BYTES, { folderLabel: 'the repository' });
    if (read.ok) return { file, text: read.text };
  }
  return null;
}

export interface RepositoryFactOptions {
  /** false in an untrusted workspace: git is not run (a repository's git configuration can run commands). */
  allowGit?: boolean;
  signal?: AbortSignal;
}

/** Folders, CODEOWNERS and tags of the repository at `root`. */
export async function readRepositoryFacts(root: string, options: RepositoryFactOptions = {}): Promise<RepositoryFacts & { tags: TagFacts }> {
  const [folders, codeowners, tags] = await Promise.all([
    readFolders(root),
    readCodeowners(root),
    options.allowGit === false ? ({ read: false, why: TAGS_NOT_READ_RESTRICTED } as const) : readTagNames(root, options.signal),
  ]);
  return { folders, codeowners, tags };
}
