// The one way to open a file a repository names (a CSV's `spec.path`, a file of `.reliability/`).
// A repository is untrusted: its paths may climb out (`../../proc/self/environ`), its symbolic links
// may point anywhere (`data/x.csv -> /home/me/.aws/credentials`, `-> /dev/zero`), and a FIFO would
// block a plain open forever. So a file is opened only when
//   - its path, as text, stays inside the folder (src/core/folderPaths.ts, the rule the schemas use);
//   - its real path (every symbolic link followed) is inside the folder's real path, and that folder,
//     when a workspace root is given, is inside the root's real path;
//   - what was opened is a regular file, judged by fstat on the opened descriptor, not on the path,
//     so swapping the file between the check and the open does not help. The open itself does not
//     follow a symbolic link in the last component and does not wait on a FIFO.
// A refusal says what is wrong with the path in words and never includes any of the file's content.
import { constants } from 'node:fs';
import type { Stats } from 'node:fs';
import { open, realpath } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import * as path from 'node:path';
import { describePathEscape, pathEscape } from '../core/folderPaths';

export interface WorkspaceFileOptions {
  /** The folder as messages name it, e.g. `.reliability/`. Default: the folder's base name and a slash. */
  folderLabel?: string;
  /** The workspace root: when given, the folder's own real path must be inside it. */
  root?: string;
}

/** Why a file was not opened. */
export type RefusalKind = 'outside' | 'not-found' | 'not-regular' | 'unreadable';

export interface RefusedFile {
  ok: false;
  kind: RefusalKind;
  /** Words to follow the path as written (`spec.path "../x" climbs out of .reliability/ with ..`). Never file content. */
  reason: string;
}

export interface OpenedFile {
  ok: true;
  /** Open for reading; the caller closes it. */
  handle: FileHandle;
  realPath: string;
  size: number;
}

// O_NOFOLLOW and O_NONBLOCK do not exist on Windows; there the checks before the open still hold.
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

/**
 * Opens `relativePath` (as written in the workspace, relative to `folder`) for reading, or says why
 * not. Only a file whose real path lies inside the real `folder` and which is a regular file opens.
 */
export async function openWorkspaceFile(folder: string, relativePath: string, options: WorkspaceFileOptions = {}): Promise<OpenedFile | RefusedFile> {
  const folderLabel = options.folderLabel ?? `${path.basename(folder)}/`;
  const escape = pathEscape(relativePath);
  if (escape !== null) return refused('outside', describePathEscape(escape, folderLabel));

  let realFolder: string;
  try {
    realFolder = await realpath(folder);
    if (options.root !== undefined && !isInside(await realpath(options.root), realFolder)) {
      return refused('outside', `is in ${folderLabel}, which leads outside the workspace through a symbolic link`);
    }
  } catch (error) {
    return fileSystemRefusal(error, `${folderLabel} `);
  }

  let realFile: string;
  try {
    realFile = await realpath(path.join(realFolder, relativePath));
  } catch (error) {
    return fileSystemRefusal(error, '');
  }
  if (!isInside(realFolder, realFile)) return refused('outside', `leads outside ${folderLabel} through a symbolic link`);

  let handle: FileHandle;
  try {
    handle = await open(realFile, OPEN_FLAGS);
  } catch (error) {
    // ELOOP here: the last component became a symbolic link after realpath looked.
    return fileSystemRefusal(error, '');
  }
  let stats: Stats;
  try {
    stats = await handle.stat();
  } catch (error) {
    await handle.close();
    return fileSystemRefusal(error, '');
  }
  if (!stats.isFile()) {
    await handle.close();
    return refused('not-regular', `is ${fileKind(stats)}, not a regular file`);
  }
  return { ok: true, handle, realPath: realFile, size: stats.size };
}

/** Whether `child` is `parent` or below it; both absolute, real paths. */
export function isInside(parent: string, child: string): boolean {
  const relative = path.relative(parent, child);
  return relative === '' || (relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative));
}

function refused(kind: RefusalKind, reason: string): RefusedFile {
  return { ok: false, kind, reason };
}

/** A file system error in words: its code, never its message (which holds the resolved path). */
function fileSystemRefusal(error: unknown, subject: string): RefusedFile {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return refused('not-found', `${subject}does not exist`);
    case 'ELOOP':
      return refused('outside', `${subject}is a symbolic link that was changed or loops`);
    case 'EACCES':
    case 'EPERM':
      return refused('unreadable', `${subject}cannot be read (permission denied)`);
    default:
      return refused('unreadable', `${subject}cannot be read${code ? ` (${code})` : ''}`);
  }
}

function fileKind(stats: Stats): string {
  if (stats.isDirectory()) return 'a directory';
  if (stats.isFIFO()) return 'a named pipe (FIFO)';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device';
  if (stats.isSocket()) return 'a socket';
  return 'something else';
}
