import { existsSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Blueprint } from '@port-gitops/port-schema';
import type { EmulatorOptions } from './options.js';
import type { StoredEntity } from './types.js';

/** The blueprints to serve: given ones, then a folder's `*.json` (bare, or Port's `{ ok, blueprint }` answer). */
export function loadBlueprints(options: EmulatorOptions): Blueprint[] {
  const blueprints = [...(options.blueprints ?? [])];
  if (options.blueprintsDir) {
    for (const name of readdirSync(options.blueprintsDir)
      .filter((n) => n.endsWith('.json'))
      .sort()) {
      const parsed = JSON.parse(readFileSync(join(options.blueprintsDir, name), 'utf8')) as
        | Blueprint
        | { blueprint: Blueprint };
      blueprints.push(
        'blueprint' in parsed && typeof parsed.blueprint === 'object'
          ? (parsed.blueprint as Blueprint)
          : (parsed as Blueprint),
      );
    }
  }
  // Port stamps every blueprint; its answer requires these fields (apispec GET /v1/blueprints/{identifier}).
  const now = new Date().toISOString();
  return blueprints.map((blueprint) => ({
    createdAt: now,
    createdBy: 'emulator',
    updatedAt: now,
    updatedBy: 'emulator',
    ...blueprint,
  }));
}

/** What a data file keeps: every entity, and the blueprints created through the API. */
export interface SavedCatalog {
  entities: StoredEntity[];
  blueprints?: Blueprint[];
}

/** The catalogue saved by an earlier run with the same data file. */
export function readSavedCatalog(file: string): SavedCatalog {
  if (!existsSync(file)) return { entities: [] };
  const saved = JSON.parse(readFileSync(file, 'utf8')) as Partial<SavedCatalog>;
  return { entities: saved.entities ?? [], blueprints: saved.blueprints ?? [] };
}

/** Persists the catalogue at most every 50 ms, atomically (write then rename). */
export function debouncedWriter(file: string, snapshot: () => SavedCatalog) {
  let timer: NodeJS.Timeout | undefined;
  let dirty = false;
  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (!dirty) return;
    dirty = false;
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(snapshot()));
    renameSync(tmp, file);
  };
  return {
    schedule: () => {
      dirty = true;
      timer ??= setTimeout(flush, 50);
    },
    flush,
  };
}
