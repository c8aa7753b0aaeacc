// Real git repositories with fixed dates for tests and the benchmark. Small ones are built commit by
// commit with the git CLI; big ones are streamed through `git fast-import`, which writes 50,000
// commits in seconds.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** `2026-01-05T10:00:00Z` -> the `@seconds +0000` form git reads without guessing a time zone. */
export function gitDate(iso: string | number): string {
  const ms = typeof iso === 'number' ? iso : Date.parse(iso);
  if (Number.isNaN(ms)) throw new Error(`not a date: ${iso}`);
  return `@${Math.floor(ms / 1000)} +0000`;
}

export interface CommitSpec {
  /** Committer and author time. */
  at: string;
  message: string;
  /** Path -> new content; null deletes the file. */
  files?: Record<string, string | null>;
  author?: string;
}

export interface TagSpec {
  /** Defaults to HEAD. */
  target?: string;
  /** Annotated tags carry this as their tagger date; lightweight tags have none and take the commit's. */
  annotatedAt?: string;
}

export class GitRepoBuilder {
  private constructor(readonly root: string) {}

  /** A new repository in a fresh temporary directory, on branch `main`. */
  static create(prefix = 'lens-git-'): GitRepoBuilder {
    const root = mkdtempSync(path.join(os.tmpdir(), prefix));
    const builder = new GitRepoBuilder(root);
    builder.git(['init', '--quiet', '--initial-branch=main']);
    builder.git(['config', 'user.name', 'Test Author']);
    builder.git(['config', 'user.email', 'author@example.test']);
    builder.git(['config', 'commit.gpgsign', 'false']);
    builder.git(['config', 'tag.gpgsign', 'false']);
    return builder;
  }

