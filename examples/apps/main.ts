/**
 * The default platform app: `npm run synth` (examples/apps/synth.ts) synthesizes it into charts-out/.
 * Each capability adds its charts from its own module; add yours the same way.
 * This module only builds; it never synthesizes on import (bench and tests import it).
 */
import { ADDON_CATALOG, ClusterModel, ClusterProfile, MlscaleApp, withAddonValues } from '../../constructs';
import { addDask } from './dask';
import { addGitOps } from './gitops';
import { addNotebooks } from './notebooks';
import { addPipelines } from './pipelines';
import { addPlatform, platformProfile } from './platform';
import { addTeams } from './teams';
import { addTraining } from './training';

/** Adds every chart of the default platform app to `app`. */
export function buildApp(app: MlscaleApp): void {
  ClusterProfile.use(app, platformProfile());
  // every environment is checked as the cluster will take it (kinds, admission, references) before anything is written
  ClusterModel.enable(app);
  addPlatform(app);
  const teams = addTeams(app); // also turns on the guard rails for the whole app
  addTraining(app, teams);
  const daskGateway = addDask(app, teams);
  const jupyterHub = addNotebooks(app, daskGateway, teams);
  addPipelines(app, teams);
  // last: the Argo CD objects and the charts-out index cover every chart above; the jupyterhub
  // add-on is installed with the profiles computed above
  addGitOps(app, withAddonValues(ADDON_CATALOG, 'jupyterhub', jupyterHub.values));
}
