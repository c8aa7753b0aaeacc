// The one typed reader of `reliabilityLens.*` settings; package.json declares them with the same
// defaults. Callers re-read on onDidChangeConfiguration instead of caching values themselves.
import * as vscode from 'vscode';
import type { DoraBands } from '../core/model';

export const CONFIG_SECTION = 'reliabilityLens';

/** `reliabilityLens.codeLens.show`: which recent changes get a lens of their own. */
export type CodeLensShow = 'linked' | 'all' | 'summary';
const CODE_LENS_SHOW_VALUES: readonly CodeLensShow[] = ['linked', 'all', 'summary'];

export interface ReliabilityLensConfig {
  codeLensEnabled: boolean;
  /** Which recent changes get a lens of their own: those with a signal (default), all, or none (the file's summary only). */
  codeLensShow: CodeLensShow;
  /** The current-line annotation of recent changes (an inline blame in the faded lens colour). */
  currentLineAnnotation: boolean;
  /** Set by the user; null: the workspace's `.reliability/config.yaml` value (`recentDays`) applies. */
  recentDays: number | null;
  /** 0 turns periodic refresh off. */
  refreshIntervalMinutes: number;
  /**
   * The shortest time between two automatic refreshes of a folder whose SLOs read Prometheus, in
   * minutes; 0: none (config.yaml's `slis.prometheus.minimumRefresh` may still set one).
   */
  minimumRefreshMinutes: number;
  doraBands: DoraBands;
  statusBarEnabled: boolean;
  remoteSourcesEnabled: boolean;
  /** Skip Prometheus' TLS verification: the user's own settings only, never a workspace's. */
  prometheusInsecureSkipVerify: boolean;
  /** The time every view is evaluated at, as written (state/lookBack.ts reads it); '' for now. */
  evaluationTime: string;
}

export const SETTING_KEYS = {
  codeLensEnabled: 'codeLens.enabled',
  codeLensShow: 'codeLens.show',
  currentLineAnnotation: 'currentLineAnnotation',
  recentDays: 'recentDays',
  refreshIntervalMinutes: 'refreshIntervalMinutes',
  minimumRefreshMinutes: 'minimumRefreshMinutes',
  doraBands: 'dora.bands',
  statusBarEnabled: 'statusBar.enabled',
  remoteSourcesEnabled: 'remoteSources.enabled',
  prometheusInsecureSkipVerify: 'prometheus.insecureSkipVerify',
  evaluationTime: 'evaluationTime',
} as const satisfies Record<keyof ReliabilityLensConfig, string>;

export function readConfig(scope?: vscode.ConfigurationScope): ReliabilityLensConfig {
  const config = vscode.workspace.getConfiguration(CONFIG_SECTION, scope);
  const bands = config.get<string>(SETTING_KEYS.doraBands, '2023');
  return {
    codeLensEnabled: config.get<boolean>(SETTING_KEYS.codeLensEnabled, true),
    codeLensShow: oneOf(config.get<string>(SETTING_KEYS.codeLensShow, 'linked'), CODE_LENS_SHOW_VALUES, 'linked'),
    currentLineAnnotation: config.get<boolean>(SETTING_KEYS.currentLineAnnotation, true) !== false,
    recentDays: explicitlySet(config, SETTING_KEYS.recentDays) ? positiveInteger(config.get<number>(SETTING_KEYS.recentDays, 30), 30) : null,
    refreshIntervalMinutes: Math.max(0, finiteOr(config.get<number>(SETTING_KEYS.refreshIntervalMinutes, 5), 5)),
    minimumRefreshMinutes: Math.max(0, finiteOr(config.get<number>(SETTING_KEYS.minimumRefreshMinutes, 0), 0)),
    doraBands: bands === '2021' ? '2021' : '2023',
    statusBarEnabled: config.get<boolean>(SETTING_KEYS.statusBarEnabled, true),
    remoteSourcesEnabled: config.get<boolean>(SETTING_KEYS.remoteSourcesEnabled, true),
    prometheusInsecureSkipVerify: userValue(config, SETTING_KEYS.prometheusInsecureSkipVerify) === true,
    evaluationTime: String(config.get<string>(SETTING_KEYS.evaluationTime, '') ?? '').trim(),
  };
}

export function affectsSetting(event: vscode.ConfigurationChangeEvent, key: keyof ReliabilityLensConfig): boolean {
  return event.affectsConfiguration(`${CONFIG_SECTION}.${SETTING_KEYS[key]}`);
}

/**
 * The user-settings value of a key, ignoring workspace and folder values. package.json scopes such
 * keys to the machine, which VS Code already keeps out of workspace settings; reading only the user's
 * value holds even where that is not enforced (an opened repository's .vscode/settings.json).
 */
function userValue(config: vscode.WorkspaceConfiguration, key: string): unknown {
  return config.inspect(key)?.globalValue;
}

function explicitlySet(config: vscode.WorkspaceConfiguration, key: string): boolean {
  const inspected = config.inspect(key);
  return [inspected?.globalValue, inspected?.workspaceValue, inspected?.workspaceFolderValue].some((value) => value !== undefined);
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], fallback: T): T {
  return allowed.find((candidate) => candidate === value) ?? fallback;
}

function finiteOr(value: number, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

function positiveInteger(value: number, fallback: number): number {
  const number = Math.floor(finiteOr(value, fallback));
  return number >= 1 ? number : fallback;
}
