// Loads the `.reliability/` folder (DOMAIN.md section 1) into model.ts types: config, SLO definitions
// (OpenSLO v1 and Sloth prometheus/v1, with indicatorRef and metricSourceRef resolved across files),
// incidents and explicit deployments. Every file is validated; each problem names the file, line and
// column, and a broken file or document never keeps the others from loading.
import { existsSync, statSync } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import { join, posix } from 'node:path';
import type { z } from 'zod';
import type { AlertRule, BudgetingMethod, Deployment, Incident, Indicator, Problem, SloDefinition, ValueReading, WorkspaceConfig } from '../core/model';
import { defaultWorkspaceConfig, missingIncidentSourceSetting, salvageWorkspaceConfig, workspaceConfigSchema } from '../core/schemas/config';
import { isReadableSourceType, openSloDataSourceSchema, openSloServiceSchema, openSloSliSchema, openSloSloSchema } from '../core/schemas/openSlo';
import type { OpenSloDataSource, OpenSloMetricSource, OpenSloObjective, OpenSloRatioMetric, OpenSloSli, OpenSloSliSpec, OpenSloSlo } from '../core/schemas/openSlo';
import { openSloV1alphaServiceSchema, openSloV1alphaSloSchema, toOpenSloV1 } from '../core/schemas/openSloV1alpha';
import { SLOTH_DEFAULT_WINDOW, slothKubernetesSchema, slothKubernetesSloSchema, slothSloSchema, slothSpecSchema } from '../core/schemas/sloth';
import type { SlothSli } from '../core/schemas/sloth';
import { ALERT_RULES } from '../core/slo';
import { OPENSLO_V1_KINDS_EXPECTED, classifySloDocument } from '../core/schemas/sloDocuments';
import { alertPolicyEntrySchema, alertRuleOf, openSloAlertConditionSchema, openSloAlertPolicySchema } from '../core/schemas/openSloAlerts';
import type { AlertConditionEntry, OpenSloAlertCondition, OpenSloAlertPolicy } from '../core/schemas/openSloAlerts';
import { incidentSchema, incidentsFileSchema } from '../core/schemas/incidents';
import { deploymentEntrySchema, deploymentsFileSchema } from '../core/schemas/deployments';
import { percentToRatio } from '../core/schemas/common';
import { fixedDurationMs } from '../core/duration';
import { YamlReadBudget, documentAt, expectationProblem, formatPath, readYamlFile, validateYaml, valueAt } from '../sources/yamlDocuments';
import type { DocumentPath, YamlDocument, YamlFile } from '../sources/yamlDocuments';
import { isInside } from '../sources/workspaceFiles';
import { REPOSITORY_TLS_SWITCH_IGNORED } from '../sources/http/tlsVerification';

import { RELIABILITY_FOLDER, WorkspaceNotFoundError } from './reliabilityFolder';

// Named here too for the modules and tests that import them with the definitions.
export { RELIABILITY_FOLDER, WorkspaceNotFoundError };

export interface WorkspaceDefinitions {
  config: WorkspaceConfig;
  slos: SloDefinition[];
  incidents: Incident[];
  /** Entries of deployments.yaml; `commit` as written (a SHA or a ref), resolved by git elsewhere. */
  deployments: Deployment[];
  problems: Problem[];
  /** The `.reliability/` files read, relative to the root, in reading order. */
  files: string[];
}

export async function loadDefinitions(root: string): Promise<WorkspaceDefinitions> {
  const folder = join(root, RELIABILITY_FOLDER);
  if (!isDirectory(folder)) throw new WorkspaceNotFoundError(root);

  const problems: Problem[] = [];
  const files: string[] = [];
  const relative = (name: string) => posix.join(RELIABILITY_FOLDER, name);

  // Read everything up front, one file after the other: the files share one budget of bytes, and
  // which file a too-large folder leaves unread must not depend on which read finished first.
  const budget = new YamlReadBudget();
  const read = (name: string) => readYamlFile(folder, name, relative(name), { folderLabel: `${RELIABILITY_FOLDER}/`, root, budget });
  const configFile = await read('config.yaml');
  const sloFiles: YamlFile[] = [];
  for (const name of await listSloFiles(root, folder, problems)) sloFiles.push((await read(`slos/${name}`)) ?? vanishedFile(relative(`slos/${name}`)));
  const incidentsFile = await read('incidents.yaml');
  const deploymentsFile = await read('deployments.yaml');

  let config: WorkspaceConfig;
  if (configFile) {
    files.push(configFile.file);
    config = loadConfig(configFile, problems);
  } else {
    config = defaultWorkspaceConfig();
    problems.push({
      file: relative('config.yaml'),
      line: 0,
      column: 0,
      severity: 'warning',
      message: `${relative('config.yaml')} not found; using the defaults (no services, git tags v* as deployments, incidents from incidents.yaml, SLI data from CSV files)`,
    });
  }

  for (const sloFile of sloFiles) files.push(sloFile.file);
  const slos = loadSlos(sloFiles, config, folder, problems);

  let incidents: Incident[] = [];
  if (incidentsFile) {
    files.push(incidentsFile.file);
    if (config.incidents.sources.some((source) => source.type === 'file')) {
      incidents = loadIncidents(incidentsFile, config, problems);
    } else {
      problems.push({
        file: incidentsFile.file,
        line: 0,
        column: 0,
        severity: 'warning',
        message: `${incidentsFile.file} is ignored: config.yaml incidents.sources has no "type: file" source`,
      });
    }
  }

  let deployments: Deployment[] = [];
  if (deploymentsFile) {
    files.push(deploymentsFile.file);
    deployments = loadDeployments(deploymentsFile, config, problems);
  } else if (config.deployments.source === 'file') {
    problems.push({
      file: relative('deployments.yaml'),
      line: 0,
      column: 0,
      severity: 'warning',
      message: `config.yaml sets deployments.source: file, but ${relative('deployments.yaml')} does not exist; there are no deployments`,
    });
  }

  return { config, slos, incidents, deployments, problems: sortProblems(problems, files), files };
}

