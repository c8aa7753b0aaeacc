// Starting `git for-each-ref` early. With deployments from tags the tags are needed before anything of
// delivery can be read, and they are known before `.reliability/` is parsed, so their read starts first
// and runs while the rest loads; the delivery read then finds it in the git source's cache. The engine calls
// it in one place, the first step of every load (engine.ts, loadWorkspaceDefinitions), before the
// definitions' schemas and YAML parser are evaluated.
import * as path from 'node:path';
import { prefetchTags } from '../sources/git/history';
import { readBoundedText } from '../sources/boundedText';

/** The most of config.yaml read for the hint; a larger file gives none (the real read reports it). */
const HINT_READ_LIMIT = 1_000_000;

/**
 * The deployment source config.yaml names, read with a pattern rather than the YAML parser (which the
 * CLI has not loaded yet at this point): a hint that only decides whether git starts early, never
 * what anything reports. Undefined when config.yaml names none (the default, git tags).
 */
export function deploymentSourceHint(configText: string): string | undefined {
  const flow = /^deployments:[ \t]*\{([^}]*)\}/m.exec(configText);
  if (flow) return /(?:^|[\s,])source:\s*["']?([\w-]+)/.exec(flow[1])?.[1];
  const block = /^deployments:[ \t]*(?:#.*)?\n((?:[ \t]+.*(?:\n|$)|[ \t]*\n)*)/m.exec(configText);
  if (block) return /^[ \t]+source:[ \t]*["']?([\w-]+)/m.exec(block[1])?.[1];
  return undefined;
}

/** Starts reading the tags when deployments come from tags; resolves once git is running. Never throws. */
export async function prefetchTagHistory(root: string): Promise<void> {
  // Through the one checked open: config.yaml may be a FIFO (a plain read waits for a writer
  // forever), a device or a link out of the workspace.
  const read = await readBoundedText(path.join(root, '.reliability'), 'config.yaml', HINT_READ_LIMIT, { root }).catch(() => null);
  const text = read?.ok ? read.text : '';
  const source = deploymentSourceHint(text);
  // Failures are left for the real read to report, with its context.
  if (source === undefined || source === 'git-tags') await prefetchTags(root).catch(() => undefined);
}
