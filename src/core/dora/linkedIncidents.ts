// Which deployment each incident is linked to (DOMAIN.md section 3): the link behind change failure
// rate, failed-deployment recovery, the code lens's `deployment` reason and the explanation.
import { CommitPrefixIndex, EARLIER_DEPLOYMENT, compareDeployments, deploysService, type ShippingLookup } from '../deployments';
import type { Commit, Deployment, Incident } from '../model';

/**
 * The deployment each incident is linked to (incident id -> deployment name, or null):
 * - with root-cause commits: the deployment that shipped the earliest-shipped of them. Prefixes
 *   that name no commit of the history are ignored (sources/git/revisions.ts reports them as warnings); when
 *   every prefix is unknown the incident is linked as if it listed none. Known commits no deployment
 *   has shipped yet link to nothing (null): the cause is not in production.
 * - otherwise: the latest deployment of the incident's service at or before `startedAt`.
 * A root cause the lookup answers with EARLIER_DEPLOYMENT ships before every deployment listed, so
 * the incident links to EARLIER_DEPLOYMENT: to none of these deployments, and not to nothing.
 */
export function linkIncidentsToDeployments(input: {
  incidents: readonly Incident[];
  deployments: readonly Deployment[];
  commits: ReadonlyMap<string, Commit>;
  shippedBy: ShippingLookup;
  /**
   * Root-cause prefix -> full SHA, or null when it names no commit, as git resolved them
   * (sources/git/revisions.ts resolveRootCauses). Without it, prefixes are resolved among `commits`.
   */
  rootCauses?: ReadonlyMap<string, string | null>;
  commitPrefixes?: CommitPrefixIndex;
}): Map<string, string | null> {
  const ordered = [...input.deployments].sort(compareDeployments);
  const orderOf = new Map(ordered.map((deployment, index) => [deployment.name, index]));
  const links = new Map<string, string | null>();
  const resolved =
    input.rootCauses ?? (input.commitPrefixes ?? new CommitPrefixIndex(input.commits)).resolveAll(input.incidents.flatMap((incident) => incident.commits));
  orderOf.set(EARLIER_DEPLOYMENT, -1);

  for (const incident of input.incidents) {
    const rootCauses = incident.commits
      .map((prefix) => resolved.get(prefix) ?? null)
      .filter((sha): sha is string => sha !== null);
    if (rootCauses.length > 0) {
      let earliest: string | null = null;
      for (const sha of rootCauses) {
        const shipping = input.shippedBy.get(sha);
        if (shipping === undefined || !orderOf.has(shipping)) continue;
        if (earliest === null || (orderOf.get(shipping) as number) < (orderOf.get(earliest) as number)) earliest = shipping;
      }
      links.set(incident.id, earliest);
      continue;
    }
    let latest: string | null = null;
    for (const deployment of ordered) {
      if (deployment.time > incident.startedAt) break;
      if (deploysService(deployment, incident.service)) latest = deployment.name;
    }
    links.set(incident.id, latest);
  }
  return links;
}

/** Deployment name -> the incidents linked to it, in the order given; unlinked incidents are left out. */
export function incidentsByDeployment(incidents: readonly Incident[], links: ReadonlyMap<string, string | null>): Map<string, Incident[]> {
  const grouped = new Map<string, Incident[]>();
  for (const incident of incidents) {
    const deployment = links.get(incident.id);
    if (!deployment) continue;
    const list = grouped.get(deployment);
    if (list) list.push(incident);
    else grouped.set(deployment, [incident]);
  }
  return grouped;
}
