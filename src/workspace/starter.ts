// A starter `.reliability/` folder for a repository that has none: `reliability-lens init` and the
// editor's "Create Starter .reliability/ Folder" command alike. What goes in it is decided in core
// (starterFiles.ts) from what the repository shows (repositoryFacts.ts); this module only refuses
// what must not be touched and writes the files.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { planStarter, starterFiles, type StarterFile, type StarterPlan } from '../core/starterFiles';
import { RELIABILITY_FOLDER } from './reliabilityFolder';
import { readRepositoryFacts } from './repositoryFacts';

export class StarterExistsError extends Error {
  override name = 'StarterExistsError';
}

/** The folder to write the starter into does not exist, or is no folder. */
export class StarterRootError extends Error {
  override name = 'StarterRootError';
}

/** A starter folder that would be written outside the repository, through a symlink. */
export class StarterOutsideError extends Error {
  override name = 'StarterOutsideError';
}

/**
 * Throws StarterOutsideError unless `directory` would be inside `realRoot`: its nearest part that
 * exists, symlinks followed, must lie inside (what is missing below it is created as plain folders).
 */
async function requireInside(realRoot: string, directory: string): Promise<void> {
  let existing = directory;
  let real: string | undefined;
  while (real === undefined) {
    try {
      real = await fs.realpath(existing);
    } catch (error) {
      const parent = path.dirname(existing);
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || parent === existing) throw error;
      existing = parent;
    }
  }
  const relative = path.relative(realRoot, real);
  if (relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative)) {
    throw new StarterOutsideError(`${directory} leads outside ${realRoot} (a symlink); the starter writes only inside the repository`);
  }
}

/**
 * Refuses a root whose `.reliability` exists in any form (a folder, a file, a symlink, even a
 * dangling one): a starter never writes over or into what a team already has.
 */
async function requireNoReliabilityFolder(root: string): Promise<void> {
  const folder = path.join(root, RELIABILITY_FOLDER);
  const existing = await fs.lstat(folder).then(
    (stats) => stats,
    (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return null;
      throw error;
    },
  );
  if (existing === null) return;
  // A link out of the repository is said to be one, dangling or not (its target, not the link, is checked).
  if (existing.isSymbolicLink()) {
    await requireInside(await fs.realpath(root), path.resolve(root, await fs.readlink(folder))).catch((error: unknown) => {
      if (!(error instanceof StarterOutsideError)) throw error;
      throw new StarterOutsideError(`${folder} is a symlink that leads outside ${root}; the starter writes only inside the repository`);
    });
  }
  throw new StarterExistsError(
    `${folder} already exists; the starter never overwrites it (edit the files there, or move the folder away to start again)`,
  );
}

export interface StarterOptions {
  /**
   * false in an untrusted workspace: git is not run (a repository's own git configuration can run
   * commands), so the tag pattern is the default and config.yaml says why. The files are still
   * written: they are the user's own request.
   */
  allowGit?: boolean;
  /** Plan and return the files without writing any. */
  dryRun?: boolean;
}

export interface StarterResult {
  /** What was found and why: the services and the tag pattern. */
  plan: StarterPlan;
  /** The files, relative to `.reliability/`. */
  files: StarterFile[];
  /** Absolute paths written (none on a dry run). */
  written: string[];
}

/**
 * Writes `.reliability/` (config.yaml, an availability SLO and its CSV per service, an empty incident
 * ledger) from what the repository shows, or with `dryRun` only says what it would write. Refuses
 * (StarterExistsError) when `.reliability` exists, and (StarterOutsideError) a root whose
 * `.reliability` would lead out of it.
 */
export async function createStarterFolder(root: string, options: StarterOptions = {}): Promise<StarterResult> {
  const absoluteRoot = path.resolve(root);
  const isFolder = await fs.stat(absoluteRoot).then((stats) => stats.isDirectory(), () => false);
  if (!isFolder) throw new StarterRootError(`${absoluteRoot} is not a folder; the starter .reliability/ goes into an existing folder`);
  await requireNoReliabilityFolder(absoluteRoot);
  const plan = planStarter(await readRepositoryFacts(absoluteRoot, { allowGit: options.allowGit }));
  const files = starterFiles(plan);
  if (options.dryRun) return { plan, files, written: [] };

  const folder = path.join(absoluteRoot, RELIABILITY_FOLDER);
  // Not recursive: a `.reliability` made since the check above fails this instead of being written into.
  await fs.mkdir(folder).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'EEXIST') throw new StarterExistsError(`${folder} appeared while the starter was planned; nothing was written`);
    throw error;
  });
  const written: string[] = [];
  for (const file of files) {
    const target = path.join(folder, ...file.path.split('/'));
    await fs.mkdir(path.dirname(target), { recursive: true });
    // `wx`: never over a file, even one that appeared meanwhile.
    await fs.writeFile(target, file.content, { flag: 'wx' });
    written.push(target);
  }
  return { plan, files, written };
}
