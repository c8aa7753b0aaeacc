// Where a repository's parts are (top level, git directory, common directory), found once per
// directory and cached, and a fingerprint of HEAD and the refs read from disk without git, so a cached
// history can be checked for staleness with a few stats.
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { GitSourceError, NotAGitRepositoryError, ShallowCloneError } from './errors';
import { gitAt, gitEnvironment } from './process';

export interface RepositoryLayout {
  /** Absolute path of the working tree's top level. */
  topLevel: string;
  /** The worktree's git directory (holds HEAD). */
  gitDir: string;
  /** The shared git directory (holds refs, packed-refs, shallow). */
  commonDir: string;
}

const layouts = new Map<string, Promise<RepositoryLayout>>();

/**
 * The layout and HEAD from one `git rev-parse` (one process fewer on a cold start). HEAD is null in a
 * repository without commits: `--verify --quiet` then exits 1 silently after printing the layout.
 */
export function probeRepository(directory: string): Promise<{ layout: RepositoryLayout; head: string | null }> {
  return new Promise<{ stdout: string; code: number | null }>((resolve, reject) => {
    const child = spawn('git', ['rev-parse', '--show-toplevel', '--absolute-git-dir', '--git-common-dir', '--verify', '--quiet', 'HEAD^{commit}'], {
      cwd: directory,
      stdio: ['ignore', 'pipe', 'ignore'],
      env: gitEnvironment(),
    });
    let stdout = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => (stdout += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ stdout, code }));
  }).then(
    async ({ stdout, code }) => {
      const lines = stdout.split('\n');
      if ((code !== 0 && code !== 1) || lines.length < 4) throw new NotAGitRepositoryError(directory);
      const [topLevel, gitDir, commonDir, head] = lines;
      const layout = { topLevel, gitDir: await fs.realpath(gitDir), commonDir: await fs.realpath(path.resolve(directory, commonDir)) };
      return { layout, head: code === 0 && /^[0-9a-f]{40}$/.test(head) ? head : null };
    },
    () => {
      throw new NotAGitRepositoryError(directory);
    },
  );
}

/**
 * Caches the layout a probe found for `directory` (path.resolve'd), unless one is cached already,
 * so readHistory's rev-parse also answers repositoryLayout and no second process asks again.
 */
export function rememberProbedLayout(directory: string, probe: Promise<{ layout: RepositoryLayout }>): void {
  if (layouts.has(directory)) return;
  const layout = probe.then(({ layout: found }) => found);
  layouts.set(directory, layout);
  layout.catch(() => layouts.delete(directory));
}

export async function repositoryLayout(root: string): Promise<RepositoryLayout> {
  const directory = path.resolve(root);
  let cached = layouts.get(directory);
  if (!cached) {
    cached = (async () => {
      try {
        const stat = await fs.stat(directory);
        if (!stat.isDirectory()) throw new NotAGitRepositoryError(directory);
        const [topLevel, gitDir, commonDir] = (
          await (await gitAt(directory)).revparse(['--show-toplevel', '--absolute-git-dir', '--git-common-dir'])
        ).split('\n');
        // Real paths, so they compare equal to the ones found on disk by gitDirectoriesOnDisk.
        return { topLevel, gitDir: await fs.realpath(gitDir), commonDir: await fs.realpath(path.resolve(directory, commonDir)) };
      } catch (error) {
        if (error instanceof GitSourceError) throw error;
        throw new NotAGitRepositoryError(directory);
      }
    })();
    layouts.set(directory, cached);
    // A failed lookup is not remembered: the directory may become a repository.
    cached.catch(() => layouts.delete(directory));
  }
  return cached;
}

async function statKey(file: string): Promise<string> {
  try {
    const stat = await fs.stat(file);
    return `${stat.ino}:${stat.size}:${stat.mtimeMs}`;
  } catch {
    return '-';
  }
}

/**
 * Throws ShallowCloneError in a shallow clone: history cut short cannot say what each deployment
 * shipped, nor where a branch left its base, and an answer from part of it would look complete.
 */
