// Types for scripts/codeServer.js, which stays plain CommonJS so it runs before any build.

export declare const CODE_SERVER_VERSION: string;
export declare const NODE_VERSION: string;
export declare const BUILD_APT_PACKAGES: readonly string[];
export declare const DEFAULT_SETTINGS: Readonly<Record<string, unknown>>;

export type Log = (line: string) => void;

export interface CodeServerPaths {
  cacheDir: string;
  nodePrefix: string;
  nodePackageDir: string;
  /** The Node 24 binary code-server runs on. */
  nodeBin: string;
  appPrefix: string;
  codeServerDir: string;
  /** code-server's `out/node/entry.js`. */
  entry: string;
  marker: string;
}

export declare function ensureAptPackages(packages: readonly string[], options?: { log?: Log }): Promise<string[]>;
export declare function ensureCodeServer(options?: { log?: Log; cacheDir?: string }): Promise<CodeServerPaths>;
export declare function layout(cacheDir?: string): CodeServerPaths;
export declare function freePort(preferred?: number, host?: string): Promise<number>;
export declare function linkExtension(extensionPath: string, extensionsDir: string): { id: string; folderName: string; target: string };

export interface StartCodeServerOptions {
  workspaceFolder: string;
  /** 0 picks a free port; any other number is tried first, then the next free one above it. */
  port?: number;
  /** Extension folder to link in as if installed (package.json publisher, name and version name it). */
  extensionPath?: string;
  /** Default: a temporary folder removed by stop(). */
  userDataDir?: string;
  /** Default: a temporary folder removed by stop(). */
  extensionsDir?: string;
  /** User settings merged over DEFAULT_SETTINGS. */
  settings?: Record<string, unknown>;
  log?: Log;
  env?: Record<string, string>;
  startTimeoutMs?: number;
}

export interface RunningCodeServer {
  /** The workbench with the folder open. */
  url: string;
  baseUrl: string;
  port: number;
  pid: number;
  userDataDir: string;
  extensionsDir: string;
  /** VS Code's logs: one timestamped folder per start, with exthost1/ inside. */
  logsDir: string;
  /** code-server's own stdout and stderr. */
  outputLog: string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stop(options?: { keepDirs?: boolean }): Promise<void>;
}

export declare function startCodeServer(options: StartCodeServerOptions): Promise<RunningCodeServer>;
