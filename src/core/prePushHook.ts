// The pre-push hook `reliability-lens hook install` writes: it runs the merge check before a push and
// blocks the push on a freeze. The hook is a shell script, so every value put into it (paths) is a
// single-quoted shell word. A marker line says the hook is ours: uninstall removes only such a hook,
// and install never writes over a hook without it (it refuses, or with --chain keeps it and runs it first).

/** The line that marks a hook as written by reliability-lens. */
export const HOOK_MARKER = '# reliability-lens-hook: pre-push v1';

/** Where a chained hook is kept: next to the hook, under this name, still runnable. */
export const CHAINED_HOOK_NAME = 'pre-push.before-reliability-lens';

/** `text` as one single-quoted POSIX shell word: nothing in it is expanded. */
export function shellWord(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

export interface PrePushHookOptions {
  /** The node binary that ran `hook install`: a git client started from a desktop may not have node on PATH. */
  nodePath: string;
  /** The CLI script (dist/cli.js) that ran `hook install`. */
  cliPath: string;
  /** The workspace root relative to the repository's top level ('' when it is the top level). */
  workspace: string;
  /** Whether a previous pre-push hook was kept as CHAINED_HOOK_NAME, to run first. */
  chained: boolean;
}

/** Whether a hook's text is one this module wrote. */
export function isOurHook(text: string): boolean {
  return text.split('\n').includes(HOOK_MARKER);
}

/**
 * The hook. git runs it at the working tree's top level with the remote's name and URL as arguments
 * and the refs to push on stdin. A chained hook gets both, and a failure of its own stops the push
 * as it did before. Then the check: exit 1 (freeze) blocks the push; exit 2 (the check could not
 * decide: bad configuration, no base branch) says why and lets the push go, since the gate that
 * decides is the one in CI, and a local hook that blocks every push while the configuration is
 * being fixed gets uninstalled.
 */
export function prePushHookScript(options: PrePushHookOptions): string {
  const workspace = options.workspace === '' ? '' : ` --workspace ${shellWord(options.workspace)}`;
  const lines = [
    '#!/bin/sh',
    HOOK_MARKER,
    '# Runs `reliability-lens check` before a push and blocks the push on a freeze.',
    '# Written by `reliability-lens hook install`; `reliability-lens hook uninstall` removes it'
      + (options.chained ? ` and puts ${CHAINED_HOOK_NAME} back.` : '.'),
  ];
  if (options.chained) {
    lines.push(
      'input=$(cat)',
      `chained="$(dirname "$0")/${CHAINED_HOOK_NAME}"`,
      'if [ -x "$chained" ]; then',
      '  printf \'%s\\n\' "$input" | "$chained" "$@" || exit $?',
      'fi',
    );
  }
  lines.push(
    `node=${shellWord(options.nodePath)}`,
    `cli=${shellWord(options.cliPath)}`,
    '[ -x "$node" ] || node=node',
    'if [ -f "$cli" ]; then',
    `  "$node" "$cli" check${workspace}`,
    'elif command -v reliability-lens >/dev/null 2>&1; then',
    `  reliability-lens check${workspace}`,
    'else',
    '  echo "reliability-lens pre-push hook: $cli is gone and reliability-lens is not on PATH; run \\`reliability-lens hook install\\` again, or \\`git push --no-verify\\` to push without the check" >&2',
    '  exit 1',
    'fi',
    'status=$?',
    'if [ "$status" -eq 1 ]; then',
    '  echo "reliability-lens: push blocked: the merge check says freeze (see above). \\`git push --no-verify\\` pushes anyway." >&2',
    '  exit 1',
    'fi',
    'if [ "$status" -ne 0 ]; then',
    '  echo "reliability-lens: the merge check could not decide (exit $status, see above); the push goes ahead." >&2',
    'fi',
    'exit 0',
  );
  return `${lines.join('\n')}\n`;
}
