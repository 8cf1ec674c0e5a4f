import { ClusterProfile, GPU_TYPES, GpuClass, MlscaleValidationError, Problems, checkGpuClasses } from '../../constructs';

function place(profile: ClusterProfile, gpus: number, type?: string, cls?: string) {
  const p = new Problems('app/train');
  const placement = profile.placeGpus(p, 'resources', gpus, type, cls);
  return { placement, problems: p.all };
}

describe('GPU placement', () => {
  test('GKE: accelerator node selector, nvidia.com/gpu toleration', () => {
    const { placement, problems } = place(ClusterProfile.gke(), 2, 'nvidia-l4');
    expect(problems).toEqual([]);
    expect(placement).toMatchObject({
      gpus: 2, type: 'nvidia-l4', resourceName: 'nvidia.com/gpu',
      nodeSelector: { 'cloud.google.com/gke-accelerator': 'nvidia-l4' },
      tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }],
    });
  });

  test('on-prem: the configurable GPU type label', () => {
    const { placement } = place(ClusterProfile.onPrem({ gpuTypeLabel: 'example.com/gpu' }), 1, 'nvidia-tesla-t4');
    expect(placement!.nodeSelector).toEqual({ 'example.com/gpu': 'nvidia-tesla-t4' });
  });

  const classes: GpuClass[] = [
    { name: 't4', type: 'nvidia-tesla-t4' },
    { name: 'a100-spot', type: 'nvidia-a100-80gb', gpusPerNode: 4, spot: true },
    { name: 'a100-mig', type: 'nvidia-tesla-a100', sharing: { strategy: 'mig', partitionSize: '1g.5gb' } },
  ];

  test('spot classes add the spot selector and toleration; the class label is selected', () => {
    const { placement } = place(ClusterProfile.gke({ gpuClasses: classes }), 4, 'nvidia-a100-80gb');
    expect(placement!.nodeSelector).toEqual({
      'cloud.google.com/gke-accelerator': 'nvidia-a100-80gb', 'cloud.google.com/gke-spot': 'true', 'mlscale.io/gpu-class': 'a100-spot',
    });
    expect(placement!.tolerations).toContainEqual({ key: 'cloud.google.com/gke-spot', operator: 'Equal', value: 'true', effect: 'NoSchedule' });
  });

  test('MIG classes select the partition size', () => {
    const { placement } = place(ClusterProfile.gke({ gpuClasses: classes }), 1, undefined, 'a100-mig');
    expect(placement!.nodeSelector['cloud.google.com/gke-gpu-partition-size']).toBe('1g.5gb');
  });

  test('a type no class offers is a synth error naming the offered types', () => {
    const { problems } = place(ClusterProfile.gke({ gpuClasses: classes }), 1, 'nvidia-h100-80gb');
    expect(problems).toEqual([expect.objectContaining({
      field: 'resources.gpuType', problem: 'is not offered by any GPU class of the cluster', value: 'nvidia-h100-80gb',
      expected: 'one of nvidia-a100-80gb, nvidia-tesla-a100, nvidia-tesla-t4',
    })]);
  });

  test('the GPU type is required unless the cluster has exactly one class', () => {
    expect(place(ClusterProfile.gke(), 1).problems[0]).toMatchObject({ field: 'resources.gpuType', problem: 'is required when GPUs are requested' });
    expect(place(ClusterProfile.gke({ gpuClasses: [classes[0]] }), 1).placement!.type).toBe('nvidia-tesla-t4');
  });

  test('more GPUs than a node of the class has is an error', () => {
    expect(place(ClusterProfile.gke({ gpuClasses: classes }), 2, 'nvidia-tesla-t4').problems[0])
      .toMatchObject({ field: 'resources.gpus', problem: 'exceeds the GPUs per node of class "t4"', value: 2 });
  });

  test('unknown classes and types are errors', () => {
    expect(place(ClusterProfile.gke({ gpuClasses: classes }), 1, undefined, 'v100').problems[0]).toMatchObject({ field: 'resources.gpuClass', value: 'v100' });
    expect(place(ClusterProfile.gke(), 1, 'nvidia-rtx-4090').problems[0]).toMatchObject({ field: 'resources.gpuType', problem: 'is not a known GPU type' });
  });
});

describe('GPU class declarations', () => {
  function problemsOf(cs: GpuClass[]) {
    const p = new Problems('config');
    checkGpuClasses(p, 'gpuClasses', cs);
    return p.all.map((x) => `${x.field} ${x.problem}`);
  }
  test('GPU count must be a shape the model offers (3 × A100 is not)', () => {
    expect(problemsOf([{ name: 'a', type: 'nvidia-tesla-a100', gpusPerNode: 3 }])).toEqual(['gpuClasses[0].gpusPerNode is not offered for nvidia-tesla-a100']);
  });
  test('MIG on a GPU without MIG', () => {
    expect(problemsOf([{ name: 't', type: 'nvidia-tesla-t4', sharing: { strategy: 'mig', partitionSize: '1g.5gb' } }]))
      .toEqual(['gpuClasses[0].sharing.partitionSize is a MIG partition but nvidia-tesla-t4 has no MIG']);
  });
  test('min > max nodes, duplicate names', () => {
    expect(problemsOf([{ name: 't', type: 'nvidia-tesla-t4', minNodes: 3, maxNodes: 2 }, { name: 't', type: 'nvidia-l4' }]))
      .toEqual(['gpuClasses[0].minNodes is greater than maxNodes (2)', 'gpuClasses[1].name is used by two GPU classes']);
  });
  test('ClusterProfile rejects bad classes at construction', () => {
    expect(() => ClusterProfile.gke({ gpuClasses: [{ name: 'T4', type: 'nvidia-tesla-t4' }] })).toThrow(MlscaleValidationError);
  });
  test('every catalog machine type matches a GPU count the model offers', () => {
    for (const info of Object.values(GPU_TYPES)) expect(Object.keys(info.machineTypes).map(Number)).toEqual([...info.countsPerNode]);
  });
});
