/**
 * Fact-only schemas: what `npm run import` keeps of an upstream OpenAPI / CRD schema. A whitelist
 * of structural keywords (types, properties, required, enums, formats, patterns, bounds, the
 * `x-kubernetes-*` markers and CEL rules); every description, title, example and anything else
 * not listed is dropped. Map-valued keywords (`properties`, `patternProperties`, …) keep their keys
 * (field names) and strip each value.
 */

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Keywords whose value is a schema. */
const SCHEMA_VALUED = new Set(['items', 'additionalProperties', 'not', 'additionalItems']);
/** Keywords whose value is a list of schemas. */
const SCHEMA_LIST_VALUED = new Set(['allOf', 'anyOf', 'oneOf']);
/** Keywords whose value maps names to schemas. */
const SCHEMA_MAP_VALUED = new Set(['properties', 'patternProperties', 'definitions']);
/** Keywords copied as they are (plain facts: strings, numbers, booleans, lists of names). */
const FACTS = new Set([
  'type', 'format', 'required', 'enum', 'pattern', 'nullable', 'default', '$ref',
  'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf',
  'minLength', 'maxLength', 'minItems', 'maxItems', 'uniqueItems', 'minProperties', 'maxProperties',
  'x-kubernetes-int-or-string', 'x-kubernetes-preserve-unknown-fields', 'x-kubernetes-embedded-resource',
  'x-kubernetes-list-type', 'x-kubernetes-list-map-keys', 'x-kubernetes-map-type',
  'x-kubernetes-patch-strategy', 'x-kubernetes-patch-merge-key', 'x-kubernetes-group-version-kind',
  'x-kubernetes-unions',
]);
/** The parts of a CEL validation rule that are kept (its message is upstream's prose: dropped). */
const RULE_FACTS = ['rule', 'fieldPath', 'reason', 'optionalOldSelf'];

/** The fact-only form of one schema node. */
export function stripSchema(node: Json): Json {
  if (node === null || typeof node !== 'object' || Array.isArray(node)) return node;
  const out: Json = {};
  for (const [k, v] of Object.entries(node)) {
    if (SCHEMA_VALUED.has(k)) out[k] = typeof v === 'object' ? stripSchema(v) : v;
    else if (SCHEMA_LIST_VALUED.has(k)) out[k] = (v as Json[]).map(stripSchema);
    else if (SCHEMA_MAP_VALUED.has(k)) out[k] = stripSchemaMap(v);
    else if (k === 'x-kubernetes-validations') out[k] = (v as Json[]).map(stripRule);
    else if (FACTS.has(k)) out[k] = v;
  }
  return out;
}

/** `name → schema` with every schema stripped (names kept, in their order). */
export function stripSchemaMap(map: Json): Json {
  return Object.fromEntries(Object.entries(map ?? {}).map(([name, s]) => [name, stripSchema(s)]));
}

function stripRule(rule: Json): Json {
  return Object.fromEntries(RULE_FACTS.filter((k) => rule[k] !== undefined).map((k) => [k, rule[k]]));
}
