// A folder of the workspace as a revision holds it (`git show REV:.reliability/...`), copied into a
// temporary directory so the loaders read it as they read the working tree. The merge check judges a
// change by its base's `.reliability/`, never by the one the change brings (issue 10).
//
// The tree is hostile input like any other: only regular files are copied (a symbolic link or a
// submodule is listed as skipped, never followed), every path is checked to stay inside the copy,
// and the number and size of the files are bounded before anything is written. No filter, textconv
// or attribute runs: `git cat-file --batch` gives the bytes as committed.
import { closeSync, openSync, promises as fs, writeSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { RevisionFolderError } from './errors';
import { runGit, streamGit } from './process';

/** The most files a copied folder may hold: `.reliability/` is a config, some SLOs and their data. */
export const MAX_REVISION_FILES = 2_000;
/** The most bytes a copied folder may hold (its SLI data files included). */
export const MAX_REVISION_BYTES = 512 * 1024 * 1024;

export interface RevisionFolder {
  /** A temporary directory holding `<folder>/` as the revision has it, to read as a workspace root. */
  root: string;
  /** The files copied, relative to the folder, in tree order. */
  files: string[];
  /** Entries that are not regular files (symbolic links, submodules), relative to the folder: not copied. */
  skipped: string[];
  /** Removes the temporary directory. */
  remove(): Promise<void>;
}

interface TreeEntry {
  mode: string;
  type: string;
  object: string;
  size: number;
  path: string;
}

/**
 * Copies `folder` (a path relative to the workspace root `root`, such as `.reliability`) as revision
 * `sha` (a full commit SHA) holds it into a new temporary directory; null when the revision has no
 * such folder. The caller removes the copy (RevisionFolder.remove) when done.
 */
export async function copyFolderAtRevision(root: string, sha: string, folder: string): Promise<RevisionFolder | null> {
  if (!/^[0-9a-f]{40}([0-9a-f]{24})?$/.test(sha)) throw new RevisionFolderError(`not a commit SHA: ${JSON.stringify(sha)}`);
  // The workspace root's place in the repository: the folder is read at the same place in the revision.
  const prefix = (await runGit(root, ['rev-parse', '--show-prefix'])).replace(/\n$/, '');
  // `REV:path` names the path literally (no pathspec magic), relative to the top level; --full-tree
  // below, since ls-tree run in a subfolder otherwise limits the listing to that subfolder's paths.
  const treeish = `${sha}:${prefix}${folder}`;
  const type = await runGit(root, ['cat-file', '-t', treeish]).then(
    (text) => text.trim(),
    () => null,
  );
  if (type !== 'tree') return null;
  const entries = parseTree(await runGit(root, ['ls-tree', '-r', '-z', '-l', '--full-tree', treeish]));
  const blobs = entries.filter((entry) => entry.type === 'blob' && (entry.mode === '100644' || entry.mode === '100755'));
  const skipped = entries.filter((entry) => !blobs.includes(entry)).map((entry) => entry.path);
  if (blobs.length > MAX_REVISION_FILES) {
    throw new RevisionFolderError(`${folder}/ at ${sha.slice(0, 12)} holds ${blobs.length} files; at most ${MAX_REVISION_FILES} are read`);
  }
  const bytes = blobs.reduce((sum, entry) => sum + entry.size, 0);
  if (bytes > MAX_REVISION_BYTES) {
    throw new RevisionFolderError(`${folder}/ at ${sha.slice(0, 12)} holds ${bytes} bytes; at most ${MAX_REVISION_BYTES} are read`);
  }
  for (const entry of blobs) checkRelativePath(entry.path, folder);

  const copyRoot = await fs.mkdtemp(path.join(os.tmpdir(), 'reliability-lens-base-'));
  const remove = () => fs.rm(copyRoot, { recursive: true, force: true });
  try {
    const target = path.join(copyRoot, folder);
    const files = blobs.map((entry) => path.join(target, ...entry.path.split('/')));
    for (const directory of new Set([target, ...files.map((file) => path.dirname(file))])) await fs.mkdir(directory, { recursive: true });
    await copyBlobs(root, blobs, files);
  } catch (error) {
    await remove();
    throw error;
  }
  return { root: copyRoot, files: blobs.map((entry) => entry.path), skipped, remove };
}

/** `git ls-tree -r -z -l` output: `<mode> <type> <object> <size>\t<path>` records, NUL-terminated. */
function parseTree(output: string): TreeEntry[] {
  const entries: TreeEntry[] = [];
  for (const record of output.split('\0')) {
    if (record.length === 0) continue;
    const tab = record.indexOf('\t');
    const match = /^(\d{6}) (\w+) ([0-9a-f]+) +(-|\d+)$/.exec(record.slice(0, tab));
    if (tab < 0 || !match) throw new RevisionFolderError(`unexpected git ls-tree output: ${JSON.stringify(record.slice(0, 80))}`);
    entries.push({ mode: match[1], type: match[2], object: match[3], size: match[4] === '-' ? 0 : Number(match[4]), path: record.slice(tab + 1) });
  }
  return entries;
}

/**
 * A path from the tree stays inside the copy: no empty, `.` or `..` segment, no absolute path, no
 * backslash or NUL (git itself refuses such trees on checkout, but a crafted repository can hold them).
 */
function checkRelativePath(relative: string, folder: string): void {
  const segments = relative.split('/');
  if (segments.some((segment) => segment === '' || segment === '.' || segment === '..' || /[\\\0]/.test(segment))) {
    throw new RevisionFolderError(`${folder}/ holds a path that leads outside it: ${JSON.stringify(relative)}`);
  }
}

/**
 * Writes each blob's bytes, as committed, to its file, from one `git cat-file --batch` (one process
 * however many files: a process costs tens of milliseconds on a busy machine). Each file is new
 * (`wx` never follows a link planted there); the output is `<object> blob <size>\n<bytes>\n` per blob.
 */
async function copyBlobs(cwd: string, blobs: readonly TreeEntry[], files: readonly string[]): Promise<void> {
  if (blobs.length === 0) return;
  let index = 0;
  let header = Buffer.alloc(0);
  let remaining = -1; // bytes of the current blob still to write; -1 while reading a header
  let descriptor: number | null = null;
  const fail = (message: string) => new RevisionFolderError(`git cat-file --batch: ${message}`);
  const consume = (chunk: Buffer): void => {
    let offset = 0;
    while (offset < chunk.length) {
      if (remaining === -1) {
        const newline = chunk.indexOf(0x0a, offset);
        if (newline < 0) {
          header = Buffer.concat([header, chunk.subarray(offset)]);
          if (header.length > 200) throw fail('unexpected output');
          return;
        }
        const line = Buffer.concat([header, chunk.subarray(offset, newline)]).toString('utf8');
        header = Buffer.alloc(0);
        offset = newline + 1;
        const match = /^([0-9a-f]+) blob (\d+)$/.exec(line);
        const expected = blobs[index];
        if (!match || expected === undefined || match[1] !== expected.object) throw fail(`unexpected answer ${JSON.stringify(line.slice(0, 80))}`);
        remaining = Number(match[2]);
        descriptor = openSync(files[index], 'wx');
      }
      const take = Math.min(remaining, chunk.length - offset);
      if (take > 0) writeSync(descriptor!, chunk, offset, take);
      offset += take;
      remaining -= take;
      if (remaining === 0 && offset < chunk.length) {
        // The LF after the bytes ends the blob.
        offset += 1;
        closeSync(descriptor!);
        descriptor = null;
        remaining = -1;
        index += 1;
      }
    }
  };
  try {
    await streamGit(cwd, ['cat-file', '--batch'], consume, blobs.map((entry) => `${entry.object}\n`).join(''));
  } finally {
    if (descriptor !== null) closeSync(descriptor);
  }
  if (index !== blobs.length) throw fail(`${blobs.length - index} of ${blobs.length} files were not written`);
}
