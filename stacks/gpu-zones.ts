/**
 * Where Google Cloud offers each GPU model, by region (zone suffixes), and the size of the machine
 * types the GKE pools use. Facts, not a copy: the zones were read on 2026-12-02 from a stored copy
 * of the SkyPilot GCP catalog (skypilot-org/skypilot-catalog catalogs/v7/gcp/vms.csv, undated,
 * built from the Compute Engine API; rows with one accelerator, A100 40GB from a2-highgpu-1g), and
 * agree with the two other stored sources that name zones (us-east1 T4/V100/A100 zones in a GitLab
 * infrastructure issue, an L4/V100 zone map in another repository). Google's own page
 * (https://cloud.google.com/compute/docs/gpus/gpu-regions-zones) was not reachable from here.
 * Offerings change: `gcloud compute accelerator-types list --filter="name=<type>"` is the
 * authority; add a region here (or override `gke.gpuZones`) when Google adds one.
 */
import type { GpuType } from '../constructs/core/gpu';

/** Zone suffixes of each region, per GPU type. */
export const GPU_ZONES: Readonly<Record<GpuType, Readonly<Record<string, readonly string[]>>>> = {
  'nvidia-tesla-t4': {
    'asia-east1': ['a', 'c'], 'asia-east2': ['a', 'c'], 'asia-northeast1': ['a', 'c'], 'asia-northeast3': ['b', 'c'], 'asia-south1': ['a', 'b'],
    'asia-southeast1': ['a', 'b', 'c'], 'asia-southeast2': ['a', 'b'], 'australia-southeast1': ['a', 'c'], 'europe-central2': ['b', 'c'],
    'europe-west1': ['b', 'c', 'd'], 'europe-west2': ['a', 'b'], 'europe-west3': ['b'], 'europe-west4': ['a', 'b', 'c'], 'me-west1': ['b', 'c'],
    'northamerica-northeast1': ['c'], 'southamerica-east1': ['a', 'c'], 'us-central1': ['a', 'b', 'c', 'f'], 'us-east1': ['c', 'd'],
    'us-east4': ['a', 'b', 'c'], 'us-west1': ['a', 'b'], 'us-west2': ['b', 'c'], 'us-west3': ['b'], 'us-west4': ['a', 'b'],
  },
  'nvidia-l4': {
    'asia-east1': ['a', 'b', 'c'], 'asia-northeast1': ['a', 'b', 'c'], 'asia-northeast3': ['a', 'b'], 'asia-south1': ['a', 'b', 'c'],
    'asia-southeast1': ['a', 'b', 'c'], 'europe-west1': ['b', 'c'], 'europe-west2': ['a', 'b'], 'europe-west3': ['a', 'b'], 'europe-west4': ['a', 'b', 'c'],
    'europe-west6': ['b', 'c'], 'me-central2': ['a', 'c'], 'northamerica-northeast1': ['b'], 'northamerica-northeast2': ['a', 'b'],
    'us-central1': ['a', 'b', 'c'], 'us-east1': ['b', 'c', 'd'], 'us-east4': ['a', 'c'], 'us-west1': ['a', 'b', 'c'], 'us-west4': ['a', 'c'],
  },
  'nvidia-tesla-v100': {
    'asia-east1': ['c'], 'europe-west4': ['a', 'b', 'c'], 'us-central1': ['a', 'b', 'c', 'f'], 'us-east1': ['c'], 'us-west1': ['a', 'b'],
  },
  'nvidia-tesla-a100': {
    'asia-northeast1': ['a', 'c'], 'asia-northeast3': ['a', 'b'], 'asia-southeast1': ['b', 'c'], 'europe-west4': ['a', 'b'], 'me-west1': ['a', 'c'],
    'us-central1': ['a', 'b', 'c', 'f'], 'us-east1': ['b'], 'us-west1': ['b'], 'us-west3': ['b'], 'us-west4': ['b'],
  },
  'nvidia-a100-80gb': {
    'asia-southeast1': ['c'], 'europe-west4': ['a'], 'us-central1': ['a', 'c'], 'us-east4': ['c'], 'us-east5': ['a', 'b'],
  },
  'nvidia-h100-80gb': {
    'asia-east1': ['c'], 'asia-northeast1': ['b'], 'asia-northeast3': ['a', 'c'], 'asia-south1': ['c'], 'asia-southeast1': ['b', 'c'],
    'australia-southeast1': ['c'], 'europe-north1': ['c'], 'europe-west1': ['b', 'c'], 'europe-west2': ['b'], 'europe-west3': ['a', 'c'],
    'europe-west4': ['b', 'c'], 'northamerica-northeast2': ['c'], 'us-central1': ['a', 'b', 'c'], 'us-east4': ['a', 'b', 'c'], 'us-east5': ['a'],
    'us-west1': ['a', 'b'], 'us-west4': ['a'],
  },
};

