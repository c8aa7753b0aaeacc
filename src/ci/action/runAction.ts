// The GitHub Action (action.yml at the repository root runs action/dist/index.js, this module
// bundled): the merge check of the pull request the job runs for, as annotations on its changed
// files, a job summary, step outputs and the step's exit code. Same engine, same verdict, same
// formats as `reliability-lens check`.
import * as path from 'node:path';
import { gateFails } from '../../core/gateOutcome';
import { inertLine } from '../../core/inertText';
import { renderVerdict } from '../../cli/humanReport';
import { createStyler } from '../../cli/table';
import { environmentTokens } from '../../sources/remoteSources';
import { insecureSkipVerifyFromEnvironment } from '../../sources/http/tlsVerification';
import { checkQuery, isUserFacingError, remoteFirstBranch, revisionExists, ShallowCloneError } from '../../workspace/engine';
import { checkAnnotations } from '../formats/checkAnnotations';
import { renderCheckMarkdown } from '../formats/checkMarkdown';
import { workflowCommand } from '../formats/workflowCommands';
import { actionInput, ActionInputError, booleanInput, failOnInput, tokenEnvironment } from './actionInputs';
import { repositoryName, upsertPullRequestComment } from './pullRequestComment';
import { createHttpClient } from '../../sources/http/httpClient';
import { SourceError } from '../../sources/http/sourceError';
import { outputEntry } from './actionOutputs';
import { EventPayloadError, parsePullRequestEvent, type PullRequestEvent } from './pullRequestEvent';

export interface ActionIo {
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  clock(): number;
  /** A line of the step's log (the runner reads workflow commands from it). */
  stdout(text: string): void;
  readFile(file: string): Promise<string>;
  appendFile(file: string, text: string): Promise<void>;
}

export const SHALLOW_CHECKOUT_FIX =
  'The merge check needs the history of the pull request and its base: check out with actions/checkout and `fetch-depth: 0` (see the README\'s workflow).';

/** Runs the gate; resolves to the step's exit code (1: the gate fails, or the check could not run). */
export async function runAction(io: ActionIo): Promise<number> {
  try {
    return await gate(io);
  } catch (error) {
    if (error instanceof ShallowCloneError) {
      io.stdout(workflowCommand('error', { title: 'Shallow checkout' }, `${error.message}. ${SHALLOW_CHECKOUT_FIX}`));
    } else if (isUserFacingError(error) || error instanceof ActionInputError || error instanceof EventPayloadError) {
      io.stdout(workflowCommand('error', { title: 'Reliability Lens could not check this change' }, error.message));
    } else {
      io.stdout(workflowCommand('error', { title: 'Reliability Lens: internal error' }, (error as Error)?.stack ?? String(error)));
    }
    return 1;
  }
}

async function gate(io: ActionIo): Promise<number> {
  const { env } = io;
  const failOn = failOnInput(env);
  booleanInput(env, 'comment'); // a misspelt value is refused before the check runs, not after
  const event = env.GITHUB_EVENT_PATH ? parsePullRequestEvent(await io.readFile(env.GITHUB_EVENT_PATH), env.GITHUB_EVENT_PATH) : null;
  const root = path.resolve(env.GITHUB_WORKSPACE || io.cwd, actionInput(env, 'workspace') || '.');
  const baseName = actionInput(env, 'base') || env.GITHUB_BASE_REF || event?.baseRef || undefined;
  const base = baseName === undefined ? undefined : ((await remoteFirstBranch(root, baseName)) ?? baseName);
  const head = await pullRequestHead(root, event);
  io.stdout(describeChange(event, base, head));

  // The pull request's labels: the base's policy.exemptLabel among them exempts a freeze (only people
  // with write access can set a label, so a stranger's pull request cannot exempt itself).
  const change = { base, ...(head === undefined ? {} : { head }), ...(event === null ? {} : { labels: event.labels }) };
  const result = await checkQuery(root, change, {
    now: io.clock(),
    allowRemote: true,
    tokens: environmentTokens(tokenEnvironment(env)),
    remoteSettings: { prometheusInsecureSkipVerify: insecureSkipVerifyFromEnvironment(env) },
  });

  for (const line of checkAnnotations(result)) io.stdout(line);
  io.stdout(renderVerdict(result, createStyler(false)));
  if (env.GITHUB_OUTPUT) {
    const outputs = [
      outputEntry('verdict', result.verdict),
      outputEntry('services', JSON.stringify(result.services)),
      outputEntry('reasons', JSON.stringify(result.reasons)),
    ];
    await io.appendFile(env.GITHUB_OUTPUT, outputs.join(''));
  }
  const markdown = renderCheckMarkdown(result, failOn);
  if (env.GITHUB_STEP_SUMMARY) await io.appendFile(env.GITHUB_STEP_SUMMARY, `${markdown}\n`);
  if (booleanInput(env, 'comment')) io.stdout(await commentOnPullRequest(env, event, markdown));
  const fails = gateFails(result.verdict, failOn);
  io.stdout(fails ? `The gate fails: the verdict is ${result.verdict} and fail-on is ${failOn}.` : `The gate passes (fail-on: ${failOn}).`);
  return fails ? 1 : 0;
}

