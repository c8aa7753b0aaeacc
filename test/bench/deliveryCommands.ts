// What the delivery-history benchmark runs on a generated repository: the product's commands
// (`dora`, `check`, `lens FILE`) and the floors of issue 8, the git commands any tool must run to
// answer the same questions for the 90-day DORA window (and the previous 90 days its trend needs).
import * as path from 'node:path';
import { git, LENS_FILE } from './bigRepository';

const DAY_MS = 86_400_000;
/** The DORA window and the previous one: the deployments whose changes a window-bounded read needs. */
const FLOOR_DAYS = 180;
/** `lens` shows a file's commits of the last 30 days (its default `recentDays`). */
export const RECENT_DAYS = 30;
/** `check` is measured on the last five commits of main: `BASE...HEAD` is a five-commit change. */
export const CHECK_BASE_DEPTH = 5;
const TAG_PATTERN = /^v1\./;

/** The tag fields the product reads (src/sources/git/history.ts): type, peeled type, names, creator date, ref. */
export const TAG_FORMAT = '--format=%(objecttype)%00%(*objecttype)%00%(objectname)%00%(*objectname)%00%(creatordate:unix)%00%(refname)';
const REV_LIST_FORMAT = '--format=%H %ct %P%n%s%n%b';

export interface ProcessSpec {
  command: string;
  args: string[];
  input?: string;
  /** Exit statuses that are answers: `check` exits 1 for a freeze. */
  okStatuses?: number[];
}

export interface DeliveryCommands {
  /** The floor steps, each timed on its own in every round; the floors below are sums of them. */
  steps: {
    forEachRef: ProcessSpec;
    revList: ProcessSpec;
    nodeStartup: ProcessSpec;
    diffNames: ProcessSpec;
    logRange: ProcessSpec;
    logFileSince: ProcessSpec;
    blameSince: ProcessSpec;
  };
  /** The product, as `node <cli> …` arguments (cwd: the repository, so the lens file path is relative to it). */
  cli: { dora: string[]; check: string[]; lens: string[] };
  /** Deployments given to the floor's `rev-list --stdin`: last 180 days as positives, every earlier one as `^sha`. */
  windowDeployments: { positives: number; negatives: number };
  base: string;
}

export type StepName = keyof DeliveryCommands['steps'];

/** The steps each floor adds up, as issue 8 defines them. */
export const FLOORS: Record<'dora' | 'check' | 'lens', StepName[]> = {
  dora: ['forEachRef', 'revList', 'nodeStartup'],
  check: ['forEachRef', 'revList', 'nodeStartup', 'diffNames', 'logRange'],
  lens: ['logFileSince', 'blameSince', 'forEachRef', 'nodeStartup'],
};

/**
 * The stdin of the window floor's one `git rev-list`: the commit of every deployment (annotated or
 * lightweight tag matching `v1.*`, at its tagger or committer date) of the last 180 days, then every
 * earlier deployment negated. git walks from the first until it meets the history of the second.
 */
function windowRevListInput(root: string, now: number): { stdin: string; positives: number; negatives: number } {
  const since = now - FLOOR_DAYS * DAY_MS;
  const positives: string[] = [];
  const negatives: string[] = [];
  for (const line of git(root, ['for-each-ref', TAG_FORMAT, 'refs/tags']).split('\n')) {
    if (line.length === 0) continue;
    const [type, peeledType, objectName, peeledName, creatorDate, refName] = line.split('\0');
    const commit = type === 'commit' ? objectName : peeledType === 'commit' ? peeledName : null;
    const time = Number(creatorDate) * 1000;
    if (commit === null || !TAG_PATTERN.test(refName.slice('refs/tags/'.length)) || time > now) continue;
    if (time > since) positives.push(commit);
    else negatives.push(`^${commit}`);
  }
  return { stdin: [...positives, ...negatives].join('\n') + '\n', positives: positives.length, negatives: negatives.length };
}

export function deliveryCommands(root: string, cli: string, now: number): DeliveryCommands {
  const nowIso = new Date(now).toISOString();
  // `(now - 30 days, now]`: git's --since is inclusive, so one second later.
  const since = `--since=@${Math.floor((now - RECENT_DAYS * DAY_MS) / 1000) + 1}`;
  const base = git(root, ['rev-parse', `main~${CHECK_BASE_DEPTH}`]).trim();
  const window = windowRevListInput(root, now);
  const workspace = ['--workspace', root, '--now', nowIso, '--json'];
  return {
    steps: {
      forEachRef: { command: 'git', args: ['for-each-ref', TAG_FORMAT, 'refs/tags'] },
      revList: { command: 'git', args: ['rev-list', '--stdin', REV_LIST_FORMAT], input: window.stdin },
      nodeStartup: { command: process.execPath, args: ['-e', '0'] },
      diffNames: { command: 'git', args: ['diff', '--name-only', `${base}...HEAD`] },
      logRange: { command: 'git', args: ['log', `${base}..HEAD`] },
      logFileSince: { command: 'git', args: ['log', since, '--', LENS_FILE] },
      blameSince: { command: 'git', args: ['blame', '--incremental', since, '--', LENS_FILE] },
    },
    cli: {
      dora: [cli, 'dora', ...workspace],
      check: [cli, 'check', '--base', base, ...workspace],
      lens: [cli, 'lens', LENS_FILE, ...workspace],
    },
    windowDeployments: { positives: window.positives, negatives: window.negatives },
    base,
  };
}

/** Exit statuses of each command that are answers (check: 0 go or caution, 1 freeze; 2 is an error). */
export const CLI_OK_STATUSES: Record<keyof DeliveryCommands['cli'], number[]> = { dora: [0], check: [0, 1], lens: [0] };

/** The label a step prints under. */
export const STEP_LABELS: Record<StepName, string> = {
  forEachRef: 'git for-each-ref refs/tags',
  revList: `git rev-list --stdin --format='%H %ct %P%n%s%n%b'`,
  nodeStartup: 'node -e 0 (start-up)',
  diffNames: 'git diff --name-only BASE...HEAD',
  logRange: 'git log BASE..HEAD',
  logFileSince: `git log --since (${RECENT_DAYS} days) -- FILE`,
  blameSince: `git blame --incremental --since (${RECENT_DAYS} days) -- FILE`,
};

export const relativeCli = (projectRoot: string, cli: string) => path.relative(projectRoot, cli);