/**
 * config.yaml alone (the defaults when it is missing), its problems dropped: for the one setting read
 * before the rest, the merge check's defaultBranch (which says where the rest is read from).
 */
export async function loadConfigFile(root: string): Promise<WorkspaceConfig> {
  const folder = join(root, RELIABILITY_FOLDER);
  if (!isDirectory(folder)) throw new WorkspaceNotFoundError(root);
  const name = 'config.yaml';
  const file = await readYamlFile(folder, name, posix.join(RELIABILITY_FOLDER, name), { folderLabel: `${RELIABILITY_FOLDER}/`, root, budget: new YamlReadBudget() });
  return file ? loadConfig(file, []) : defaultWorkspaceConfig();
}

// ---- Files --------------------------------------------------------------------------------------

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/**
 * The YAML files in `.reliability/slos/`, by name. A `slos` folder that is a symbolic link out of
 * `.reliability/` is not listed (its file names are not the workspace's to show) but reported.
 * Links and other entries are listed, so that one leading outside, or to something that is no
 * regular file, is reported when it is read instead of silently missing.
 */
async function listSloFiles(root: string, folder: string, problems: Problem[]): Promise<string[]> {
  const slos = join(folder, 'slos');
  let realSlos: string;
  try {
    realSlos = await realpath(slos);
    if (!(await stat(realSlos)).isDirectory()) return [];
    const realFolder = await realpath(folder);
    const outside = !isInside(await realpath(root), realFolder) ? 'the workspace' : !isInside(realFolder, realSlos) ? `${RELIABILITY_FOLDER}/` : null;
    if (outside) {
      const label = posix.join(RELIABILITY_FOLDER, 'slos');
      problems.push({ file: label, line: 0, column: 0, severity: 'error', message: `${label}/ leads outside ${outside} through a symbolic link; its files are not read` });
      return [];
    }
  } catch {
    return [];
  }
  const entries = await readdir(realSlos, { withFileTypes: true });
  return entries
    .filter((entry) => !entry.isDirectory() && /\.ya?ml$/i.test(entry.name))
    .map((entry) => entry.name)
    .sort();
}

/** A listed file that was gone when it was read (a link that leads nowhere, or deleted meanwhile). */
function vanishedFile(file: string): YamlFile {
  return { file, documents: [], problems: [{ file, line: 0, column: 0, severity: 'error', message: `${file} does not exist (a symbolic link that leads nowhere?); it is not read` }] };
}

/** Problems ordered by file (in reading order), then position, so output is stable. */
function sortProblems(problems: Problem[], files: string[]): Problem[] {
  const order = (file: string) => {
    const index = files.indexOf(file);
    return index === -1 ? files.length : index;
  };
  return problems
    .map((problem, index) => ({ problem, index }))
    .sort(
      (a, b) =>
        order(a.problem.file) - order(b.problem.file) ||
        a.problem.file.localeCompare(b.problem.file) ||
        a.problem.line - b.problem.line ||
        a.problem.column - b.problem.column ||
        a.index - b.index,
    )
    .map(({ problem }) => problem);
}

function onlyDocument(file: YamlFile, problems: Problem[]): YamlDocument | null {
  problems.push(...file.problems);
  if (file.documents.length > 1) {
    const extra = file.documents[1];
    problems.push({
      file: file.file,
      line: extra.position.line,
      column: extra.position.column,
      severity: 'warning',
      message: `expected a single YAML document in ${file.file}; the documents after the first are ignored`,
    });
  }
  return file.documents[0] ?? null;
}

// ---- config.yaml ----------------------------------------------------------------------------------

function loadConfig(file: YamlFile, problems: Problem[]): WorkspaceConfig {
  const document = onlyDocument(file, problems);
  if (!document) {
    if (file.problems.length === 0) {
      problems.push({ file: file.file, line: 0, column: 0, severity: 'warning', message: `${file.file} is empty; using the defaults` });
    }
    return defaultWorkspaceConfig();
  }
  problems.push(...repositoryTlsSwitchWarnings(document));
  const result = validateYaml(document, workspaceConfigSchema);
  problems.push(...result.problems);
  problems.push(...shadowedShorthandWarnings(document));
  if (result.value) {
    problems.push(...maintenanceServiceWarnings(document, result.value));
    problems.push(...incidentSourceSettingProblems(document, result.value));
    return result.value;
  }
  const { config, defaulted } = salvageWorkspaceConfig(result.knownData);
  if (defaulted.length > 0) {
    problems.push({
      file: file.file,
      line: document.position.line,
      column: document.position.column,
      severity: 'warning',
      message: `config.yaml has errors; these sections use their defaults: ${defaulted.join(', ')}`,
    });
  }
  problems.push(...maintenanceServiceWarnings(document, config));
  problems.push(...incidentSourceSettingProblems(document, config));
  return config;
}

/**
 * freezeSeverity is a shorthand for the default freezeOn list, so it says nothing where a freezeOn
 * applies (the service's own, else the global one): a warning at the key, saying what to write instead.
 */
function shadowedShorthandWarnings(document: YamlDocument): Problem[] {
  const has = (path: DocumentPath, key: string) => {
    const value = valueAt(document.data, path);
    return value !== null && typeof value === 'object' && !Array.isArray(value) && Object.prototype.hasOwnProperty.call(value, key);
  };
  const problems: Problem[] = [];
  const warn = (path: DocumentPath, listPath: DocumentPath) => {
    const { line, column } = document.locate([...path, 'freezeSeverity'], 'key');
    const severity = valueAt(document.data, [...path, 'freezeSeverity']);
    const item = typeof severity === 'string' ? `{openIncident: ${severity}}` : '{openIncident: SEV2}';
    const message = `${formatPath([...path, 'freezeSeverity'])} is not used: ${formatPath(listPath)} lists what freezes; write ${item} in that list instead`;
    problems.push({ file: document.file, line, column, severity: 'warning', message });
  };
  const globalList = has(['policy'], 'freezeOn');
  if (has(['policy'], 'freezeSeverity') && globalList) warn(['policy'], ['policy', 'freezeOn']);
  const services = valueAt(document.data, ['services']);
  if (Array.isArray(services)) {
    services.forEach((_, index) => {
      const policyPath: DocumentPath = ['services', index, 'policy'];
      if (!has(policyPath, 'freezeSeverity')) return;
      if (has(policyPath, 'freezeOn')) warn(policyPath, [...policyPath, 'freezeOn']);
      else if (globalList) warn(policyPath, ['policy', 'freezeOn']);
    });
  }
  return problems;
}

