// Reading the logs VS Code writes under `<user-data-dir>/logs/<timestamp>/`: the remote extension
// host's log (activation and uncaught extension errors) and each extension's output channels
// (`exthost1/<extension id>/<channel name>.log`).
import * as fs from 'node:fs';
import * as path from 'node:path';

export function logFiles(logsDir: string): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.log')) found.push(full);
    }
  };
  walk(logsDir);
  return found.sort();
}

export function extensionHostLogs(logsDir: string): string[] {
  return logFiles(logsDir).filter((file) => /exthost\d*[/\\](remote)?exthost\.log$/.test(file));
}

/** Output channel logs of one extension (`createOutputChannel(name, { log: true })`). */
export function outputChannelLogs(logsDir: string, extensionId: string): string[] {
  const lower = extensionId.toLowerCase();
  return logFiles(logsDir).filter((file) => path.basename(path.dirname(file)).toLowerCase() === lower);
}

function read(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

export function activationLine(logsDir: string, extensionId: string): string | undefined {
  const needle = `_doActivateExtension ${extensionId}`;
  for (const file of extensionHostLogs(logsDir)) {
    const line = read(file)
      .split('\n')
      .find((l) => l.includes(needle));
    if (line) return line;
  }
  return undefined;
}

/**
 * `[error]` lines that belong to the extension: every error line in its own output channels, and
 * extension-host error lines naming it (failed activation, uncaught errors whose stack runs
 * through its files). An error line in the host log is followed by its stack, so the lines up to
 * the next timestamped line are searched too.
 */
export function extensionErrors(logsDir: string, extensionId: string, extensionPath: string): string[] {
  const errors: string[] = [];
  for (const file of outputChannelLogs(logsDir, extensionId)) {
    for (const line of read(file).split('\n')) if (/\[error\]/.test(line)) errors.push(`${path.basename(file)}: ${line}`);
  }
  const ours = [extensionId.toLowerCase(), path.resolve(extensionPath).toLowerCase()];
  for (const file of extensionHostLogs(logsDir)) {
    const lines = read(file).split('\n');
    for (let i = 0; i < lines.length; i++) {
      if (!/\[error\]/.test(lines[i])) continue;
      let end = i + 1;
      while (end < lines.length && !/^\d{4}-\d\d-\d\d /.test(lines[end])) end++;
      const entry = lines.slice(i, end).join('\n');
      if (ours.some((needle) => entry.toLowerCase().includes(needle))) errors.push(`${path.basename(file)}: ${entry}`);
    }
  }
  return errors;
}
