import type { LiveEntity } from '../port.js';

/** A field whose value in Port differs from the file's. */
export interface FieldChange {
  /** `title`, `team`, `properties.tier`, `relations.domain`. */
  path: string;
  from: unknown;
  to: unknown;
}

export type LiveChange = 'create' | 'update' | 'unchanged';

/**
 * What writing `body` would change in Port, under the merge semantics sync uses (Port GitOps'
 * default): only the fields the file sets are compared; a property or relation the file leaves out
 * keeps its value in Port; `null` clears one.
 */
export function compareWithLive(
  body: Record<string, unknown>,
  live: LiveEntity | undefined,
): { change: LiveChange; diff: FieldChange[] } {
  if (!live) return { change: 'create', diff: [] };
  const diff: FieldChange[] = [];
  for (const field of ['title', 'icon'] as const) {
    if (field in body && !same(body[field], live[field]))
      diff.push({ path: field, from: live[field] ?? null, to: body[field] });
  }
  if ('team' in body) {
    const wanted = normaliseTeam(body.team);
    const current = normaliseTeam(live.team);
    if (!same(wanted, current)) diff.push({ path: 'team', from: current, to: wanted });
  }
  for (const group of ['properties', 'relations'] as const) {
    const wanted = body[group];
    if (typeof wanted !== 'object' || wanted === null) continue;
    const current = live[group] ?? {};
    for (const [key, value] of Object.entries(wanted as Record<string, unknown>)) {
      const now = current[key] ?? null;
      if (!same(value ?? null, now)) diff.push({ path: `${group}.${key}`, from: now, to: value });
    }
  }
  return { change: diff.length === 0 ? 'unchanged' : 'update', diff };
}

function normaliseTeam(team: unknown): unknown {
  if (team === undefined || team === null) return [];
  return Array.isArray(team) ? [...team].sort() : [team];
}

/** Deep equality of JSON values; key order does not matter. */
function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a))
    return a.length === (b as unknown[]).length && a.every((item, i) => same(item, (b as unknown[])[i]));
  const keysA = Object.keys(a);
  const keysB = Object.keys(b);
  return (
    keysA.length === keysB.length &&
    keysA.every((key) => same((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]))
  );
}
