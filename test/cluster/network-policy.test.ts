/**
 * The NetworkPolicy evaluator, table-driven: each row is one semantic rule of networking.k8s.io/v1
 * (as the Kubernetes documentation and pkg/apis/networking/v1 state it), with a verdict reasoned
 * from that rule, not from the code.
 */
import { FlowEnd, PolicySet, evaluateFlow, hasDefaultDeny, inCidr, policyTypes, selectorMatches } from '../../constructs';

const np = (namespace: string, name: string, spec: Record<string, unknown>) => ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { namespace, name }, spec });
const set = (policies: any[], ns: Record<string, Record<string, string>> = {}): PolicySet => ({ policies, namespaceLabels: new Map(Object.entries(ns)) });
const pod = (namespace: string, labels: Record<string, string> = {}, ports?: Array<{ name?: string; containerPort: number; protocol?: string }>): FlowEnd => ({ namespace, labels, ports });
const ip = (a: string): FlowEnd => ({ ip: a });

const denyAll = (ns: string) => np(ns, 'default-deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
const allowEgressAll = (ns: string) => np(ns, 'egress-all', { podSelector: {}, policyTypes: ['Egress'], egress: [{}] });
const allowIngressAll = (ns: string) => np(ns, 'ingress-all', { podSelector: {}, policyTypes: ['Ingress'], ingress: [{}] });

const A = { app: 'a' };
const B = { app: 'b' };

type Row = [string, PolicySet, FlowEnd, FlowEnd, number, string, boolean];

const rows: Row[] = [
  // isolation
  ['no policies: everything is allowed', set([]), pod('x', A), pod('y', B), 80, 'TCP', true],
  ['a policy in another namespace does not isolate', set([denyAll('z')]), pod('x', A), pod('y', B), 80, 'TCP', true],
  ['default deny at the destination blocks ingress', set([denyAll('y')]), pod('x', A), pod('y', B), 80, 'TCP', false],
  ['default deny at the source blocks egress', set([denyAll('x')]), pod('x', A), pod('y', B), 80, 'TCP', false],
  ['a policy selecting other pods does not isolate this one', set([np('y', 'only-c', { podSelector: { matchLabels: { app: 'c' } }, policyTypes: ['Ingress'] })]), pod('x', A), pod('y', B), 80, 'TCP', true],
  // allow on one side only
  ['egress allowed, destination isolated without an ingress allow: denied', set([denyAll('x'), allowEgressAll('x'), denyAll('y')]), pod('x', A), pod('y', B), 80, 'TCP', false],
  ['ingress allowed, source isolated without an egress allow: denied', set([denyAll('x'), denyAll('y'), allowIngressAll('y')]), pod('x', A), pod('y', B), 80, 'TCP', false],
  ['both sides allowed: allowed', set([denyAll('x'), allowEgressAll('x'), denyAll('y'), allowIngressAll('y')]), pod('x', A), pod('y', B), 80, 'TCP', true],
  // policyTypes defaults
  ['no policyTypes and no egress rules: Ingress only (egress stays open)', set([np('x', 'ing', { podSelector: {} })]), pod('x', A), pod('y', B), 80, 'TCP', true],
  ['no policyTypes and no egress rules: isolates ingress', set([np('y', 'ing', { podSelector: {} })]), pod('x', A), pod('y', B), 80, 'TCP', false],
  ['no policyTypes, egress rules present: egress isolated too', set([np('x', 'eg', { podSelector: {}, egress: [{ to: [{ podSelector: { matchLabels: { app: 'c' } } }] }] })]), pod('x', A), pod('x', B), 80, 'TCP', false],
  ['no policyTypes, egress rule matching: allowed', set([np('x', 'eg', { podSelector: {}, egress: [{ to: [{ podSelector: { matchLabels: B } }] }] })]), pod('x', A), pod('x', B), 80, 'TCP', false /* ingress also isolated by the same policy */],
  ['an empty egress list in policyTypes Egress denies all egress', set([np('x', 'e', { podSelector: {}, policyTypes: ['Egress'], egress: [] })]), pod('x', A), pod('y', B), 80, 'TCP', false],
  // union of policies
  ['two policies select the pod: either allowing is enough', set([denyAll('y'), np('y', 'from-a', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: {}, podSelector: { matchLabels: A } }] }] })]), pod('x', A), pod('y', B), 80, 'TCP', true],
  ['a rule with no from allows every source', set([np('y', 'all', { podSelector: {}, ingress: [{ ports: [{ port: 80 }] }] })]), pod('x', A), pod('y', B), 80, 'TCP', true],
  ['a rule with no ports allows every port', set([np('y', 'all', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: {} }] }] })]), pod('x', A), pod('y', B), 9999, 'TCP', true],
  // podSelector / namespaceSelector
  ['podSelector alone: same namespace only', set([np('y', 'p', { podSelector: {}, ingress: [{ from: [{ podSelector: { matchLabels: A } }] }] })]), pod('x', A), pod('y', B), 80, 'TCP', false],
  ['podSelector alone: same namespace, matching labels', set([np('y', 'p', { podSelector: {}, ingress: [{ from: [{ podSelector: { matchLabels: A } }] }] })]), pod('y', A), pod('y', B), 80, 'TCP', true],
  ['namespaceSelector by kubernetes.io/metadata.name', set([np('y', 'n', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'x' } } }] }] })]), pod('x', A), pod('y', B), 80, 'TCP', true],
  ['namespaceSelector by a namespace label', set([np('y', 'n', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'blue' } } }] }] })], { x: { team: 'blue' } }), pod('x', A), pod('y', B), 80, 'TCP', true],
  ['namespaceSelector not matching', set([np('y', 'n', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'blue' } } }] }] })], { x: { team: 'red' } }), pod('x', A), pod('y', B), 80, 'TCP', false],
  ['namespaceSelector {} selects every namespace', set([np('y', 'n', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: {} }] }] })]), pod('x', A), pod('y', B), 80, 'TCP', true],
  ['namespace+pod selectors in ONE peer: both must match (wrong pod)', set([np('y', 'and', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'x' } }, podSelector: { matchLabels: B } }] }] })]), pod('x', A), pod('y', B), 80, 'TCP', false],
  ['namespace+pod selectors in ONE peer: both match', set([np('y', 'and', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'x' } }, podSelector: { matchLabels: A } }] }] })]), pod('x', A), pod('y', B), 80, 'TCP', true],
  ['namespace and pod selectors in TWO peers: either (a pod of another namespace matching the podSelector only counts in the policy namespace)', set([np('y', 'or', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'z' } } }, { podSelector: { matchLabels: A } }] }] })]), pod('x', A), pod('y', B), 80, 'TCP', false],
  ['two peers: the namespace peer matches', set([np('y', 'or', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'x' } } }, { podSelector: { matchLabels: { app: 'q' } } }] }] })]), pod('x', A), pod('y', B), 80, 'TCP', true],
  ['matchExpressions In', set([np('y', 'e', { podSelector: {}, ingress: [{ from: [{ podSelector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['a', 'z'] }] } }] }] })]), pod('y', A), pod('y', B), 80, 'TCP', true],
  ['matchExpressions NotIn', set([np('y', 'e', { podSelector: {}, ingress: [{ from: [{ podSelector: { matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['a'] }] } }] }] })]), pod('y', A), pod('y', B), 80, 'TCP', false],
  ['matchExpressions DoesNotExist', set([np('y', 'e', { podSelector: {}, ingress: [{ from: [{ podSelector: { matchExpressions: [{ key: 'tier', operator: 'DoesNotExist' }] } }] }] })]), pod('y', A), pod('y', B), 80, 'TCP', true],
  // ipBlock
  ['egress to an address in the ipBlock', set([np('x', 'ip', { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/8' } }] }] })]), pod('x', A), ip('10.1.2.3'), 443, 'TCP', true],
  ['egress to an address in the except range', set([np('x', 'ip', { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } }] }] })]), pod('x', A), ip('10.1.2.3'), 443, 'TCP', false],
  ['egress to an address outside the ipBlock', set([np('x', 'ip', { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/8' } }] }] })]), pod('x', A), ip('192.168.1.1'), 443, 'TCP', false],
  ['0.0.0.0/0 matches any address', set([np('x', 'ip', { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }] }] })]), pod('x', A), ip('8.8.8.8'), 53, 'UDP', true],
  ['an ipBlock does not select pods', set([np('x', 'ip', { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }] }] })]), pod('x', A), pod('y', B), 80, 'TCP', false],
  ['a pod peer does not select an address', set([np('x', 'p', { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ namespaceSelector: {} }] }] })]), pod('x', A), ip('8.8.8.8'), 443, 'TCP', false],
  ['ingress from an address: ipBlock', set([np('y', 'ip', { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '203.0.113.0/24' } }] }] })]), ip('203.0.113.7'), pod('y', B), 80, 'TCP', true],
  // ports
  ['numbered port matches', set([np('y', 'port', { podSelector: {}, ingress: [{ ports: [{ port: 8786 }] }] })]), pod('x', A), pod('y', B), 8786, 'TCP', true],
  ['numbered port does not match another port', set([np('y', 'port', { podSelector: {}, ingress: [{ ports: [{ port: 8786 }] }] })]), pod('x', A), pod('y', B), 8787, 'TCP', false],
  ['protocol defaults to TCP: a UDP connection does not match', set([np('y', 'port', { podSelector: {}, ingress: [{ ports: [{ port: 53 }] }] })]), pod('x', A), pod('y', B), 53, 'UDP', false],
  ['explicit UDP matches UDP', set([np('y', 'port', { podSelector: {}, ingress: [{ ports: [{ port: 53, protocol: 'UDP' }] }] })]), pod('x', A), pod('y', B), 53, 'UDP', true],
  ['endPort: inside the range', set([np('y', 'range', { podSelector: {}, ingress: [{ ports: [{ port: 30000, endPort: 32767 }] }] })]), pod('x', A), pod('y', B), 31000, 'TCP', true],
  ['endPort: above the range', set([np('y', 'range', { podSelector: {}, ingress: [{ ports: [{ port: 30000, endPort: 32767 }] }] })]), pod('x', A), pod('y', B), 32768, 'TCP', false],
  ['named port resolves against the destination pod\'s container port', set([np('y', 'named', { podSelector: {}, ingress: [{ ports: [{ port: 'dashboard' }] }] })]), pod('x', A), pod('y', B, [{ name: 'dashboard', containerPort: 8787 }]), 8787, 'TCP', true],
  ['named port: the destination serves that name on another number', set([np('y', 'named', { podSelector: {}, ingress: [{ ports: [{ port: 'dashboard' }] }] })]), pod('x', A), pod('y', B, [{ name: 'dashboard', containerPort: 8080 }]), 8787, 'TCP', false],
  ['named port: the destination has no port of that name', set([np('y', 'named', { podSelector: {}, ingress: [{ ports: [{ port: 'dashboard' }] }] })]), pod('x', A), pod('y', B), 8787, 'TCP', false],
  ['named port in an egress rule resolves against the destination', set([np('x', 'named', { podSelector: {}, policyTypes: ['Egress'], egress: [{ ports: [{ port: 'comm' }] }] })]), pod('x', A), pod('y', B, [{ name: 'comm', containerPort: 8786 }]), 8786, 'TCP', true],
  ['a port with no number allows every port of that protocol', set([np('y', 'proto', { podSelector: {}, ingress: [{ ports: [{ protocol: 'TCP' }] }] })]), pod('x', A), pod('y', B), 12345, 'TCP', true],
];

