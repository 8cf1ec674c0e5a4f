/**
 * Typed custom-resource specs. The generated bindings (constructs/imports, `cdk8s import`) describe
 * every field of a CRD's schema, but their constructors convert the props with `toJson_*`, which
 * reads int-or-string and quantity values only from the bindings' own classes and silently drops
 * plain ones. Constructs therefore write the JSON themselves and type it with `Plain<Spec>`: the
 * binding's fields, with those one-member classes replaced by the plain value they serialize to.
 * A wrong field name or value type is a compile error (see test/core/compile-errors.test.ts), and
 * `import type` keeps the (large) binding modules out of the runtime.
 */

/** A binding class of an int-or-string or quantity (`XLimits.fromString(...)`): its only member is `value`. */
type ValueClass = { readonly value: string | number };

/**
 * The props the bindings name differently from the JSON field (acronyms camel-cased by `cdk8s
 * import`: `podGc` is written `podGC`), across the bindings of constructs/imports (their `toJson_*`
 * functions; test/core/compile-errors.test.ts re-reads them and checks this list is exactly that).
 */
export interface BindingRenames {
  artifactGc: 'artifactGC'; clientIdSecret: 'clientIDSecret'; clientIp: 'clientIP'; clusterIp: 'clusterIP'; customBrowserXssValue: 'customBrowserXSSValue';
  datasetUuid: 'datasetUUID'; disableHttp2: 'disableHTTP2'; diskUri: 'diskURI'; downwardApi: 'downwardAPI'; enableDnsHostnames: 'enableDNSHostnames';
  externalId: 'externalID'; forceStsHeader: 'forceSTSHeader'; hostIp: 'hostIP'; hostIpc: 'hostIPC'; hostPid: 'hostPID'; insecureSkipTls: 'insecureSkipTLS';
  insecureSkipTlsVerify: 'insecureSkipTLSVerify'; keyId: 'keyID'; loadBalancerIp: 'loadBalancerIP'; nativeLb: 'nativeLB'; nodeId: 'nodeID'; nodePortLb: 'nodePortLB';
  passTlsClientCert: 'passTLSClientCert'; pdId: 'pdID'; peerCertUri: 'peerCertURI'; podCidr: 'podCIDR'; podCidRs: 'podCIDRs'; podGc: 'podGC';
  providerId: 'providerID'; repoUrl: 'repoURL'; roleArn: 'roleARN'; scaleIo: 'scaleIO'; setHostnameAsFqdn: 'setHostnameAsFQDN'; storagePolicyId: 'storagePolicyID';
  targetWwNs: 'targetWWNs'; tokenUrlSecret: 'tokenURLSecret'; useSdkCreds: 'useSDKCreds'; volumeClaimGc: 'volumeClaimGC'; volumeId: 'volumeID';
  nonResourceUrLs: 'nonResourceURLs'; openApiv3Schema: 'openAPIV3Schema'; targetCpuUtilizationPercentage: 'targetCPUUtilizationPercentage';
}

/** The JSON field of a binding prop. */
type JsonKey<K> = K extends keyof BindingRenames ? BindingRenames[K] : K;

/**
 * The JSON shape of a generated binding type: the JSON field names, the bindings' enums as their
 * string values, and int-or-string / quantity classes as the plain string or number they hold.
 */
export type Plain<T> = T extends string ? `${T}`
  : T extends number | boolean | null | undefined ? T
  : T extends ReadonlyArray<infer U> ? ReadonlyArray<Plain<U>>
  : T extends ValueClass ? ([Exclude<keyof T, 'value'>] extends [never] ? T['value'] : PlainObject<T>)
  : T extends object ? PlainObject<T>
  : T;

type PlainObject<T> = { readonly [K in keyof T as JsonKey<K>]: Plain<T[K]> };

/**
 * A subtree built and type-checked elsewhere (a pod template from `buildPodTemplate`, typed with the
 * core k8s bindings; a KFP or Argo fragment checked by its own code), placed where a CRD embeds it.
 */
export function embedded<T>(json: unknown): T {
  return json as T;
}
