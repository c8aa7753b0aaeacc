// Types for scripts/demoEditor.js.
import type { Log } from './codeServer';

export declare const DEFAULT_PORT: number;

export interface LaunchDemoEditorOptions {
  workspaceFolder: string;
  /** Tried first; the next free port above it otherwise. Default 8080. */
  port?: number;
  /** Default: this repository. Build it first (`npm run build`). */
  extensionPath?: string;
  log?: Log;
}

/** Resolves when the editor stops (Ctrl-C or SIGTERM); rejects if it fails to start or dies. */
export declare function launchDemoEditor(options: LaunchDemoEditorOptions): Promise<void>;
