// Deployment frequency (DOMAIN.md section 3): deployments in the window per week. Each deployment
// counts once however many services it deploys: one tag that releases three services is one delivery.

export function deploymentsPerWeek(deployments: number, windowDays: number): number {
  return (deployments / windowDays) * 7;
}