/**
 * The tip of the change: the pull request's own head commit when the checkout has it (the job's
 * HEAD is then GitHub's merge commit, which names no incident and is no revert, so it must not
 * count as a commit of the change); HEAD otherwise.
 */
async function pullRequestHead(root: string, event: PullRequestEvent | null): Promise<string | undefined> {
  if (event === null) return undefined;
  return (await revisionExists(root, event.headSha)) ? event.headSha : undefined;
}

function describeChange(event: PullRequestEvent | null, base: string | undefined, head: string | undefined): string {
  const against = base === undefined ? 'the default branch' : inertLine(base);
  if (event === null) return `Checking HEAD against ${against}.`;
  const labels = event.labels.length > 0 ? `; labels: ${event.labels.map(inertLine).join(', ')}` : '';
  const tip = head === undefined ? 'HEAD (the head commit is not in this checkout)' : head.slice(0, 12);
  return `Checking pull request #${event.number} (${tip}) against ${against}${labels}.`;
}

/** GitHub's REST API when the runner does not say (GITHUB_API_URL is set on every runner). */
const GITHUB_API = 'https://api.github.com';

/**
 * The pull request comment (input `comment: true`), as a log line; whatever stops it is a warning
 * annotation, never a failed step: the gate's verdict does not depend on a comment.
 */
async function commentOnPullRequest(env: ActionIo['env'], event: PullRequestEvent | null, markdown: string): Promise<string> {
  const warn = (why: string) => workflowCommand('warning', { title: 'Reliability Lens: no pull request comment' }, `${why}. The gate's verdict stands; the job summary has the report.`);
  if (event === null) return warn(`comment: true, but this run is for a ${env.GITHUB_EVENT_NAME || 'non-pull-request'} event, with no pull request`);
  const repository = repositoryName(env.GITHUB_REPOSITORY);
  if (repository === null) return warn(`GITHUB_REPOSITORY is not owner/name: ${JSON.stringify((env.GITHUB_REPOSITORY ?? '').slice(0, 80))}`);
  try {
    const baseUrl = env.GITHUB_API_URL || GITHUB_API;
    const token = await environmentTokens(tokenEnvironment(env))({ source: 'github', origin: baseUrl });
    if (token === undefined) return warn('comment: true needs the github-token input (the default, the job\'s token, is empty here)');
    const client = createHttpClient({
      sourceName: 'GitHub',
      baseUrl,
      // A token without a pin is for GitHub's own API only (remoteSources.ts): so it is pinned there.
      token: typeof token === 'string' ? { value: token, scheme: 'Bearer', origin: GITHUB_API } : { ...token, scheme: 'Bearer' },
    });
    const outcome = await upsertPullRequestComment(client, repository, event.number, markdown);
    return `${outcome.action === 'created' ? 'Commented on' : 'Updated the comment on'} pull request #${event.number}.`;
  } catch (error) {
    if (error instanceof SourceError && error.reason === 'forbidden') {
      return warn(`${error.message}. Give the job \`permissions: pull-requests: write\` (a pull request from a fork gets a read-only token)`);
    }
    return warn(isUserFacingError(error) ? error.message : String(error));
  }
}
