/**
 * What a Dask image holds: the versions a client and the clusters it starts must agree on (a
 * notebook's dask-gateway client, the gateway server, the scheduler's dask), and whether it can run
 * GPU workers. One table of the public images mlscale uses, from their upstream pins; images of
 * your own declare their contents where they are offered.
 */
import { DASK_GATEWAY_CLUSTER_IMAGE } from './constants';

/** The contents of an image that runs Dask. */
export interface DaskImageContents {
  /** The `dask` (and `distributed`) version it has. */
  readonly dask: string;
  /**
   * The `dask-gateway` (client) version it has.
   * @default - none: it cannot be a gateway cluster image or talk to the gateway
   */
  readonly daskGateway?: string;
  /**
   * CUDA and `dask-cuda` (`dask-cuda-worker`): it may run GPU workers.
   * @default false
   */
  readonly cuda?: boolean;
}

/**
 * Public images and what they hold. `ghcr.io/dask/dask-gateway:2026.3.0`: dask/dask-gateway 2026.3.0
 * dask-gateway/Dockerfile.requirements.txt pins dask==2026.3.0 and distributed==2026.3.0; the image
 * has no dask-cuda (Dockerfile.requirements.in: dask-gateway, bokeh, numpy).
 */
export const KNOWN_DASK_IMAGES: Readonly<Record<string, DaskImageContents>> = {
  [DASK_GATEWAY_CLUSTER_IMAGE]: { dask: '2026.3.0', daskGateway: '2026.3.0', cuda: false },
};

/** The contents of `image`: as declared, else from the table. */
export function daskImageContents(image: string, declared?: DaskImageContents): DaskImageContents | undefined {
  return declared ?? KNOWN_DASK_IMAGES[image];
}