/** A maintenance window naming a service config.yaml does not declare (a typo excuses nothing): a warning at the name. */
function maintenanceServiceWarnings(document: YamlDocument, config: WorkspaceConfig): Problem[] {
  const problems: Problem[] = [];
  (config.policy.maintenance ?? []).forEach((window, index) =>
    window.services?.forEach((_, serviceIndex) => {
      const problem = unknownServiceProblem(document, ['policy', 'maintenance', index, 'services', serviceIndex], config, 'maintenance window');
      if (problem) problems.push(problem);
    }),
  );
  return problems;
}

/** An incident source that lacks a setting it cannot work without, reported at its entry in the list. */
function incidentSourceSettingProblems(document: YamlDocument, config: WorkspaceConfig): Problem[] {
  const problems: Problem[] = [];
  config.incidents.sources.forEach((source, index) => {
    const missing = missingIncidentSourceSetting(source);
    if (missing === null) return;
    const path: DocumentPath = ['incidents', 'sources', index];
    const { line, column } = document.locate(path);
    problems.push({ file: document.file, line, column, severity: 'error', message: `${formatPath(path)}: ${missing}` });
  });
  return problems;
}

/**
 * config.yaml's `slis.prometheus.insecureSkipVerify` is read no more (the schema drops it): whoever
 * edits a repository must not be able to turn off TLS verification on a connection carrying the
 * user's token. Say where the switch lives now, at the key.
 */
function repositoryTlsSwitchWarnings(document: YamlDocument): Problem[] {
  const path: DocumentPath = ['slis', 'prometheus', 'insecureSkipVerify'];
  const prometheus = valueAt(document.data, path.slice(0, -1));
  if (prometheus === null || typeof prometheus !== 'object' || !Object.prototype.hasOwnProperty.call(prometheus, path[2])) return [];
  const { line, column } = document.locate(path, 'key');
  return [{ file: document.file, line, column, severity: 'warning', message: `slis.prometheus.insecureSkipVerify ${REPOSITORY_TLS_SWITCH_IGNORED}` }];
}

function serviceNames(config: WorkspaceConfig): string[] {
  return config.services.map((service) => service.name);
}

function unknownServiceProblem(document: YamlDocument, path: DocumentPath, config: WorkspaceConfig, what: string): Problem | null {
  const known = serviceNames(config);
  const service = valueAt(document.data, path);
  if (typeof service !== 'string' || known.includes(service)) return null;
  const expected = known.length === 0
    ? 'a service declared in config.yaml services (none are declared)'
    : `a service declared in config.yaml services (${known.join(', ')})`;
  const problem = expectationProblem(document, path, expected, 'warning');
  return { ...problem, message: `${problem.message}; the ${what} is still loaded` };
}

// ---- slos/*.yaml ------------------------------------------------------------------------------------

interface Located<T> {
  document: YamlDocument;
  value: T;
}

function loadSlos(files: YamlFile[], config: WorkspaceConfig, folder: string, problems: Problem[]): SloDefinition[] {
  const sloDocuments: Array<Located<OpenSloSlo>> = [];
  const slis = new Map<string, Located<OpenSloSli>>();
  const dataSources = new Map<string, Located<OpenSloDataSource>>();
  const alertPolicies = new Map<string, Located<OpenSloAlertPolicy>>();
  const alertConditions = new Map<string, Located<OpenSloAlertCondition>>();
  const definitions: Array<{ definition: SloDefinition; document: YamlDocument; namePath: DocumentPath }> = [];

  const register = <T extends { metadata: { name: string } }>(registry: Map<string, Located<T>>, kind: string, document: YamlDocument, value: T) => {
    const existing = registry.get(value.metadata.name);
    if (existing) {
      problems.push(duplicateNameProblem(document, ['metadata', 'name'], `${kind} name`, existing.document, ['metadata', 'name']));
      return;
    }
    registry.set(value.metadata.name, { document, value });
  };

  for (const file of files) {
    problems.push(...file.problems);
    for (const document of file.documents.flatMap(objectsOf)) {
      const classification = classifySloDocument(document.data);
      if ('path' in classification) {
        problems.push(expectationProblem(document, classification.path, classification.expected));
        continue;
      }
      if ('ignoredKind' in classification) {
        problems.push({ ...expectationProblem(document, ['kind'], OPENSLO_V1_KINDS_EXPECTED, 'warning'), message: `kind ${classification.ignoredKind} is not used by Reliability Lens; the document is skipped` });
        continue;
      }
      switch (classification.kind) {
        case 'Service': {
          const result = validateYaml(document, openSloServiceSchema);
          problems.push(...result.problems);
          break;
        }
        case 'SLI': {
          const result = validateYaml(document, openSloSliSchema);
          problems.push(...result.problems);
          if (result.value) register(slis, 'SLI', document, result.value);
          break;
        }
        case 'DataSource': {
          const result = validateYaml(document, openSloDataSourceSchema);
          problems.push(...result.problems);
          if (result.value) register(dataSources, 'DataSource', document, result.value);
          break;
        }
        case 'AlertPolicy': {
          const result = validateYaml(document, openSloAlertPolicySchema);
          problems.push(...result.problems);
          if (result.value) register(alertPolicies, 'AlertPolicy', document, result.value);
          break;
        }
        case 'AlertCondition': {
          const result = validateYaml(document, openSloAlertConditionSchema);
          problems.push(...result.problems);
          if (result.value) register(alertConditions, 'AlertCondition', document, result.value);
          break;
        }
        case 'SLO': {
          const result = validateYaml(document, openSloSloSchema);
          problems.push(...result.problems);
          if (result.value) sloDocuments.push({ document, value: result.value });
          break;
        }
        case 'v1alpha Service': {
          const result = validateYaml(document, openSloV1alphaServiceSchema);
          problems.push(...result.problems);
          break;
        }
        case 'v1alpha SLO':
          sloDocuments.push(...v1alphaSloDocuments(document, problems));
          break;
        case 'sloth':
          definitions.push(...slothDefinitions(document, config, problems, 'plain'));
          break;
        case 'sloth kubernetes':
          definitions.push(...slothDefinitions(document, config, problems, 'kubernetes'));
          break;
      }
    }
  }

  // SLOs are mapped once every SLI and DataSource of every file is known: references cross files.
  const resolver = new IndicatorResolver(slis, dataSources, folder, problems);
  const alerting = new AlertPolicyResolver(alertPolicies, alertConditions, problems);
  for (const slo of sloDocuments) definitions.push(...openSloDefinitions(slo, config, resolver, alerting, problems));

  // Keep file order: Sloth definitions were collected while reading, OpenSLO ones after.
  const fileOrder = (document: YamlDocument) => files.findIndex((file) => file.file === document.file);
  definitions.sort((a, b) => fileOrder(a.document) - fileOrder(b.document) || a.definition.line - b.definition.line);

  // An SLO is identified by its service and name: `availability` may exist under several services.
  const unique: SloDefinition[] = [];
  const firstByName = new Map<string, { document: YamlDocument; namePath: DocumentPath }>();
  for (const entry of definitions) {
    const key = JSON.stringify([entry.definition.service, entry.definition.name]);
    const first = firstByName.get(key);
    if (first) {
      const what = `SLO name in service ${JSON.stringify(entry.definition.service)}`;
      problems.push(duplicateNameProblem(entry.document, entry.namePath, what, first.document, first.namePath, entry.definition.name));
      continue;
    }
    firstByName.set(key, entry);
    unique.push(entry.definition);
  }
  return unique;
}

