/**
 * Typed references only (issue 18): no exported props interface of the constructs names another
 * Kubernetes object by a string (`secretName`, `claimName`, `serviceAccountName`, `queue`...). Read
 * with the TypeScript parser, so a rename or a new prop is seen; the allowed exceptions are the
 * reference types themselves and names that are not Kubernetes objects, each with its reason.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

const ROOT = path.resolve(__dirname, '..', '..', 'constructs');
/** Generated bindings, the upstream importer and the CLI hold no construct props. */
const SKIP = ['imports', 'upstream', 'cli'];

/** A prop whose name says it points at another object. */
const REFERENCE_NAME = /(secret|claim|serviceAccount|configMap|queue|priorityClass|cohort|storageClass|volume)(Name|s)?$/i;
/** Types that are names, not references. */
const NAME_TYPE = /^(string|readonly string\[\]|string\[\]|ReadonlyArray<string>|\{[^}]*\b\w*[nN]ame\??: string[^}]*\})$/;

const ALLOWED: Record<string, string> = {
  'core/refs.ts ISecret.secretName': 'the reference type itself (made by SecretRef.fromName, or read from a kplus.Secret)',
  'core/refs.ts IConfigMap.configMapName': 'the reference type itself',
  'core/refs.ts IServiceAccount.serviceAccountName': 'the reference type itself',
  'core/queue.ts ILocalQueue.queueName': 'the reference type itself (a Team, a TeamQueue or LocalQueueRef.fromName)',
  'core/priority.ts IPriorityClass.priorityClassName': 'the reference type itself (PriorityClasses or PriorityClassRef.fromName)',
  'storage/shared-volume.ts ISharedVolume.claimName': 'the reference type itself (a SharedVolume or SharedVolume.fromClaimName)',
  'platform/team.ts TeamProps.cohort': 'the parent Cohort, which Kueue creates from the name alone (kueue v0.19.2 pkg/cache/hierarchy/manager.go): there is no object to reference',
  'platform/team-queue.ts TeamQueueProps.cohort': 'as TeamProps.cohort',
  'platform/team.ts TeamProps.googleServiceAccount': 'a Google IAM service account (an e-mail address), not a Kubernetes object',
  'platform/team-access.ts TeamAccessProps.googleServiceAccount': 'as TeamProps.googleServiceAccount',
  'storage/shared-volume.ts SharedVolumeProps.storageClass': 'a StorageClass of the cluster, made by the cluster stack (GKE) or the NFS add-on; the cluster model checks it exists or is declared external',
  'core/gpu.ts ClusterProfileProps.rwxStorageClass': 'as SharedVolumeProps.storageClass',
  'core/gpu.ts MinioInstall.storageClass': 'as SharedVolumeProps.storageClass',
};

interface Found { readonly key: string; readonly type: string }

function propsNamingObjects(): Found[] {
  const found: Found[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      const rel = path.relative(ROOT, p).split(path.sep).join('/');
      if (e.isDirectory()) {
        if (!SKIP.includes(rel)) walk(p);
        continue;
      }
      if (!e.name.endsWith('.ts')) continue;
      const sf = ts.createSourceFile(p, fs.readFileSync(p, 'utf8'), ts.ScriptTarget.Latest, true);
      sf.forEachChild((n) => {
        if (!ts.isInterfaceDeclaration(n) || !n.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) return;
        for (const m of n.members) {
          if (!ts.isPropertySignature(m) || !m.type || !ts.isIdentifier(m.name)) continue;
          const type = m.type.getText(sf).replace(/\s+/g, ' ');
          if (REFERENCE_NAME.test(m.name.text) && NAME_TYPE.test(type)) found.push({ key: `${rel} ${n.name.text}.${m.name.text}`, type });
        }
      });
    }
  };
  walk(ROOT);
  return found;
}

describe('typed references', () => {
  const found = propsNamingObjects();

  test('no props interface names another object by a string, outside the reference types and the listed exceptions', () => {
    expect(found.filter((f) => ALLOWED[f.key] === undefined).map((f) => `${f.key}: ${f.type}`)).toEqual([]);
  });

  test('the scan sees the props it must see (it cannot pass by reading nothing)', () => {
    // every exception is still there: an exception for a prop that no longer exists is removed from the list
    expect(Object.keys(ALLOWED).filter((k) => !found.some((f) => f.key === k))).toEqual([]);
    expect(found.length).toBeGreaterThanOrEqual(Object.keys(ALLOWED).length);
  });
});