  /** Runs git in the repository; `input` goes to its stdin (mktree, hash-object --stdin). */
  git(args: string[], env: Record<string, string> = {}, input?: string): string {
    return execFileSync('git', args, {
      cwd: this.root,
      // The tester's own git configuration (signing, hooks, default branch) must not change the repository.
      env: { ...process.env, ...env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' },
      encoding: 'utf8',
      stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      ...(input === undefined ? {} : { input }),
    }).trim();
  }

  /** Writes files in the working tree without committing them. */
  write(files: Record<string, string | null>): this {
    for (const [file, content] of Object.entries(files)) {
      const absolute = path.join(this.root, file);
      if (content === null) {
        unlinkSync(absolute);
      } else {
        mkdirSync(path.dirname(absolute), { recursive: true });
        writeFileSync(absolute, content);
      }
    }
    return this;
  }

  /** Commits the given files (or nothing: an empty commit) at a fixed time; returns the full SHA. */
  commit(spec: CommitSpec): string {
    const files = spec.files ?? {};
    this.write(files);
    for (const [file, content] of Object.entries(files)) {
      this.git(content === null ? ['rm', '--quiet', '--cached', '--', file] : ['add', '--', file]);
    }
    const date = gitDate(spec.at);
    const args = ['commit', '--quiet', '--allow-empty', '--no-verify', '-m', spec.message];
    if (spec.author) args.push(`--author=${spec.author} <${spec.author.toLowerCase().replace(/\W+/g, '.')}@example.test>`);
    this.git(args, { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date });
    return this.head();
  }

  head(): string {
    return this.git(['rev-parse', 'HEAD']);
  }

  branch(name: string, from = 'HEAD'): this {
    this.git(['branch', name, from]);
    return this;
  }

  checkout(name: string): this {
    this.git(['checkout', '--quiet', name]);
    return this;
  }

  /** A merge commit of `branch` into the current branch (always a real merge, never fast-forward). */
  merge(branch: string, spec: { at: string; message: string }): string {
    const date = gitDate(spec.at);
    this.git(['merge', '--quiet', '--no-ff', '--no-edit', '-m', spec.message, branch], {
      GIT_AUTHOR_DATE: date,
      GIT_COMMITTER_DATE: date,
    });
    return this.head();
  }

  /** An annotated tag when `annotatedAt` is given (its tagger date), else a lightweight one. */
  tag(name: string, spec: TagSpec = {}): this {
    const target = spec.target ?? 'HEAD';
    if (spec.annotatedAt) {
      this.git(['tag', '-a', name, '-m', `release ${name}`, target], { GIT_COMMITTER_DATE: gitDate(spec.annotatedAt) });
    } else {
      this.git(['tag', name, target]);
    }
    return this;
  }

  /** A shallow clone of this repository with `depth` commits, in its own temporary directory. */
  shallowClone(depth: number): GitRepoBuilder {
    const root = mkdtempSync(path.join(os.tmpdir(), 'lens-git-shallow-'));
    execFileSync('git', ['clone', '--quiet', `--depth=${depth}`, `file://${this.root}`, root], { stdio: 'ignore' });
    return new GitRepoBuilder(root);
  }

  remove(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}

// ---- fast-import ------------------------------------------------------------------------------------

export interface FastImportCommit {
  kind: 'commit';
  /** Mark number (1-based, unique) others refer to as `:mark`. */
  mark: number;
  branch: string;
  /** Epoch ms. */
  time: number;
  message: string;
  /** Mark of the first parent; absent for the first commit of a branch that starts empty. */
  from?: number;
  /** Marks of further parents (merges). */
  merge?: number[];
  files: Record<string, string>;
}

export interface FastImportTag {
  kind: 'tag';
  name: string;
  /** Mark of the tagged commit. */
  target: number;
  /** Tagger date, epoch ms. */
  time: number;
}

export type FastImportEvent = FastImportCommit | FastImportTag;

function data(text: string): string {
  return `data ${Buffer.byteLength(text)}\n${text}\n`;
}

function serialize(event: FastImportEvent): string {
  const seconds = Math.floor(event.time / 1000);
  if (event.kind === 'tag') {
    return `tag ${event.name}\nfrom :${event.target}\ntagger Release Bot <release@example.test> ${seconds} +0000\n${data(`release ${event.name}`)}`;
  }
  let text = `commit refs/heads/${event.branch}\nmark :${event.mark}\n`;
  text += `author Bench Author <bench@example.test> ${seconds} +0000\ncommitter Bench Author <bench@example.test> ${seconds} +0000\n`;
  text += data(event.message);
  if (event.from !== undefined) text += `from :${event.from}\n`;
  for (const parent of event.merge ?? []) text += `merge :${parent}\n`;
  for (const [file, content] of Object.entries(event.files)) text += `M 100644 inline ${file}\n${data(content)}`;
  return text;
}

/** Streams events into `git fast-import` in a new repository at `root` (created), then checks out `branch`. */
export async function fastImportRepository(root: string, events: Iterable<FastImportEvent>, branch = 'main'): Promise<void> {
  mkdirSync(root, { recursive: true });
  execFileSync('git', ['init', '--quiet', `--initial-branch=${branch}`, root], { stdio: 'ignore' });
  await new Promise<void>((resolve, reject) => {
    const child = spawn('git', ['fast-import', '--quiet', '--done'], { cwd: root, stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`git fast-import failed: ${stderr.trim()}`))));
    const iterator = events[Symbol.iterator]();
    const pump = () => {
      for (;;) {
        const next = iterator.next();
        if (next.done) {
          child.stdin.end('done\n');
          return;
        }
        if (!child.stdin.write(serialize(next.value))) {
          child.stdin.once('drain', pump);
          return;
        }
      }
    };
    pump();
  });
  execFileSync('git', ['checkout', '--quiet', '--force', branch], { cwd: root, stdio: 'ignore' });
}

/**
 * Commits `files` (path -> content) onto `branch` of the repository at `root` without touching its
 * checkout, through a temporary worktree: what lands on the base branch while a change is under
 * review (the merge check reads `.reliability/` from the base, issue 10).
 */
export function commitToBranch(root: string, branch: string, files: Record<string, string>, spec: { at: string; message: string }): string {
  const worktree = mkdtempSync(path.join(os.tmpdir(), 'lens-git-worktree-'));
  const git = (args: string[], cwd: string, env: Record<string, string> = {}) =>
    execFileSync('git', args, { cwd, env: { ...process.env, ...env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  try {
    git(['worktree', 'add', '--quiet', worktree, branch], root);
    for (const [file, content] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(worktree, file)), { recursive: true });
      writeFileSync(path.join(worktree, file), content);
      git(['add', '--', file], worktree);
    }
    const date = gitDate(spec.at);
    const identity = ['-c', 'user.name=Test Author', '-c', 'user.email=author@example.test', '-c', 'commit.gpgsign=false'];
    git([...identity, 'commit', '--quiet', '--no-verify', '-m', spec.message], worktree, { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date });
    return git(['rev-parse', 'HEAD'], worktree);
  } finally {
    git(['worktree', 'remove', '--force', worktree], root);
  }
}