/** The objects of a YAML document: itself, or each item when it is a top-level list of objects. */
function objectsOf(document: YamlDocument): YamlDocument[] {
  return Array.isArray(document.data) ? document.data.map((_, index) => documentAt(document, [index])) : [document];
}

/**
 * An openslo/v1alpha SLO, validated at its own paths, as the openslo/v1 SLOs it means (one per ratio
 * objective), so they become definitions by the v1 rules. Each split-off SLO is placed at its objective.
 */
function v1alphaSloDocuments(document: YamlDocument, problems: Problem[]): Array<Located<OpenSloSlo>> {
  const result = validateYaml(document, openSloV1alphaSloSchema);
  problems.push(...result.problems);
  if (!result.value) return [];
  const located: Array<Located<OpenSloSlo>> = [];
  for (const { document: v1, objectiveIndex } of toOpenSloV1(result.value)) {
    const where: DocumentPath = objectiveIndex === null ? ['spec'] : ['spec', 'objectives', objectiveIndex];
    const parsed = openSloSloSchema.safeParse(v1);
    if (!parsed.success) {
      // What v1alpha allows and v1 does not (a Timeslices objective without timeSliceWindow...).
      for (const issue of parsed.error.issues) {
        const { line, column } = document.locate(where);
        problems.push({ file: document.file, line, column, severity: 'error', message: `${formatPath(where)}: read as openslo/v1, ${formatPath(issue.path)}: expected ${issue.message}` });
      }
      continue;
    }
    const at = objectiveIndex === null ? document : { ...document, position: document.locate(where) };
    located.push({ document: at, value: parsed.data });
  }
  return located;
}

function duplicateNameProblem(
  document: YamlDocument,
  path: DocumentPath,
  what: string,
  firstDocument: YamlDocument,
  firstPath: DocumentPath,
  name?: string,
): Problem {
  const first = firstDocument.locate(firstPath);
  const where = firstDocument.file === document.file ? `line ${first.line}` : `${firstDocument.file} line ${first.line}`;
  const shown = name ?? String(valueAt(document.data, path));
  return expectationProblem(document, path, `a unique ${what}`, 'error', `${JSON.stringify(shown)} again (first defined at ${where}); this one is skipped`);
}

function openSloDefinitions(
  slo: Located<OpenSloSlo>,
  config: WorkspaceConfig,
  resolver: IndicatorResolver,
  alerting: AlertPolicyResolver,
  problems: Problem[],
): Array<{ definition: SloDefinition; document: YamlDocument; namePath: DocumentPath }> {
  const { document, value } = slo;
  const objectives = value.spec.objectives;
  // An objective may carry its own indicator (a composite SLO); the others use the SLO's.
  const ownsIndicator = (objective: (typeof objectives)[number]) => objective.indicator !== undefined || objective.indicatorRef !== undefined;
  const shared = objectives.every(ownsIndicator) ? null : resolver.forSlo(document, value);
  const indicators = objectives.map((objective, index) =>
    ownsIndicator(objective) ? resolver.forIndicator(document, ['spec', 'objectives', index], objective.indicator, objective.indicatorRef) : shared,
  );
  // As for a single SLO whose indicator cannot be resolved (the problem says why), nothing is shown
  // rather than a composite missing a part.
  if (indicators.some((indicator) => indicator === null)) return [];
  const complete = objectives.map((objective, index) => withThreshold(document, index, objective, indicators[index] as ResolvedIndicator, problems));
  if (complete.some((indicator) => indicator === null)) return [];

  const serviceProblem = unknownServiceProblem(document, ['spec', 'service'], config, 'SLO');
  if (serviceProblem) problems.push(serviceProblem);
  const alertRules = alerting.rulesFor(document, value);

  const several = objectives.length > 1;
  const entries = objectives.map((objective, index) => {
    const name = several ? `${value.metadata.name}-${objective.displayName ?? index}` : value.metadata.name;
    const displayName = several ? objective.displayName ?? value.metadata.displayName : value.metadata.displayName ?? objective.displayName;
    const definition: SloDefinition = {
      name,
      service: value.spec.service,
      objective: objective.objective,
      window: value.spec.timeWindow[0],
      budgeting: budgetingOf(value.spec.budgetingMethod, objective),
      indicator: complete[index] as Indicator,
      file: document.file,
      line: several ? document.locate(['spec', 'objectives', index]).line : document.position.line,
    };
    if (alertRules) definition.alertRules = alertRules;
    if (displayName !== undefined) definition.displayName = displayName;
    if (value.spec.description !== undefined) definition.description = value.spec.description;
    const namePath: DocumentPath = several ? ['spec', 'objectives', index] : ['metadata', 'name'];
    return { definition, document, namePath };
  });

  const composite = several && objectives.some((objective) => ownsIndicator(objective) || objective.compositeWeight !== undefined);
  if (!composite) return entries;
  return [{ definition: compositeDefinition(document, value, entries.map((entry) => entry.definition), alertRules), document, namePath: ['metadata', 'name'] }];
}

