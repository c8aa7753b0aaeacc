// The files of a starter `.reliability/` folder: what `reliability-lens init` writes (or prints with
// --dry-run) and what the editor's Create Starter command writes, from one plan. Every value read
// from the repository (service names, CODEOWNERS paths, the tag pattern) is written as a JSON string,
// which YAML reads as the same double-quoted string, so none can change a file's structure; every
// comment is one inert line.
import { inertJson, inertLine } from './inertText';
import { inferServices, type RepositoryFacts, type ServiceInference } from './serviceInference';
import { chooseTagPattern, type TagFacts, type TagPatternChoice } from './tagPatternChoice';

export interface StarterPlan {
  services: ServiceInference;
  tags: TagPatternChoice;
}

export interface StarterFile {
  /** Relative to `.reliability/`, with forward slashes. */
  path: string;
  content: string;
}

/** What a starter folder would say about a repository, from what it shows. */
export function planStarter(facts: RepositoryFacts & { tags: TagFacts }): StarterPlan {
  return { services: inferServices(facts), tags: chooseTagPattern(facts.tags) };
}

/** The availability SLO of a service, and the CSV its counts are read from. */
export function availabilitySloName(service: string): string {
  return `${service}-availability`;
}

function configYaml(plan: StarterPlan): string {
  const services = plan.services.services
    .map((service) => `  - name: ${inertJson(service.name)}\n    paths: [${service.paths.map((p) => inertJson(p)).join(', ')}]`)
    .join('\n');
  return `# Reliability Lens workspace. Reference: the README's ".reliability/ folder" section.
version: 1

# A file belongs to every service whose glob matches it (CODEOWNERS-style).
# ${inertLine(`Found from ${plan.services.reason}.`)}
services:
${services}

# Deployments: git tags matching tagPattern.
# ${inertLine(`Picked ${plan.tags.reason}.`)}
deployments:
  source: git-tags
  tagPattern: ${inertJson(plan.tags.pattern)}

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
`;
}

function sloYaml(service: string): string {
  const slo = availabilitySloName(service);
  const csv = inertJson(`data/${slo}.csv`);
  return `# An OpenSLO v1 SLO: 99.9% of ${inertLine(service)}'s requests succeed over a rolling 28 days.
# Its counts: data/${inertLine(slo)}.csv, one row per interval (timestamp = the interval's end, good, total),
# or point the metrics at Prometheus (README: SLOs from Prometheus).
apiVersion: openslo/v1
kind: SLO
metadata:
  name: ${inertJson(slo)}
  displayName: ${inertJson(`${service} requests succeed`)}
spec:
  service: ${inertJson(service)}
  budgetingMethod: Occurrences
  timeWindow:
    - duration: 28d
      isRolling: true
  indicator:
    metadata:
      name: ${inertJson(`${service}-requests`)}
    spec:
      ratioMetric:
        counter: true
        good:
          metricSource:
            type: CSV
            spec: { path: ${csv}, column: good }
        total:
          metricSource:
            type: CSV
            spec: { path: ${csv}, column: total }
  objectives:
    - displayName: 99.9% of requests succeed
      target: 0.999
`;
}

function incidentsYaml(firstService: string): string {
  return `# The incident ledger. Example:
#  - id: INC-1
#    title: Checkout returns 500 for some carts
#    severity: SEV2            # SEV1 (worst) .. SEV5
#    service: ${inertLine(firstService)}
#    startedAt: 2026-01-15T09:30:00Z
#    resolvedAt: 2026-01-15T10:10:00Z
#    commits: [abc1234]        # root-cause commits, if known
incidents: []
`;
}

/**
 * The starter folder's files, config.yaml first: the services and tag pattern of the plan, an
 * availability SLO per service reading a CSV file of its own (a header, no rows yet), and an empty
 * incident ledger. Service names are service names (serviceInference.ts), so they make file names.
 */
export function starterFiles(plan: StarterPlan): StarterFile[] {
  const services = plan.services.services;
  return [
    { path: 'config.yaml', content: configYaml(plan) },
    ...services.flatMap((service) => [
      { path: `slos/${service.name}.yaml`, content: sloYaml(service.name) },
      { path: `data/${availabilitySloName(service.name)}.csv`, content: 'timestamp,good,total\n' },
    ]),
    { path: 'incidents.yaml', content: incidentsYaml(services[0]?.name ?? 'checkout') },
  ];
}

/**
 * What a plan found, in two lines for a person (the CLI's `init`, the editor's notification):
 * the services and where they came from, and the tag pattern and why.
 */
export function describeStarterPlan(plan: StarterPlan): { services: string; deployments: string } {
  const names = plan.services.services.map((service) => service.name).join(', ');
  return {
    services: inertLine(`Services: ${names} (from ${plan.services.reason})`),
    deployments: inertLine(`Deployments: the tags matching ${plan.tags.reason}`),
  };
}

/** How a zero-configuration note starts: the situation, before what was read instead. */
export const ZERO_CONFIGURATION_HEADLINE = 'No .reliability/ here';

/** The rest of the note: which tags are the deployments and why, and how to write that down. */
export function zeroConfigurationDetail(plan: StarterPlan, howToWriteItDown: string): string {
  return inertLine(`deployments are the tags matching ${plan.tags.reason}. ${howToWriteItDown}`);
}

/**
 * The one line every front end shows about a repository read without `.reliability/` (zero
 * configuration): the CLI prints it, the Delivery view shows it in its first node.
 */
export function zeroConfigurationNote(plan: StarterPlan, howToWriteItDown: string): string {
  return `${ZERO_CONFIGURATION_HEADLINE}: ${zeroConfigurationDetail(plan, howToWriteItDown)}`;
}
