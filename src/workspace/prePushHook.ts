// `reliability-lens hook install` / `uninstall`: the pre-push hook that runs the merge check. A hook
// the user already has is never written over: install refuses, or with `chain` keeps it (renamed,
// still runnable) and runs it first; uninstall removes only a hook carrying our marker, and puts a
// chained one back.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { CHAINED_HOOK_NAME, isOurHook, prePushHookScript } from '../core/prePushHook';
import { hooksDirectory } from '../sources/git/hooksDirectory';

/** A hook that is not ours stands where ours would go (or where a chained one would be kept). */
export class HookConflictError extends Error {
  override name = 'HookConflictError';
}

const HOOK_NAME = 'pre-push';

/** The text of `file` when it exists (a symlink is read through), else null. */
async function existingText(file: string): Promise<string | null> {
  const present = await fs.lstat(file).then(
    () => true,
    (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return false;
      throw error;
    },
  );
  if (!present) return null;
  // A dangling link or a folder is something of the user's too: not ours, and not read.
  return fs.readFile(file, 'utf8').catch(() => '');
}

async function exists(file: string): Promise<boolean> {
  return fs.lstat(file).then(
    () => true,
    () => false,
  );
}

export interface HookInstallOptions {
  /** Keep an existing pre-push hook (as CHAINED_HOOK_NAME) and run it before the check. */
  chain?: boolean;
  /** The node binary and CLI script the hook runs (the ones running `hook install`). */
  nodePath: string;
  cliPath: string;
}

export interface HookInstallResult {
  hookPath: string;
  /** `installed` a new hook; `updated` ours in place. */
  action: 'installed' | 'updated';
  /** Where the previous hook was kept, when it is chained. */
  chainedPath: string | null;
}

/** Installs the pre-push hook of the repository holding `workspaceRoot` (the folder holding `.reliability/`). */
export async function installPrePushHook(workspaceRoot: string, options: HookInstallOptions): Promise<HookInstallResult> {
  const { topLevel, directory } = await hooksDirectory(workspaceRoot);
  const hookPath = path.join(directory, HOOK_NAME);
  const chainedPath = path.join(directory, CHAINED_HOOK_NAME);
  const workspace = path.relative(topLevel, path.resolve(workspaceRoot)).split(path.sep).join('/');
  const current = await existingText(hookPath);
  let action: HookInstallResult['action'] = 'installed';
  if (current !== null && isOurHook(current)) {
    action = 'updated';
  } else if (current !== null) {
    if (!options.chain) {
      throw new HookConflictError(
        `${hookPath} exists and was not written by reliability-lens, so it is left as it is. ` +
          'Run `reliability-lens hook install --chain` to keep it and run it before the check, or move it away first.',
      );
    }
    if (await exists(chainedPath)) {
      throw new HookConflictError(`${chainedPath} exists already, so ${hookPath} cannot be kept there; nothing was changed`);
    }
    await fs.rename(hookPath, chainedPath);
  }
  const chained = await exists(chainedPath);
  const script = prePushHookScript({ nodePath: options.nodePath, cliPath: options.cliPath, workspace, chained });
  await fs.mkdir(directory, { recursive: true });
  // Written beside and renamed over: a push running meanwhile sees the old hook or the new one, whole.
  const temporary = path.join(directory, `.${HOOK_NAME}.reliability-lens-${process.pid}`);
  await fs.writeFile(temporary, script, { mode: 0o755, flag: 'wx' });
  await fs.chmod(temporary, 0o755);
  await fs.rename(temporary, hookPath);
  return { hookPath, action, chainedPath: chained ? chainedPath : null };
}

export interface HookUninstallResult {
  hookPath: string;
  /** false: there was no pre-push hook. */
  removed: boolean;
  /** The chained hook put back as the pre-push hook, when there was one. */
  restored: boolean;
}

/** Removes our pre-push hook of the repository holding `directory`; refuses a hook that is not ours. */
export async function uninstallPrePushHook(directory: string): Promise<HookUninstallResult> {
  const hooks = await hooksDirectory(directory);
  const hookPath = path.join(hooks.directory, HOOK_NAME);
  const chainedPath = path.join(hooks.directory, CHAINED_HOOK_NAME);
  const current = await existingText(hookPath);
  if (current === null) return { hookPath, removed: false, restored: false };
  if (!isOurHook(current)) {
    throw new HookConflictError(`${hookPath} was not written by reliability-lens (it has no reliability-lens marker), so it is left as it is`);
  }
  if (await exists(chainedPath)) {
    await fs.rename(chainedPath, hookPath);
    return { hookPath, removed: true, restored: true };
  }
  await fs.unlink(hookPath);
  return { hookPath, removed: true, restored: false };
}
