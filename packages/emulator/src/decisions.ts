/**
 * Every refusal the emulator can answer, with Port's status and error id and how sure that is. The
 * table in docs/port-fidelity.md lists the same rows (test/fidelity-table.test.ts keeps both in step),
 * with the source of each. Messages are the emulator's own words: Port's wording is not published for
 * most of them, and nothing in port-gitops reads a message to decide anything.
 *
 * Basis: `documented` (Port's OpenAPI description or docs give status and id), `observed` (Port's own
 * clients or live tests show it), `inferred` (follows from the description but is not stated),
 * `guess` (no source: the emulator's choice, the one that cannot let a bad request pass), `emulator`
 * (a fault it injects or a limit of its own, never Port's).
 */
export const DECISIONS = {
  'route-schema': { status: 422, error: 'bad_request', basis: 'inferred' },
  'entity-route-schema': { status: 400, error: 'bad_request', basis: 'documented' },
  'invalid-json': { status: 400, error: 'bad_request', basis: 'guess' },
  'body-too-large': { status: 413, error: 'bad_request', basis: 'documented' },
  unauthorized: { status: 401, error: 'unauthorized', basis: 'guess' },
  'not-found': { status: 404, error: 'not_found', basis: 'documented' },
  'unknown-relation': { status: 404, error: 'not_found', basis: 'observed' },
  'missing-related-entity': { status: 404, error: 'not_found', basis: 'observed' },
  'protected-related-entity': { status: 404, error: 'not_found', basis: 'guess' },
  'unknown-team': { status: 404, error: 'not_found', basis: 'guess' },
  'identifier-query': { status: 404, error: 'not_found', basis: 'guess' },
  'identifier-taken': { status: 409, error: 'identifier_taken', basis: 'documented' },
  'blueprint-taken': { status: 409, error: 'identifier_taken', basis: 'guess' },
  'format-change': { status: 422, error: 'forbidden_format_change', basis: 'observed' },
  'required-on-existing': { status: 422, error: 'blueprint_schema_mismatch', basis: 'guess' },
  'relation-reshape': { status: 422, error: 'bad_request', basis: 'guess' },
  'blueprint-has-entities': { status: 403, error: 'has_dependents', basis: 'observed' },
  'blueprint-targeted': { status: 403, error: 'has_dependents', basis: 'guess' },
  'system-blueprint': { status: 422, error: 'bad_request', basis: 'guess' },
  'all-entities-required-relation': { status: 422, error: 'bad_request', basis: 'guess' },
  'has-dependents': { status: 403, error: 'has_dependents', basis: 'documented' },
  'blueprint-schema': { status: 422, error: 'blueprint_schema_mismatch', basis: 'documented' },
  'unverified-rule': { status: 422, error: 'blueprint_schema_mismatch', basis: 'guess' },
  'computed-property': { status: 422, error: 'blueprint_schema_mismatch', basis: 'guess' },
  'relation-many': { status: 422, error: 'relation_many_violation', basis: 'documented' },
  'required-relation': { status: 422, error: 'required_relation', basis: 'documented' },
  'team-inherited': { status: 422, error: 'team_inheritance_enabled', basis: 'documented' },
  'relation-query': { status: 422, error: 'bad_request', basis: 'guess' },
  'rate-limited': { status: 429, error: 'too_many_requests', basis: 'guess' },
  unsupported: { status: 422, error: 'emulator_unsupported', basis: 'emulator' },
  'injected-fault': { status: 503, error: 'service_unavailable', basis: 'emulator' },
} as const satisfies Record<string, { status: number; error: string; basis: Basis }>;

export type Basis = 'documented' | 'observed' | 'inferred' | 'guess' | 'emulator';
export type Decision = keyof typeof DECISIONS;