/**
 * A composite SLO (DOMAIN.md section 2): one SLO named by the document, whose objectives (`parts`, each
 * an SLO of its own) weigh their `compositeWeight` (default 1). Its objective is the weighted mean of
 * theirs, the target its weighted SLI is held to (core/compositeSlo.ts computes the rest).
 */
function compositeDefinition(document: YamlDocument, value: OpenSloSlo, parts: SloDefinition[], alertRules: readonly AlertRule[] | undefined): SloDefinition {
  const weights = value.spec.objectives.map((objective) => objective.compositeWeight ?? 1);
  const totalWeight = weights.reduce((sum, weight) => sum + weight, 0);
  const definition: SloDefinition = {
    name: value.metadata.name,
    service: value.spec.service,
    objective: parts.reduce((sum, part, index) => sum + weights[index] * part.objective, 0) / totalWeight,
    window: value.spec.timeWindow[0],
    budgeting: parts[0].budgeting,
    indicator: { type: 'composite' },
    composite: { objectives: parts.map((part, index) => ({ definition: part, weight: weights[index] })) },
    file: document.file,
    line: document.position.line,
  };
  if (alertRules) definition.alertRules = alertRules;
  if (value.metadata.displayName !== undefined) definition.displayName = value.metadata.displayName;
  if (value.spec.description !== undefined) definition.description = value.spec.description;
  return definition;
}

// ---- Alert policies: spec.alertPolicies, AlertPolicy and AlertCondition documents -----------------

/**
 * Turns an SLO's `spec.alertPolicies` into its alert rules (DOMAIN.md section 2): each burnrate
 * condition of each policy, named or written in place, is one rule, and together they replace the
 * four default tiers. A reference to a policy or condition that does not exist is an error at it; when
 * no condition at all can be resolved the SLO keeps the default tiers, so a typo never leaves it
 * without alerts.
 */
class AlertPolicyResolver {
  /** Rules of each named policy, resolved once however many SLOs use it (so its problems are told once). */
  private readonly rulesByPolicy = new Map<string, AlertRule[]>();

  constructor(
    private readonly policies: Map<string, Located<OpenSloAlertPolicy>>,
    private readonly conditions: Map<string, Located<OpenSloAlertCondition>>,
    private readonly problems: Problem[],
  ) {}

  rulesFor(document: YamlDocument, slo: OpenSloSlo): AlertRule[] | undefined {
    const rules: AlertRule[] = [];
    (slo.spec.alertPolicies ?? []).forEach((_, index) => {
      const at: DocumentPath = ['spec', 'alertPolicies', index];
      const result = validateYaml(document, alertPolicyEntrySchema, at);
      this.problems.push(...result.problems);
      if (!result.value) return;
      const entry = result.value;
      if ('conditions' in entry) {
        rules.push(...this.rulesOf(entry.name, entry.conditions, document, [...at, 'spec', 'conditions']));
        return;
      }
      const policy = this.policies.get(entry.ref);
      if (!policy) {
        const path = typeof valueAt(document.data, at) === 'string' ? at : [...at, 'alertPolicyRef'];
        this.problems.push(expectationProblem(document, path, knownNames('an AlertPolicy', this.policies)));
        return;
      }
      let policyRules = this.rulesByPolicy.get(entry.ref);
      if (!policyRules) {
        policyRules = this.rulesOf(entry.ref, policy.value.spec.conditions, policy.document, ['spec', 'conditions']);
        this.rulesByPolicy.set(entry.ref, policyRules);
      }
      rules.push(...policyRules);
    });
    return rules.length > 0 ? rules : undefined;
  }

  private rulesOf(policy: string, entries: AlertConditionEntry[], document: YamlDocument, at: DocumentPath): AlertRule[] {
    const rules: AlertRule[] = [];
    entries.forEach((entry, index) => {
      if (!('ref' in entry)) {
        rules.push(alertRuleOf(policy, entry.name, entry.condition));
        return;
      }
      const condition = this.conditions.get(entry.ref);
      if (!condition) {
        this.problems.push(expectationProblem(document, [...at, index, 'conditionRef'], knownNames('an AlertCondition', this.conditions)));
        return;
      }
      rules.push(alertRuleOf(policy, entry.ref, condition.value.spec));
    });
    return rules;
  }
}

/** What a reference by name expects: a document of that kind, listing the names there are. */
function knownNames(what: string, registry: Map<string, unknown>): string {
  const names = [...registry.keys()];
  return names.length === 0
    ? `the name of ${what} document in .reliability/slos/ (there are none)`
    : `the name of ${what} document in .reliability/slos/ (${names.join(', ')})`;
}

