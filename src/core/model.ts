// The plain data every layer shares: what sources produce, what core computes over, what views and
// the CLI render. No functions with I/O here; times are epoch milliseconds (UTC) unless named otherwise.

export const SEVERITIES = ['SEV1', 'SEV2', 'SEV3', 'SEV4', 'SEV5'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** A problem found while loading the workspace: where it is and what was expected there. */
export interface Problem {
  /** Path relative to the workspace root, e.g. `.reliability/slos/checkout.yaml`; or a source name for remote failures. */
  file: string;
  /** 1-based; 0 when the problem is about the file (or source) as a whole. */
  line: number;
  /** 1-based; 0 when unknown. */
  column: number;
  severity: 'error' | 'warning';
  message: string;
}

export interface ServiceConfig {
  name: string;
  /** CODEOWNERS-like globs relative to the workspace root; a file belongs to every service whose glob matches. */
  paths: string[];
  /** When set, only tags matching this pattern deploy the service. */
  tagPattern?: string;
  /** The merge policy's keys this service sets for itself, each replacing the global one (core/policy.ts). */
  policy?: ServicePolicy;
}

/**
 * One thing the merge policy can freeze or caution on (config.yaml `policy.freezeOn` / `cautionOn`,
 * core/policy.ts): an SLO state, an open incident at or above a severity, a suspect deployment, or a
 * source that failed to answer.
 */
export type PolicyCondition =
  | 'exhausted'
  | 'page'
  | 'ticket'
  | 'warning'
  | 'suspectDeployment'
  | 'sourceFailing'
  | { budgetBelow: number }
  | { openIncident: Severity };

/** The merge policy's keys a service may set for itself (`services[].policy`). */
export interface ServicePolicy {
  cautionBelow?: number;
  freezeSeverity?: Severity;
  freezeOn?: PolicyCondition[];
  cautionOn?: PolicyCondition[];
  /** The pull request label that exempts a change from a freeze; false: none does. */
  exemptLabel?: string | false;
}

export interface Policy {
  /** Remaining budget below this makes an SLO `warning`. Default 0.25. */
  cautionBelow: number;
  /** Open incidents of this severity or worse freeze merges. Default SEV2. Shorthand used only when no freezeOn applies. */
  freezeSeverity: Severity;
  /** What freezes a change; absent: the default list of DOMAIN.md section 4 (core/policy.ts). */
  freezeOn?: PolicyCondition[];
  /** What cautions a change; absent: the default list of DOMAIN.md section 4 (core/policy.ts). */
  cautionOn?: PolicyCondition[];
  /** The pull request label that exempts a change from a freeze (default `reliability-exempt`); false: none does. */
  exemptLabel?: string | false;
  /**
   * Maintenance windows (DOMAIN.md section 6): samples in `(start, end]` of a window covering an SLO's
   * service leave every sum of that SLO. Absent when config.yaml names none (the same as none).
   */
  maintenance?: MaintenanceWindow[];
}

export interface MaintenanceWindow {
  /** Exclusive start, epoch ms. */
  start: number;
  /** Inclusive end, epoch ms; after `start`. */
  end: number;
  /** Services it covers; every service when absent. */
  services?: string[];
}

export type DeploymentSourceKind = 'git-tags' | 'file' | 'github';
export type IncidentSourceKind = 'file' | 'pagerduty' | 'github' | 'opsgenie' | 'alertmanager';

export interface IncidentSourceConfig {
  type: IncidentSourceKind;
  /** Base URL of the remote API (PagerDuty, Opsgenie, Alertmanager, GitHub Enterprise). */
  url?: string;
  /** Free-form extra settings of the source (e.g. `repository`, `label`, `serviceIds`, `region`). */
  options: Record<string, string | string[] | number | boolean>;
}

export interface PrometheusConfig {
  url: string;
  headers: Record<string, string>;
  /**
   * `auto` (default): read the series `reliability-lens rules` records when the server has them,
   * raw counters otherwise; `raw`: always raw counters (sources/prometheusRecords.ts).
   */
  mode: 'auto' | 'raw';
  /** The shortest time between two refreshes of this source by the editor, ms (null: no minimum). */
  minimumRefreshMs: number | null;
}

export interface WorkspaceConfig {
  version: 1;
  services: ServiceConfig[];
  deployments: {
    source: DeploymentSourceKind;
    tagPattern: string;
    /** `owner/name` for the GitHub deployments source. */
    repository?: string;
    environment?: string;
    url?: string;
  };
  incidents: { sources: IncidentSourceConfig[] };
  slis: { source: 'file' | 'prometheus'; prometheus?: PrometheusConfig };
  policy: Policy;
  /** Days a change counts as recent for code lenses (DOMAIN.md section 4). Default 30. */
  recentDays: number;
  /** Default branch for the merge check; when absent, found from git. */
  defaultBranch?: string;
}

// ---- SLO definitions -------------------------------------------------------------------------

export type CalendarUnit = 'd' | 'w' | 'M' | 'Q' | 'y';

export type TimeWindow =
  | { kind: 'rolling'; label: string; durationMs: number }
  | {
      kind: 'calendar';
      label: string;
      unit: CalendarUnit;
      count: number;
      /** Anchor of the calendar (OpenSLO `calendar.startTime`), epoch ms. */
      startTime: number;
      /** IANA time zone the calendar boundaries are in. */
      timeZone: string;
    };

export type BudgetingMethod =
  | { method: 'Occurrences' }
  | {
      method: 'Timeslices';
      sliceMs: number;
      /** A slice is good when good/total in it >= this. */
      sliceTarget: number;
    }
  | {
      /**
       * OpenSLO `RatioTimeslices`: the SLI is the mean of the slices' ratios (good/total in each slice
       * that has events), each such slice weighing one, whatever its traffic.
       */
      method: 'RatioTimeslices';
      sliceMs: number;
    };

export type BudgetingMethodName = BudgetingMethod['method'];

/** OpenSLO objective `op`: a threshold data point is good when `value op objective.value` holds. */
export type ThresholdOp = 'lt' | 'lte' | 'gt' | 'gte';

/**
 * How one data point's value (a CSV row's value column, a Prometheus sample) becomes events, for the
 * OpenSLO indicators that are not event counts (DOMAIN.md section 2, "Other indicators"): each data
 * point is ONE event (total += 1), and its good part is
 * - threshold: 1 when `value op threshold` holds, else 0;
 * - raw: the good ratio `r` itself (`rawType: success`), or `1 - r` (`failure`), 0 <= r <= 1.
 * So good/total over a window is the share of points that hold, or the mean of the good ratios, and
 * the engine's Occurrences and Timeslices math applies unchanged (core/valueReadings.ts).
 */
export type ValueReading =
  | { kind: 'threshold'; op: ThresholdOp; threshold: number }
  | { kind: 'raw'; rawType: 'success' | 'failure' };

/** Where the good/total counts of an SLO come from. */
export type Indicator =
  | {
      type: 'csv';
      /** Path relative to `.reliability/`. */
      path: string;
      goodColumn: string;
      totalColumn: string;
    }
  | {
      type: 'prometheus';
      /** Counter selectors: good(w) = sum(increase(good[w])). One of good/bad with total. */
      good?: string;
      bad?: string;
      total: string;
      /** false: the queries are raw expressions with `{{.window}}`-free ratio semantics; true: counters. */
      counter: boolean;
    }
  | {
      /** An OpenSLO thresholdMetric or ratioMetric.raw read from a CSV file's value column, one data point a row. */
      type: 'csv-values';
      /** Path relative to `.reliability/`. */
      path: string;
      column: string;
      reading: ValueReading;
    }
  | {
      /**
       * An OpenSLO thresholdMetric or ratioMetric.raw from Prometheus: the data points are the query's
       * values at each step of PROMETHEUS_VALUE_STEP (sources/prometheus.ts says how they are counted).
       */
      type: 'prometheus-values';
      query: string;
      reading: ValueReading;
    }
  | {
      type: 'sloth';
      /** PromQL with `{{.window}}` placeholders. */
      errorQuery: string;
      totalQuery: string;
    }
  | {
      /**
       * A Sloth `raw` SLI: one PromQL expression whose value is the error ratio (0 to 1) over the
       * window written as `{{.window}}`; error ratio over w = the query with `{{.window}}` = w.
       */
      type: 'sloth-raw';
      errorRatioQuery: string;
    }
  | {
      /**
       * A composite SLO (OpenSLO objectives that carry their own indicator): it has no counts of its
       * own; each objective of `SloDefinition.composite` is read and evaluated as an SLO of its own.
       */
      type: 'composite';
    }
  | {
      /**
       * A data source (OpenSLO metricSource type, Sloth SLI plugin) that cannot be read: the SLO is
       * still shown, with its definition and no data, and `reason` says why ("Datadog is not supported").
       */
      type: 'unsupported';
      reason: string;
    };

export interface SloDefinition {
  name: string;
  displayName?: string;
  service: string;
  description?: string;
  /** e.g. 0.999 (from `target`, or `targetPercent / 100`). */
  objective: number;
  window: TimeWindow;
  budgeting: BudgetingMethod;
  indicator: Indicator;
  /**
   * The multiwindow alert rules this SLO alerts on; absent means the four default tiers (DOMAIN.md
   * section 2). A Sloth SLO with `page_alert: {disable: true}` keeps only the ticket tiers, and so on.
   */
  alertRules?: readonly AlertRule[];
  /**
   * Set on a composite SLO (DOMAIN.md section 2, "Composite SLOs"): its objectives, each a complete
   * SLO definition of its own (indicator, objective, the composite's window and alert rules) with its
   * `compositeWeight`. The composite's own `indicator` is then `{type: 'composite'}`.
   */
  composite?: { objectives: CompositeObjective[] };
  /** Labels written on the SLO (merged over the document's or spec's labels); values read as text. */
  labels?: Record<string, string>;
  /** Where it was defined, for messages and "open the file" actions. */
  file: string;
  line: number;
}

/** One objective of a composite SLO: evaluated as the SLO `definition`, weighing `weight` (> 0) in the composite. */
export interface CompositeObjective {
  definition: SloDefinition;
  weight: number;
}

// ---- Samples and SLO results ---------------------------------------------------------------------

/** The seven burn-rate windows DOMAIN.md section 2 reports, in order. */
export const BURN_WINDOWS = ['5m', '30m', '1h', '2h', '6h', '1d', '3d'] as const;
export type BurnWindow = (typeof BURN_WINDOWS)[number];

export interface WindowCounts {
  good: number;
  total: number;
  /**
   * Events of the window's samples that lay in a maintenance window and so are in neither `good` nor
   * `total`. Present only when maintenance windows cover the SLO (absent reads as 0).
   */
  excludedTotal?: number;
}

/** How a burn rate is compared with an alert threshold. */
export type BurnRateOp = 'gt' | 'gte' | 'lt' | 'lte';

/**
 * A burn-rate alert: it fires when `burn(long) op threshold` and `burn(short) op threshold` both hold
 * (`op` absent means `gt`, the multiwindow tiers' "burns faster than"). A single-window condition (an
 * OpenSLO AlertCondition's lookbackWindow) has `long` = `short`.
 */
export interface AlertRule {
  severity: 'page' | 'ticket';
  long: BurnWindow;
  short: BurnWindow;
  threshold: number;
  op?: BurnRateOp;
  /** Set when the rule comes from an OpenSLO AlertPolicy instead of the default tiers. */
  condition?: AlertConditionSource;
}

/** Where an alert rule from an OpenSLO alert policy came from, as written, for messages and `explain`. */
export interface AlertConditionSource {
  /** metadata.name of the AlertPolicy. */
  policy: string;
  /** metadata.name of the AlertCondition. */
  name: string;
  /** The severity as written (`page`, `critical` or any other word); `AlertRule.severity` is what it counts as. */
  severity: string;
  /** `alertAfter` as written: how long the condition must hold before alerting. Not evaluated (DOMAIN.md section 2). */
  alertAfter?: string;
}

export type SloStatus = 'no-data' | 'exhausted' | 'critical' | 'warning' | 'healthy';

export interface SloReport {
  name: string;
  service: string;
  objective: number;
  /** Label of the SLO window (`28d`, `1M`, ...). */
  window: string;
  /** Start (exclusive) and end (inclusive) of the evaluated SLO window, epoch ms. */
  windowStart: number;
  windowEnd: number;
  budgetingMethod: BudgetingMethodName;
  sli: number | null;
  good: number;
  total: number;
  /** Events of the SLO window left out for maintenance; present only when maintenance windows cover the SLO. */
  excludedTotal?: number;
  budget: { remaining: number; consumed: number };
  burnRates: Record<BurnWindow, number>;
  alerts: AlertRule[];
  exhaustionEta: number | null;
  status: SloStatus;
  /** Budget remaining over the window, for the burn-down chart: [time ms, remaining]. */
  burnDown: Array<[number, number]>;
  file: string;
  /** When the SLI could not be read (source failure), why. */
  error?: string;
  /**
   * When the SLO's data source is one this tool cannot read (Datadog, a Sloth SLI plugin...), why: the
   * SLO is shown as no data with this reason. Not an error: nothing failed, and nothing will change
   * on the next refresh, so the merge check mentions it without cautioning.
   */
  unsupported?: string;
  /** Set when `error` is shown over the last good numbers: when those were read (epoch ms). */
  staleSince?: number;
  /** Prometheus SLOs: whether the numbers came from recorded series or raw counters, and why. */
  readMode?: SloReadMode;
  /** A composite SLO's objectives, each evaluated as an SLO of its own, with its weight (core/compositeSlo.ts). */
  objectives?: Array<{ weight: number; report: SloReport }>;
  /**
   * The counts this report was evaluated from (workspace/sloData.ts keeps them), so `explain` can show
   * every window's good and total without reading the data again; never part of the report's JSON.
   */
  counts?: SloCounts;
}

// ---- Incidents, deployments, changes -------------------------------------------------------------

export interface Incident {
  id: string;
  title: string;
  severity: Severity;
  service: string;
  startedAt: number;
  resolvedAt: number | null;
  url?: string;
  /** Root-cause commit SHAs or prefixes (7+ hex). */
  commits: string[];
  files: string[];
  postmortem?: string;
  /** Which source it came from: `file`, `pagerduty`, ... */
  source: string;
}

export interface Deployment {
  /** Tag name, deployments.yaml id, or GitHub deployment id. */
  name: string;
  /** Full SHA of the deployed commit. */
  commit: string;
  time: number;
  /** Services it deploys. */
  services: string[];
  source: DeploymentSourceKind;
}

export interface Commit {
  sha: string;
  /** Committer time, epoch ms. */
  time: number;
  parents: string[];
  subject: string;
  body: string;
}

// ---- What sources hand to the SLO engine ---------------------------------------------------------

/**
 * Everything the SLO engine needs about one SLO's events, however they were read (one pass over a
 * CSV, or PromQL over each window). `window` is the SLO window; `burn` the seven burn windows.
 */
export interface SloCounts {
  window: WindowCounts;
  burn: Record<BurnWindow, WindowCounts>;
  /**
   * Timeslices budgeting: slices judged good, and slices that had any events, in the SLO window.
   * RatioTimeslices: `good` is the SUM of those slices' ratios (good/total of each), so that
   * good/withData is their mean, as good slices / slices is for Timeslices.
   */
  slices?: { good: number; withData: number };
  /** Events per bucket across the SLO window in time order (bucket end, inclusive), for the burn-down chart. */
  buckets: Array<{ end: number; good: number; total: number }>;
  /**
   * File mode: the first and last line of the data file among the rows counted in the SLO window (rows
   * need not be in time order, so rows between them may fall outside it), for `explain`.
   */
  rows?: { first: number; last: number };
  /**
   * Sums between the times a deployment's impact is read at (core/deploymentImpact.ts): segment `i` holds
   * the samples with `times[i] < timestamp <= times[i + 1]`, maintenance left out. Present only when
   * the counts were gathered with those times (file mode, deployments in the question's window).
   */
  intervals?: IntervalSums;
}

/** Good and total events between consecutive `times` (sorted, distinct): `good[i]` is over `(times[i], times[i + 1]]`. */
export interface IntervalSums {
  times: number[];
  good: number[];
  total: number[];
}

// ---- DORA ------------------------------------------------------------------------------------------

export type Tier = 'elite' | 'high' | 'medium' | 'low';
export type DoraBands = '2023' | '2021';

export interface WeeklyDora {
  /** Monday of the ISO week, `YYYY-MM-DD`. */
  weekStart: string;
  deployments: number;
  leadTimeSecondsMedian: number | null;
  changeFailureRate: number | null;
}

export interface DoraReport {
  /** Label such as `90d`. */
  window: string;
  windowStart: number;
  windowEnd: number;
  deployments: number;
  deploymentsPerWeek: number;
  leadTimeSeconds: { median: number | null; p90: number | null };
  changeFailureRate: number | null;
  failedDeploymentRecoverySeconds: { median: number | null };
  timeToRestoreSeconds: { median: number | null };
  reworkRate: number | null;
  tiers: {
    deploymentFrequency: Tier | null;
    leadTime: Tier | null;
    changeFailureRate: Tier | null;
    failedDeploymentRecovery: Tier | null;
  };
  weekly: WeeklyDora[];
}

// ---- Linking incidents to code ---------------------------------------------------------------------

export type LinkReason = 'root-cause' | 'fix' | 'deployment';

export interface FileChange {
  commit: string;
  subject: string;
  time: number;
  author?: string;
  /** 1-based inclusive line ranges the commit still owns in the working file. */
  lines: Array<[number, number]>;
  /** Name of the deployment that shipped it; null while undeployed. */
  deployment: string | null;
  incidents: Array<{ id: string; reason: LinkReason }>;
}

// ---- Merge check -----------------------------------------------------------------------------------

export type Verdict = 'go' | 'caution' | 'freeze';

export interface MergeVerdict {
  verdict: Verdict;
  services: string[];
  reasons: string[];
  /**
   * What made the verdict, one entry per freeze or caution reason, with what it is about: so the CI
   * reports (a table per service, a JUnit case per SLO, an annotation per changed file) place each
   * reason without reading its words again. Empty for a plain go.
   */
  findings: MergeFinding[];
  /** Set when an exemption by the change's commits turned a freeze into go: the incidents they fix. */
  exemptFor?: string[];
  /** Every exemption that turned a freeze into go, with where it came from; absent when none did. */
  exemptions?: Exemption[];
}

/**
 * Why a freeze was let through: `commits` (every commit fixes an open incident or is a revert),
 * `label` (the pull request carries the policy's exemptLabel), `cli` (`check --exempt "<reason>"`).
 */
export interface Exemption {
  source: 'commits' | 'label' | 'cli';
  reason: string;
}

/** What a merge finding is about. */
export type MergeSubject =
  | { kind: 'slo'; slo: string }
  | { kind: 'incident'; incident: string }
  | { kind: 'deployment'; deployment: string }
  | { kind: 'source'; source: string }
  /** The change itself (it edits `.reliability/`, or its base has none). */
  | { kind: 'change' };

/** One reason of a merge verdict: whether it freezes or cautions, the service and what it is about. */
export interface MergeFinding {
  effect: 'freeze' | 'caution';
  /** The touched service it concerns; null for an incident source or the change itself, which concern every touched service. */
  service: string | null;
  subject: MergeSubject;
  /** The reason's text, as in `reasons`. */
  reason: string;
}

// ---- Source health ---------------------------------------------------------------------------------

export interface SourceState {
  /** e.g. `prometheus`, `pagerduty`, `git`. */
  name: string;
  /** Host (never a token) the source talks to, when remote. */
  host?: string;
  state: 'ok' | 'stale' | 'failing' | 'needs-token' | 'disabled';
  /** Plain-words reason when not ok. */
  message?: string;
  /** When the data shown was last fetched successfully. */
  lastSuccess?: number;
  /** Advice that would make the source work better, even when it is ok (git: write a commit-graph). */
  hint?: string;
  /** What the last refresh asked of a remote source, and how it coped (the editor backs off on it). */
  load?: SourceLoad;
}

/** How a Prometheus SLO was read (sources/prometheusRecords.ts): `rules` reads the series `reliability-lens rules` records. */
export interface SloReadMode {
  mode: 'rules' | 'raw';
  reason: string;
  /** The recorded series' reliability_lens_id, in rules mode. */
  recordId?: string;
}

/** Requests one refresh sent to a source, how many answers asked to slow down (429/503), the slowest answer. */
export interface SourceLoad {
  requests: number;
  throttled: number;
  slowestMs: number;
}
