/**
 * The default platform app: `npm run synth` (apps/synth.ts) synthesizes it into charts-out/.
 * Each capability adds its charts from its own module; add yours the same way.
 * This module only builds; it never synthesizes on import (bench and tests import it).
 */
import { ClusterProfile, MlscaleApp } from '../constructs';
import { addDask } from './dask';
import { addGitOps } from './gitops';
import { addPlatform, platformProfile } from './platform';
import { addTraining } from './training';

/** Adds every chart of the default platform app to `app`. */
export function buildApp(app: MlscaleApp): void {
  ClusterProfile.use(app, platformProfile());
  addPlatform(app);
  addDask(app);
  addTraining(app);
  // last: the Argo CD objects and the charts-out index cover every chart above
  addGitOps(app);
}
