/**
 * The health check of Argo CD Applications that app-of-apps sync waves need (Argo CD stopped
 * assessing child Application health in v1.8, so a parent's waves would not wait for a child):
 * set as `resource.customizations.health.argoproj.io_Application` in argocd-cm (the argo-cd
 * chart's `configs.cm`). Written here: an Application is as healthy as it reports itself, and
 * Progressing until it reports.
 */
export const APPLICATION_HEALTH_LUA = `-- mlscale: a child Application's health is the health it reports
local verdict = { status = "Progressing", message = "the Application has not reported its health yet" }
local reported = obj.status and obj.status.health
if reported and reported.status then
  verdict.status = reported.status
  verdict.message = reported.message or ""
end
return verdict
`;
