/**
 * The health check of Argo CD Applications that app-of-apps sync waves need (Argo CD does not
 * assess child Application health by default since v1.8): set it as
 * `resource.customizations.health.argoproj.io_Application` in argocd-cm (the argo-cd chart's
 * `configs.cm`). From the Argo CD "Resource Health" documentation.
 */
export const APPLICATION_HEALTH_LUA = `hs = {}
hs.status = "Progressing"
hs.message = ""
if obj.status ~= nil then
  if obj.status.health ~= nil then
    hs.status = obj.status.health.status
    if obj.status.health.message ~= nil then
      hs.message = obj.status.health.message
    end
  end
end
return hs
`;

