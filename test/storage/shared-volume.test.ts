import { Testing } from 'cdk8s';
import { ClusterProfile, SharedVolume } from '../../constructs';
import { problemMessages, testChart } from '../util';

describe('SharedVolume', () => {
  test('RWX claim on the profile StorageClass, typed mounts', () => {
    const chart = testChart(ClusterProfile.gke({ rwxStorageClass: 'mlscale-rwx' }));
    const vol = new SharedVolume(chart, 'models', { namespace: 'team-a', size: '1Ti' });
    const [pvc] = Testing.synth(chart);
    expect(pvc).toMatchSnapshot();
    expect(pvc.kind).toBe('PersistentVolumeClaim');
    expect(pvc.spec).toEqual({ accessModes: ['ReadWriteMany'], storageClassName: 'mlscale-rwx', resources: { requests: { storage: '1Ti' } } });
    expect(vol.mount('/mnt/models', { readOnly: true })).toEqual({
      volume: { name: 'models', persistentVolumeClaim: { claimName: 'models' } },
      volumeMount: { name: 'models', mountPath: '/mnt/models', readOnly: true, subPath: undefined },
      claimNamespace: 'team-a', // where it may be mounted from
    });
    expect(vol.mount('/ckpt', { subPath: 'run-1' }).volumeMount).toEqual({ name: 'models', mountPath: '/ckpt', subPath: 'run-1' });
  });

  test('on-prem default StorageClass is nfs-client; an explicit class wins', () => {
    const chart = testChart(ClusterProfile.onPrem());
    expect(new SharedVolume(chart, 'a').storageClassName).toBe('nfs-client');
    expect(new SharedVolume(chart, 'b', { storageClass: 'fast-nfs' }).storageClassName).toBe('fast-nfs');
  });

  test('bad input', () => {
    expect(problemMessages(() => new SharedVolume(testChart(), 'Vol', { size: '10 GB' }))).toEqual([
      'test/Vol: name is not a valid Kubernetes name; got "Vol", expected a DNS-1123 label: at most 63 characters of a-z, 0-9 and \'-\', starting and ending with a letter or digit',
      'test/Vol: size is not a valid storage quantity; got "10 GB", expected a quantity with a unit, e.g. "100Gi", "1Ti"',
    ]);
    const vol = new SharedVolume(testChart(), 'v');
    expect(problemMessages(() => vol.mount('data', { subPath: '../x' }))).toEqual([
      'test/v: mount.path is not an absolute mount path; got "data", expected an absolute path other than "/", e.g. "/mnt/models"',
      'test/v: mount.subPath is not a relative path inside the volume; got "../x", expected a relative path without ".."',
    ]);
  });
});

describe('SharedVolume.fromClaimName', () => {
  test('an existing claim: mounts like a SharedVolume, creates nothing, is declared external', () => {
    const { Testing } = require('cdk8s');
    const { Externals } = require('../../constructs');
    const app = Testing.app();
    const chart = new (require('cdk8s').Chart)(app, 'c');
    const v = SharedVolume.fromClaimName(chart, 'legacy', 'team-a', 'legacy-data');
    expect(v.mount('/data').volume).toEqual({ name: 'legacy-data', persistentVolumeClaim: { claimName: 'legacy-data' } });
    expect(Testing.synth(chart)).toEqual([]);
    expect(Externals.of(chart).map((e: any) => `${e.kind} ${e.namespace}/${e.name}`)).toEqual(['PersistentVolumeClaim team-a/legacy-data']);
  });
});

describe('SharedVolume namespace', () => {
  test('without the prop it is the chart\'s, so a mount into another namespace is caught', () => {
    const { Testing, Chart } = require('cdk8s');
    const chart = new Chart(Testing.app(), 'b', { namespace: 'team-b' });
    expect(new SharedVolume(chart, 'v', { size: '1Gi' }).mount('/d').claimNamespace).toBe('team-b');
  });
});