function slothDefinitions(
  document: YamlDocument,
  config: WorkspaceConfig,
  problems: Problem[],
  form: 'plain' | 'kubernetes',
): Array<{ definition: SloDefinition; document: YamlDocument; namePath: DocumentPath }> {
  // The Kubernetes form holds the plain spec's service, labels and slos under `spec`.
  const validated = form === 'plain' ? validateYaml(document, slothSpecSchema) : validateYaml(document, slothKubernetesSchema);
  problems.push(...validated.problems);
  if (!validated.value) return [];
  const spec = 'spec' in validated.value ? validated.value.spec : validated.value;
  const specAt: DocumentPath = form === 'plain' ? [] : ['spec'];
  const serviceProblem = unknownServiceProblem(document, [...specAt, 'service'], config, 'SLO');
  if (serviceProblem) problems.push(serviceProblem);

  const windowMs = fixedDurationMs(SLOTH_DEFAULT_WINDOW) as number;
  const definitions: Array<{ definition: SloDefinition; document: YamlDocument; namePath: DocumentPath }> = [];
  spec.slos.forEach((_, index) => {
    const at = [...specAt, 'slos', index];
    const result = validateYaml(document, form === 'plain' ? slothSloSchema : slothKubernetesSloSchema, at);
    problems.push(...result.problems);
    if (!result.value) return;
    const slo = result.value;
    const definition: SloDefinition = {
      name: slo.name,
      service: spec.service,
      objective: percentToRatio(slo.objective),
      window: { kind: 'rolling', label: SLOTH_DEFAULT_WINDOW, durationMs: windowMs },
      budgeting: { method: 'Occurrences' },
      indicator: slothIndicator(slo.sli),
      file: document.file,
      line: document.locate(at).line,
    };
    if (slo.description !== undefined) definition.description = slo.description;
    // Sloth merges the SLO's labels over the spec's.
    const labels = { ...spec.labels, ...slo.labels };
    if (Object.keys(labels).length > 0) definition.labels = labels;
    if (slo.pageAlertDisabled || slo.ticketAlertDisabled) {
      definition.alertRules = ALERT_RULES.filter((rule) => (rule.severity === 'page' ? !slo.pageAlertDisabled : !slo.ticketAlertDisabled));
    }
    definitions.push({ definition, document, namePath: [...at, 'name'] });
  });
  return definitions;
}

function slothIndicator(sli: SlothSli): Indicator {
  switch (sli.kind) {
    case 'events':
      return { type: 'sloth', errorQuery: sli.errorQuery, totalQuery: sli.totalQuery };
    case 'raw':
      return { type: 'sloth-raw', errorRatioQuery: sli.errorRatioQuery };
    case 'plugin':
      // A plugin is Go code Sloth runs to write the queries; there is nothing here to run it with.
      return { type: 'unsupported', reason: `the Sloth SLI plugin ${JSON.stringify(sli.id)} is not supported` };
  }
}

// ---- Indicators: indicatorRef, metricSourceRef, CSV files ------------------------------------------

type ResolvedSource =
  | { type: 'CSV'; path: string; column: string; pathAt: { document: YamlDocument; path: DocumentPath } }
  | { type: 'Prometheus'; query: string }
  | { type: 'unsupported'; name: string; at: { document: YamlDocument; path: DocumentPath } };

/**
 * An indicator as an SLI document gives it: complete, or a thresholdMetric's data points waiting for
 * the op and value of the objective that uses them (withThreshold).
 */
type ResolvedIndicator =
  | Indicator
  | {
      type: 'pending-threshold';
      source: Omit<Extract<Indicator, { type: 'csv-values' }>, 'reading'> | Omit<Extract<Indicator, { type: 'prometheus-values' }>, 'reading'>;
    };

/**
 * The indicator of objective `index`: a thresholdMetric's data points are judged by that objective's
 * `op` and `value` (DOMAIN.md section 2); an objective without them is an error at it, and its SLO is
 * not loaded (there is nothing to judge its data by). Each objective of a threshold SLO with several
 * is an SLO of its own with its own threshold, as OpenSLO v1alpha writes latency SLOs.
 */
function withThreshold(document: YamlDocument, index: number, objective: OpenSloObjective, indicator: ResolvedIndicator, problems: Problem[]): Indicator | null {
  if (indicator.type !== 'pending-threshold') return indicator;
  if (objective.op === undefined || objective.value === undefined) {
    const missing = objective.op === undefined ? 'op' : 'value';
    problems.push(
      expectationProblem(document, ['spec', 'objectives', index, missing], 'op (lt, lte, gt or gte) and value on the objective of a thresholdMetric: a data point is good when its value op value holds'),
    );
    return null;
  }
  return { ...indicator.source, reading: { kind: 'threshold', op: objective.op, threshold: objective.value } };
}

/** The budgeting method of an objective (the schema made sure its slice settings are there). */
function budgetingOf(method: OpenSloSlo['spec']['budgetingMethod'], objective: OpenSloObjective): BudgetingMethod {
  switch (method) {
    case 'Timeslices':
      return { method, sliceMs: objective.sliceMs as number, sliceTarget: objective.timeSliceTarget as number };
    case 'RatioTimeslices':
      return { method, sliceMs: objective.sliceMs as number };
    case 'Occurrences':
      return { method };
  }
}

/** Sloth's `{{.window}}` placeholder: a query holding it is evaluated per window (DOMAIN.md section 2). */
const WINDOW_PLACEHOLDER = /\{\{\s*\.window\s*\}\}/;

class IndicatorResolver {
  constructor(
    private readonly slis: Map<string, Located<OpenSloSli>>,
    private readonly dataSources: Map<string, Located<OpenSloDataSource>>,
    private readonly folder: string,
    private readonly problems: Problem[],
  ) {}

  forSlo(document: YamlDocument, slo: OpenSloSlo): ResolvedIndicator | null {
    return this.forIndicator(document, ['spec'], slo.spec.indicator, slo.spec.indicatorRef);
  }

  /**
   * The indicator written at `at` (an SLO's spec, or an objective of a composite SLO): an SLI in place
   * (`indicator`) or the name of an SLI document (`indicatorRef`); the schema made sure of one of them.
   */
  forIndicator(document: YamlDocument, at: DocumentPath, inline: OpenSloSlo['spec']['indicator'], reference: string | undefined): ResolvedIndicator | null {
    if (inline) {
      return this.fromSliSpec(document, [...at, 'indicator', 'spec'], inline.spec);
    }
    const sli = this.slis.get(reference as string);
    if (!sli) {
      this.problems.push(expectationProblem(document, [...at, 'indicatorRef'], knownNames('an SLI', this.slis)));
      return null;
    }
    return this.fromSliSpec(sli.document, ['spec'], sli.value.spec);
  }

