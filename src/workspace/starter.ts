// "Create Starter .reliability/ Folder": a commented example tailored to this repository, so a team starts
// from their own service folders and tag naming instead of a blank page.
import { execFile } from 'node:child_process';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** Folders that usually hold one service each in a monorepo. */
const SERVICE_PARENTS = ['services', 'apps', 'packages', 'cmd'];
const IGNORED = new Set(['node_modules', 'dist', 'out', 'build', 'target', 'vendor', 'docs', 'test', 'tests', 'scripts', 'media']);
/**
 * Folder names that make a service name as they are. Others are not proposed: a folder name may hold
 * a newline, `#` or `*`, which would write YAML or a glob of the repository's choosing into config.yaml.
 */
const SERVICE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export class StarterExistsError extends Error {
  override name = 'StarterExistsError';
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

async function listDirectories(dir: string): Promise<string[]> {
  try {
    const entries = await fs.readdir(dir, { withFileTypes: true });
    return entries.filter((e) => e.isDirectory() && SERVICE_NAME.test(e.name) && !IGNORED.has(e.name)).map((e) => e.name).sort();
  } catch {
    return [];
  }
}

/** Service name -> glob, from `services/*`-style folders, else top-level folders, else the whole repository. */
export async function guessServices(root: string): Promise<Array<{ name: string; glob: string }>> {
  for (const parent of SERVICE_PARENTS) {
    const children = await listDirectories(path.join(root, parent));
    if (children.length > 0) return children.slice(0, 12).map((name) => ({ name, glob: `${parent}/${name}/**` }));
  }
  const top = (await listDirectories(root)).filter((d) => d !== 'src');
  if (top.length > 0 && top.length <= 8) return top.map((name) => ({ name, glob: `${name}/**` }));
  return [{ name: path.basename(root).toLowerCase().replace(/[^a-z0-9-]+/g, '-') || 'app', glob: '**' }];
}

/** The pattern written when the repository's tags are not read (Restricted Mode) or match nothing. */
const CONVENTIONAL_TAG_PATTERN = 'v*';

/** The release tag pattern this repository uses: the common prefix of its tags before the version number. */
export async function guessTagPattern(root: string): Promise<string> {
  try {
    const { stdout } = await execFileAsync('git', ['tag', '--list', '--sort=-creatordate'], { cwd: root, maxBuffer: 16 * 1024 * 1024 });
    const prefixes = new Map<string, number>();
    for (const tag of stdout.split('\n').slice(0, 200)) {
      const match = /^(.*?)\d+(\.\d+)*/.exec(tag.trim());
      if (match) prefixes.set(match[1], (prefixes.get(match[1]) ?? 0) + 1);
    }
    const best = [...prefixes.entries()].sort((a, b) => b[1] - a[1])[0];
    if (best) return `${best[0]}*`;
  } catch {
    // Not a git repository yet: fall back to the conventional pattern.
  }
  return CONVENTIONAL_TAG_PATTERN;
}

function yamlString(value: string): string {
  return JSON.stringify(value);
}

export interface StarterOptions {
  /**
   * false in an untrusted workspace: git is not run (a repository's own git configuration can run
   * commands), so the tag pattern is the conventional one and config.yaml says to check it. The
   * files are still written: they are the user's own request, and hold nothing read from git.
   */
  allowGit?: boolean;
}

/**
 * Writes `.reliability/` with a config, one example SLO and an empty incident ledger; returns the files written.
 * Every file lands inside `root`: a `.reliability` (or `slos`, `data`) that is a symlink leading out of
 * the repository is refused, as a repository written by someone else may hold one.
 */
export async function createStarterFolder(root: string, options: StarterOptions = {}): Promise<string[]> {
  const folder = path.join(root, '.reliability');
  try {
    await fs.access(path.join(folder, 'config.yaml'));
    throw new StarterExistsError(`${path.join(folder, 'config.yaml')} already exists; the starter never overwrites it`);
  } catch (error) {
    if (error instanceof StarterExistsError) throw error;
  }
  const services = await guessServices(root);
  const allowGit = options.allowGit ?? true;
  const tagPattern = allowGit ? await guessTagPattern(root) : CONVENTIONAL_TAG_PATTERN;
  const tagComment = allowGit
    ? `found in this repository: ${tagPattern}`
    : 'git was not run in Restricted Mode; check this pattern against your release tags';
  const first = services[0];
  const files: Record<string, string> = {
    'config.yaml': `# Reliability Lens workspace. Reference: the README's ".reliability/ folder" section.
version: 1

# A file belongs to every service whose glob matches it (CODEOWNERS-style).
services:
${services.map((s) => `  - name: ${s.name}\n    paths: [${yamlString(s.glob)}]`).join('\n')}

# Deployments: git tags matching tagPattern (${tagComment}).
deployments:
  source: git-tags
  tagPattern: ${yamlString(tagPattern)}

# Incidents: the local ledger (incidents.yaml). Add pagerduty, opsgenie, github or alertmanager sources here;
# their tokens live in the editor's secret storage (Reliability: Set Token), never in this file.
incidents:
  sources:
    - type: file

# SLI data: CSV files under data/ (file), or a Prometheus-compatible server:
#   source: prometheus
#   prometheus:
#     url: https://prometheus.example.com
slis:
  source: file

# The error budget policy the merge check applies.
policy:
  cautionBelow: 0.25     # budget remaining below this: caution
  freezeSeverity: SEV2   # an open incident this severe or worse: freeze
`,
    [`slos/${first.name}.yaml`]: `# An OpenSLO v1 SLO: 99.9% of ${first.name}'s requests succeed over a rolling 28 days.
apiVersion: openslo/v1
kind: SLO
metadata:
  name: ${first.name}-availability
  displayName: ${first.name} requests succeed
spec:
  service: ${first.name}
  budgetingMethod: Occurrences
  timeWindow:
    - duration: 28d
      isRolling: true
  indicator:
    metadata:
      name: ${first.name}-requests
    spec:
      ratioMetric:
        counter: true
        good:
          metricSource:
            type: CSV
            spec: { path: data/${first.name}-availability.csv, column: good }
        total:
          metricSource:
            type: CSV
            spec: { path: data/${first.name}-availability.csv, column: total }
  objectives:
    - displayName: 99.9% of requests succeed
      target: 0.999
`,
    [`data/${first.name}-availability.csv`]: 'timestamp,good,total\n',
    'incidents.yaml': `# The incident ledger. Example:
#  - id: INC-1
#    title: Checkout returns 500 for some carts
#    severity: SEV2            # SEV1 (worst) .. SEV5
#    service: ${first.name}
#    startedAt: 2026-01-15T09:30:00Z
#    resolvedAt: 2026-01-15T10:10:00Z
#    commits: [abc1234]        # root-cause commits, if known
incidents: []
`,
  };
  // Every folder is checked before anything is written, so a refusal leaves no half-written starter.
  const realRoot = await fs.realpath(root);
  for (const relative of Object.keys(files)) await requireInside(realRoot, path.dirname(path.join(folder, relative)));
  const written: string[] = [];
  for (const [relative, content] of Object.entries(files)) {
    const target = path.join(folder, relative);
    await fs.mkdir(path.dirname(target), { recursive: true });
    const created = await fs.writeFile(target, content, { flag: 'wx' }).then(
      () => true,
      (error: NodeJS.ErrnoException) => {
        // A file the team already has (an SLO, the ledger) is kept as it is.
        if (error.code === 'EEXIST') return false;
        throw error;
      },
    );
    if (created) written.push(target);
  }
  return written;
}