/** The zones of `region` that offer `type` (full zone names), empty when none does. */
export function gpuZonesIn(type: GpuType, region: string): string[] {
  return (GPU_ZONES[type][region] ?? []).map((z) => `${region}-${z}`);
}

/** The regions that offer `type`, sorted. */
export function gpuRegions(type: GpuType): string[] {
  return Object.keys(GPU_ZONES[type]).sort();
}

/**
 * vCPUs and memory (GB) of the machine types mlscale's pools use (Compute Engine machine families:
 * general-purpose E2 / N1, accelerator-optimized G2 / A2 / A3), for the node auto-provisioning check.
 */
export const MACHINE_TYPES: Readonly<Record<string, { readonly vcpus: number; readonly memoryGb: number }>> = {
  'e2-standard-2': { vcpus: 2, memoryGb: 8 }, 'e2-standard-4': { vcpus: 4, memoryGb: 16 }, 'e2-standard-8': { vcpus: 8, memoryGb: 32 }, 'e2-standard-16': { vcpus: 16, memoryGb: 64 },
  'n1-standard-8': { vcpus: 8, memoryGb: 30 }, 'n1-standard-16': { vcpus: 16, memoryGb: 60 }, 'n1-standard-32': { vcpus: 32, memoryGb: 120 }, 'n1-standard-64': { vcpus: 64, memoryGb: 240 },
  'n1-highcpu-16': { vcpus: 16, memoryGb: 14.4 }, 'n1-highcpu-32': { vcpus: 32, memoryGb: 28.8 }, 'n1-highcpu-64': { vcpus: 64, memoryGb: 57.6 },
  'n2-highmem-16': { vcpus: 16, memoryGb: 128 }, 'n2-highmem-32': { vcpus: 32, memoryGb: 256 },
  'g2-standard-8': { vcpus: 8, memoryGb: 32 }, 'g2-standard-24': { vcpus: 24, memoryGb: 96 }, 'g2-standard-48': { vcpus: 48, memoryGb: 192 }, 'g2-standard-96': { vcpus: 96, memoryGb: 384 },
  'a2-highgpu-1g': { vcpus: 12, memoryGb: 85 }, 'a2-highgpu-2g': { vcpus: 24, memoryGb: 170 }, 'a2-highgpu-4g': { vcpus: 48, memoryGb: 340 }, 'a2-highgpu-8g': { vcpus: 96, memoryGb: 680 },
  'a2-megagpu-16g': { vcpus: 96, memoryGb: 1360 },
  'a2-ultragpu-1g': { vcpus: 12, memoryGb: 170 }, 'a2-ultragpu-2g': { vcpus: 24, memoryGb: 340 }, 'a2-ultragpu-4g': { vcpus: 48, memoryGb: 680 }, 'a2-ultragpu-8g': { vcpus: 96, memoryGb: 1360 },
  'a3-highgpu-1g': { vcpus: 26, memoryGb: 234 }, 'a3-highgpu-2g': { vcpus: 52, memoryGb: 468 }, 'a3-highgpu-4g': { vcpus: 104, memoryGb: 936 }, 'a3-highgpu-8g': { vcpus: 208, memoryGb: 1872 },
};
