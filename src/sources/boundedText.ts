// The text of a file a repository names, read only up to a limit. The file is opened through
// workspaceFiles.ts (inside its folder, a regular file, no waiting on a FIFO); then its size as
// fstat gives it decides before anything is read, and since a file may grow while it is read, the
// read itself also stops one byte past the limit. So a 50 MB file costs nothing, and no file makes
// the reader hold more than the limit.
import type { FileHandle } from 'node:fs/promises';
import { openWorkspaceFile } from './workspaceFiles';
import type { RefusedFile, WorkspaceFileOptions } from './workspaceFiles';

export interface TooLargeFile {
  ok: false;
  kind: 'too-large';
  /** The size fstat reported, or null when the file grew past the limit while it was read. */
  size: number | null;
}

export type BoundedText = { ok: true; text: string; bytes: number } | RefusedFile | TooLargeFile;

/** The UTF-8 text (byte order mark removed) of `relativePath` in `folder`, or why it was not read. */
export async function readBoundedText(folder: string, relativePath: string, maxBytes: number, options: WorkspaceFileOptions = {}): Promise<BoundedText> {
  const opened = await openWorkspaceFile(folder, relativePath, options);
  if (!opened.ok) return opened;
  try {
    if (opened.size > maxBytes) return { ok: false, kind: 'too-large', size: opened.size };
    const bytes = await readAtMost(opened.handle, maxBytes);
    if (!bytes) return { ok: false, kind: 'too-large', size: null };
    return { ok: true, text: bytes.toString('utf8').replace(/^\uFEFF/, ''), bytes: bytes.length };
  } catch (error) {
    // The code, never the message: a file system message holds the resolved path.
    const code = (error as NodeJS.ErrnoException | undefined)?.code;
    return { ok: false, kind: 'unreadable', reason: `cannot be read${code ? ` (${code})` : ''}` };
  } finally {
    await opened.handle.close();
  }
}

/** The whole content of an open file, or null as soon as it turns out longer than `maxBytes`. */
async function readAtMost(handle: FileHandle, maxBytes: number): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    const chunk = Buffer.allocUnsafe(Math.min(65_536, maxBytes + 1 - total));
    const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
    if (bytesRead === 0) return Buffer.concat(chunks, total);
    chunks.push(chunk.subarray(0, bytesRead));
    total += bytesRead;
    if (total > maxBytes) return null;
  }
}
