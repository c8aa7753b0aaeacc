// Whether a relative path written in a workspace file (an OpenSLO `spec.path`, a DataSource's
// `connectionDetails.path`) stays inside the folder it is relative to, judged on the text alone.
// A repository is untrusted input: `../../../proc/self/environ` must not name a file outside it.
// The schemas use this to put a bad path at its line; src/sources/workspaceFiles.ts uses it again
// before touching the disk, and then also follows symbolic links, which text alone cannot see.

/** How a path leaves its folder. */
export type PathEscape = 'absolute' | 'climbs-out' | 'nul-character';

/** How `relativePath` leaves the folder it is relative to, or null when, as text, it stays inside. */
export function pathEscape(relativePath: string): PathEscape | null {
  // Node refuses such a path with a TypeError that is no file system error; refuse it as a path.
  if (relativePath.includes('\0')) return 'nul-character';
  // `/x`, `\x`, `C:\x` and the drive-relative `C:x` all ignore the folder on some platform.
  if (/^[\\/]/.test(relativePath) || /^[A-Za-z]:/.test(relativePath)) return 'absolute';
  // Backslashes count as separators too: on Windows they are, and elsewhere treating them so only
  // refuses a file name nobody writes.
  let depth = 0;
  for (const segment of relativePath.split(/[\\/]/)) {
    if (segment === '..') {
      depth--;
      if (depth < 0) return 'climbs-out';
    } else if (segment !== '' && segment !== '.') {
      depth++;
    }
  }
  return null;
}

/** Words for a path escape, to follow the path in a message: `spec.path "../x" climbs out of .reliability/ with ..`. */
export function describePathEscape(escape: PathEscape, folderLabel: string): string {
  switch (escape) {
    case 'absolute':
      return `is an absolute path; it must be relative to ${folderLabel}`;
    case 'climbs-out':
      return `climbs out of ${folderLabel} with ..`;
    case 'nul-character':
      return 'contains a NUL character';
  }
}
