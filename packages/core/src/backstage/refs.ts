/** An entity reference, `[kind:][namespace/]name`. */
export interface EntityRef {
  kind?: string;
  namespace?: string;
  name: string;
}

/** Parses a reference as Backstage does; undefined when a part is empty. */
export function parseEntityRef(ref: string): EntityRef | undefined {
  let colon = ref.indexOf(':');
  const slash = ref.indexOf('/');
  // A colon after the namespace separator belongs to the name.
  if (slash !== -1 && slash < colon) colon = -1;
  const kind = colon === -1 ? undefined : ref.slice(0, colon);
  const namespace = slash === -1 ? undefined : ref.slice(colon + 1, slash);
  const name = ref.slice(Math.max(colon + 1, slash + 1));
  if (kind === '' || namespace === '' || name === '') return undefined;
  return { ...(kind !== undefined ? { kind } : {}), ...(namespace !== undefined ? { namespace } : {}), name };
}