  /**
   * An SLI's metric: a ratio of counts, a raw ratio (`ratioMetric.raw` with `rawType`) or a threshold.
   * A threshold's op and value are on the objective: it is returned pending, and completed per
   * objective by withThreshold.
   */
  private fromSliSpec(document: YamlDocument, at: DocumentPath, spec: OpenSloSliSpec): ResolvedIndicator | null {
    if (spec.thresholdMetric) return this.fromValues(document, [...at, 'thresholdMetric'], spec.thresholdMetric.metricSource, null);
    const ratio = spec.ratioMetric as OpenSloRatioMetric;
    if (ratio.raw) {
      const rawType = ratio.rawType as 'success' | 'failure';
      return this.fromValues(document, [...at, 'ratioMetric', 'raw'], ratio.raw.metricSource, { kind: 'raw', rawType });
    }
    return this.fromRatio(document, [...at, 'ratioMetric'], ratio);
  }

  /**
   * The data points of one metric (DOMAIN.md section 2, "Other indicators"): a CSV value column
   * (`metricSource.spec.column`, default `value`), or a Prometheus query's values. `reading` null: a
   * threshold, whose op and value the objective gives.
   */
  private fromValues(document: YamlDocument, at: DocumentPath, metricSource: OpenSloMetricSource, reading: ValueReading | null): ResolvedIndicator | null {
    const source = this.resolveSource(document, [...at, 'metricSource'], metricSource, 'value');
    if (!source) return null;
    if (source.type === 'unsupported') return this.unsupported(source);
    if (source.type === 'Prometheus') {
      // Written the way Sloth reads an OpenSLO raw ratio: the error ratio over w is the query with
      // `{{.window}}` = w (for a success ratio, 1 minus it).
      if (reading?.kind === 'raw' && WINDOW_PLACEHOLDER.test(source.query)) {
        return { type: 'sloth-raw', errorRatioQuery: reading.rawType === 'failure' ? source.query : `1 - (${source.query})` };
      }
      return reading === null ? { type: 'pending-threshold', source: { type: 'prometheus-values', query: source.query } } : { type: 'prometheus-values', query: source.query, reading };
    }
    this.checkCsvExists(source);
    const csv = { type: 'csv-values' as const, path: source.path, column: source.column };
    return reading === null ? { type: 'pending-threshold', source: csv } : { ...csv, reading };
  }

  /** A source we cannot query (Datadog, CloudWatch...) still shows its SLO, with no data and why. */
  private unsupported(source: Extract<ResolvedSource, { type: 'unsupported' }>): Indicator {
    this.problems.push({
      ...expectationProblem(source.at.document, source.at.path, 'a type this can read (CSV or Prometheus)', 'warning'),
      message: `${formatPath(source.at.path)}: ${source.name} is not supported (CSV files and Prometheus are); the SLO is shown without data`,
    });
    return { type: 'unsupported', reason: `${source.name} is not supported` };
  }

  /** A missing CSV file is told at its spec.path; the SLO stays, and its report shows the missing data. */
  private checkCsvExists(source: Extract<ResolvedSource, { type: 'CSV' }>): void {
    if (existsSync(join(this.folder, source.path))) return;
    this.problems.push(
      expectationProblem(source.pathAt.document, source.pathAt.path, 'a CSV file that exists, relative to .reliability/', 'error', `${JSON.stringify(source.path)} (not found)`),
    );
  }

  private fromRatio(document: YamlDocument, at: DocumentPath, ratio: OpenSloRatioMetric): Indicator | null {
    const roles = (['good', 'bad', 'total'] as const).filter((role) => ratio[role] !== undefined);
    const sources = new Map<'good' | 'bad' | 'total', ResolvedSource>();
    for (const role of roles) {
      const source = this.resolveSource(document, [...at, role, 'metricSource'], ratio[role]!.metricSource, role);
      if (!source) return null;
      sources.set(role, source);
    }
    const total = sources.get('total')!;
    const numerator = (sources.get('good') ?? sources.get('bad'))!;
    const numeratorRole = ratio.good ? 'good' : 'bad';
    const unsupported = [numerator, total].find((source) => source.type === 'unsupported');
    if (unsupported?.type === 'unsupported') return this.unsupported(unsupported);
    if (numerator.type !== total.type) {
      this.problems.push(
        expectationProblem(document, [...at, 'total', 'metricSource'], `the same source type as ${numeratorRole} (${numerator.type})`, 'error', total.type),
      );
      return null;
    }
    if (numerator.type === 'Prometheus' && total.type === 'Prometheus') {
      if (WINDOW_PLACEHOLDER.test(numerator.query) || WINDOW_PLACEHOLDER.test(total.query)) {
        // Written the way Sloth reads OpenSLO (its own examples do): whole expressions evaluated with
        // `{{.window}}` = each window, not counter selectors. Bad events are total minus good.
        const errorQuery = numeratorRole === 'bad' ? numerator.query : `(${total.query}) - (${numerator.query})`;
        return { type: 'sloth', errorQuery, totalQuery: total.query };
      }
      const indicator: Indicator = { type: 'prometheus', total: total.query, counter: ratio.counter };
      if (numeratorRole === 'good') indicator.good = numerator.query;
      else indicator.bad = numerator.query;
      return indicator;
    }
    if (numerator.type !== 'CSV' || total.type !== 'CSV') return null;
    if (numeratorRole === 'bad') {
      this.problems.push(
        expectationProblem(document, [...at, 'bad'], 'good and total for a CSV source (its rows hold good and total counts)', 'error', 'bad'),
      );
      return null;
    }
    if (numerator.path !== total.path) {
      this.problems.push(
        expectationProblem(total.pathAt.document, total.pathAt.path, `the same CSV file as good (${JSON.stringify(numerator.path)})`),
      );
      return null;
    }
    this.checkCsvExists(numerator);
    return { type: 'csv', path: numerator.path, goodColumn: numerator.column, totalColumn: total.column };
  }