describe('NetworkPolicy evaluator (networking.k8s.io/v1 semantics)', () => {
  test(`at least 40 cases (${rows.length})`, () => {
    expect(rows.length).toBeGreaterThanOrEqual(40);
  });

  test.each(rows)('%s', (_name, policies, from, to, port, protocol, expected) => {
    expect(evaluateFlow(policies, from, to, port, protocol).allowed).toBe(expected);
  });

  test('the verdict names the policies that isolate each side and those that allow', () => {
    const v = evaluateFlow(set([denyAll('x'), allowEgressAll('x'), denyAll('y')]), pod('x', A), pod('y', B), 80);
    expect(v.egress).toEqual({ allowed: true, isolatedBy: ['x/default-deny', 'x/egress-all'], allowedBy: ['x/egress-all'], rules: ['x/egress-all#egress[0]'] });
    expect(v.ingress).toEqual({ allowed: false, isolatedBy: ['y/default-deny'], allowedBy: [], rules: [] });
  });

  test('helpers: policyTypes defaults, selectors, CIDRs, default deny', () => {
    expect(policyTypes({ spec: {} })).toEqual(['Ingress']);
    expect(policyTypes({ spec: { egress: [{}] } })).toEqual(['Ingress', 'Egress']);
    expect(policyTypes({ spec: { egress: [] } })).toEqual(['Ingress']);
    expect(selectorMatches({}, { a: '1' })).toBe(true);
    expect(selectorMatches({ matchExpressions: [{ key: 'a', operator: 'Exists' }] }, {})).toBe(false);
    expect(inCidr('10.255.255.255', '10.0.0.0/8')).toBe(true);
    expect(inCidr('11.0.0.0', '10.0.0.0/8')).toBe(false);
    expect(hasDefaultDeny(set([denyAll('x')]), 'x')).toEqual({ ingress: true, egress: true });
    expect(hasDefaultDeny(set([np('x', 'i', { podSelector: {} })]), 'x')).toEqual({ ingress: true, egress: false });
    expect(hasDefaultDeny(set([np('x', 'some', { podSelector: { matchLabels: A }, policyTypes: ['Ingress', 'Egress'] })]), 'x')).toEqual({ ingress: false, egress: false });
  });
});