export async function requireFullHistory(layout: RepositoryLayout, purpose?: string): Promise<void> {
  if ((await statKey(path.join(layout.commonDir, 'shallow'))) === '-') return;
  const count = Number(await (await gitAt(layout.topLevel)).raw(['rev-list', '--count', '--all']));
  throw new ShallowCloneError(count, purpose);
}

async function readOrDash(file: string): Promise<string> {
  try {
    return (await fs.readFile(file, 'utf8')).trim();
  } catch {
    return '-';
  }
}

/**
 * Every ref directory's stat, recursively. Creating, moving or deleting a loose ref goes through a
 * lock file in its directory, so the directory's mtime moves whenever a ref in it changes.
 */
async function refDirectoryKeys(directory: string, keys: string[]): Promise<void> {
  let entries;
  try {
    entries = await fs.readdir(directory, { withFileTypes: true });
  } catch {
    keys.push(`${directory}:-`);
    return;
  }
  keys.push(`${directory}:${await statKey(directory)}:${entries.length}`);
  await Promise.all(
    entries.filter((entry) => entry.isDirectory()).map((entry) => refDirectoryKeys(path.join(directory, entry.name), keys)),
  );
}

/** A key that changes whenever HEAD, a ref, packed-refs or shallowness changes; read from disk without git. */
export async function refsFingerprint(layout: Pick<RepositoryLayout, 'gitDir' | 'commonDir'>): Promise<string> {
  const head = await readOrDash(path.join(layout.gitDir, 'HEAD'));
  const headRef = head.startsWith('ref: ') ? head.slice(5) : null;
  const keys: string[] = [head];
  if (headRef) keys.push(await readOrDash(path.join(layout.commonDir, headRef)));
  keys.push(await statKey(path.join(layout.commonDir, 'packed-refs')), await statKey(path.join(layout.commonDir, 'shallow')));
  const refKeys: string[] = [];
  await refDirectoryKeys(path.join(layout.commonDir, 'refs'), refKeys);
  // A loop, not push(...refKeys): a repository may hold more ref folders than a call takes arguments.
  for (const refKey of refKeys.sort()) keys.push(refKey);
  return keys.join('\n');
}

/**
 * The git directory and common directory found from `.git` above the directory, as git itself does
 * without GIT_DIR: a `.git` folder, or a `.git` file naming the folder (worktrees, submodules), whose
 * `commondir` file names the shared one. Null when there is none or it looks unusual.
 */
export async function gitDirectoriesOnDisk(directory: string): Promise<Pick<RepositoryLayout, 'gitDir' | 'commonDir'> | null> {
  for (let current = directory; ; current = path.dirname(current)) {
    const candidate = path.join(current, '.git');
    try {
      const stat = await fs.stat(candidate);
      let gitDir = candidate;
      if (stat.isFile()) {
        const pointer = /^gitdir: (.+)$/m.exec(await fs.readFile(candidate, 'utf8'));
        if (!pointer) return null;
        gitDir = path.resolve(current, pointer[1].trim());
      }
      const common = await readOrDash(path.join(gitDir, 'commondir'));
      return { gitDir: await fs.realpath(gitDir), commonDir: await fs.realpath(common === '-' ? gitDir : path.resolve(gitDir, common)) };
    } catch {
      if (path.dirname(current) === current) return null;
    }
  }
}

/**
 * Advice when the repository has no commit-graph file: git then parses each commit it walks, and
 * writing one (a command the user runs, never this tool) makes the delivery reads several times
 * faster. Null when it has one, or when its object folder is somewhere unusual.
 */
export async function commitGraphAdvice(root: string): Promise<string | null> {
  const { commonDir } = await repositoryLayout(root);
  const info = path.join(commonDir, 'objects', 'info');
  const present = await Promise.all(
    [path.join(info, 'commit-graph'), path.join(info, 'commit-graphs', 'commit-graph-chain')].map((file) => fs.stat(file).then(() => true, () => false)),
  );
  if (present.some(Boolean)) return null;
  const objects = await fs.stat(path.join(commonDir, 'objects')).then((stat) => stat.isDirectory(), () => false);
  return objects ? 'no commit-graph file: `git commit-graph write --reachable` would make reading delivery history faster' : null;
}