  private resolveSource(document: YamlDocument, at: DocumentPath, source: OpenSloMetricSource, role: 'good' | 'bad' | 'total' | 'value'): ResolvedSource | null {
    let type = source.type;
    let path = source.spec?.path;
    let pathAt: { document: YamlDocument; path: DocumentPath } = { document, path: [...at, 'spec', 'path'] };
    let typeAt: { document: YamlDocument; path: DocumentPath } = { document, path: [...at, 'type'] };
    if (source.metricSourceRef !== undefined) {
      const dataSource = this.dataSources.get(source.metricSourceRef);
      if (!dataSource) {
        this.problems.push(expectationProblem(document, [...at, 'metricSourceRef'], knownNames('a DataSource', this.dataSources)));
        return null;
      }
      const sourceType = dataSource.value.spec.type;
      if (type !== undefined && type !== sourceType) {
        this.problems.push(
          expectationProblem(document, [...at, 'type'], `the type of DataSource ${JSON.stringify(source.metricSourceRef)} (${sourceType}) or no type`),
        );
        return null;
      }
      type = sourceType;
      typeAt = { document: dataSource.document, path: ['spec', 'type'] };
      const sharedPath = dataSource.value.spec.connectionDetails.path;
      if (path === undefined && typeof sharedPath === 'string') {
        path = sharedPath;
        pathAt = { document: dataSource.document, path: ['spec', 'connectionDetails', 'path'] };
      }
    }
    if (type !== undefined && !isReadableSourceType(type)) return { type: 'unsupported', name: type, at: typeAt };
    if (type === 'Prometheus') {
      const query = source.spec?.query;
      if (query === undefined) {
        this.problems.push(expectationProblem(document, source.spec ? [...at, 'spec', 'query'] : [...at, 'spec'], 'spec.query, a PromQL selector of the counter'));
        return null;
      }
      return { type, query };
    }
    if (path === undefined) {
      const where = source.metricSourceRef !== undefined ? ` (or connectionDetails.path in DataSource ${JSON.stringify(source.metricSourceRef)})` : '';
      this.problems.push(expectationProblem(document, source.spec ? [...at, 'spec', 'path'] : [...at, 'spec'], `spec.path, the CSV file relative to .reliability/${where}`));
      return null;
    }
    return { type: 'CSV', path: posix.normalize(path), column: source.spec?.column ?? role, pathAt };
  }
}

// ---- incidents.yaml and deployments.yaml --------------------------------------------------------------

/**
 * Commit SHAs made of digits (or digits and one `e`) are numbers to YAML; the text as written is the
 * SHA, so put it back before validation.
 */
function restoreWrittenText(document: YamlDocument, path: DocumentPath): void {
  const parent = valueAt(document.data, path.slice(0, -1));
  const key = path[path.length - 1];
  if (parent === null || typeof parent !== 'object') return;
  const holder = parent as Record<PropertyKey, unknown>;
  if (typeof holder[key] !== 'number') return;
  const written = document.writtenText(path);
  if (written !== undefined) holder[key] = written;
}

/**
 * The entries of incidents.yaml or deployments.yaml: the file is a top-level list of them, or a mapping
 * with the list under `key` (DOMAIN.md section 1). Entries are validated one by one by the caller, so
 * one bad entry does not hide the others; `at` is where the list is in the document.
 */
function fileEntries(
  document: YamlDocument,
  envelope: z.ZodType<Record<string, unknown[]>>,
  key: string,
  problems: Problem[],
): { entries: unknown[]; at: DocumentPath } | null {
  if (Array.isArray(document.data)) return { entries: document.data, at: [] };
  if (document.data === null || typeof document.data !== 'object') {
    problems.push(expectationProblem(document, [], `a list of ${key}, or a mapping with the list under ${key}:`));
    return null;
  }
  const validated = validateYaml(document, envelope);
  problems.push(...validated.problems);
  return validated.value ? { entries: validated.value[key], at: [key] } : null;
}

function loadIncidents(file: YamlFile, config: WorkspaceConfig, problems: Problem[]): Incident[] {
  const document = onlyDocument(file, problems);
  if (!document) return [];
  const list = fileEntries(document, incidentsFileSchema, 'incidents', problems);
  if (!list) return [];

  const incidents: Incident[] = [];
  const firstById = new Map<string, number>();
  list.entries.forEach((entry, index) => {
    const at = [...list.at, index];
    const commits = (entry as { commits?: unknown } | null)?.commits;
    if (Array.isArray(commits)) commits.forEach((_, commitIndex) => restoreWrittenText(document, [...at, 'commits', commitIndex]));
    const result = validateYaml(document, incidentSchema, at);
    problems.push(...result.problems);
    if (!result.value) return;
    const incident = result.value;
    const firstIndex = firstById.get(incident.id);
    if (firstIndex !== undefined) {
      problems.push(duplicateNameProblem(document, [...at, 'id'], 'incident id', document, [...list.at, firstIndex, 'id']));
      return;
    }
    firstById.set(incident.id, index);
    const serviceProblem = unknownServiceProblem(document, [...at, 'service'], config, 'incident');
    if (serviceProblem) problems.push(serviceProblem);
    incidents.push(incident);
  });
  return incidents;
}

function loadDeployments(file: YamlFile, config: WorkspaceConfig, problems: Problem[]): Deployment[] {
  const document = onlyDocument(file, problems);
  if (!document) return [];
  const list = fileEntries(document, deploymentsFileSchema, 'deployments', problems);
  if (!list) return [];

  const known = serviceNames(config);
  const deployments: Deployment[] = [];
  const firstByName = new Map<string, number>();
  list.entries.forEach((_, index) => {
    const at = [...list.at, index];
    restoreWrittenText(document, [...at, 'commit']);
    const result = validateYaml(document, deploymentEntrySchema, at);
    problems.push(...result.problems);
    if (!result.value) return;
    const entry = result.value;
    const firstIndex = firstByName.get(entry.name);
    if (firstIndex !== undefined) {
      problems.push(duplicateNameProblem(document, [...at, 'name'], 'deployment name', document, [...list.at, firstIndex, 'name']));
      return;
    }
    firstByName.set(entry.name, index);
    entry.services?.forEach((_, serviceIndex) => {
      const problem = unknownServiceProblem(document, [...at, 'services', serviceIndex], config, 'deployment');
      if (problem) problems.push(problem);
    });
    deployments.push({
      name: entry.name,
      commit: entry.commit,
      time: entry.time,
      // Like a tag matching the workspace pattern, an entry that names no services deploys all of them.
      services: entry.services ?? known,
      source: 'file',
    });
  });
  return deployments;
}
