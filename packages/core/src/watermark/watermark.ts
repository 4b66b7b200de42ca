import { createHash } from 'node:crypto';
import { type Blueprint, isEntityIdentifier } from '@port-gitops/port-schema';
import type { PortApi } from '../port.js';

/**
 * Where port-gitops records, in Port itself, the last commit it synced for a repository's branch: an
 * entity of this small blueprint per repository and branch, so that it outlives any CI runner
 * (docs/ci.md, "Runs that fail, overlap or run late"). Created by the first sync that writes one.
 */
function watermarkBlueprint(identifier: string): Blueprint {
  return {
    identifier,
    title: 'port-gitops sync',
    icon: 'Git',
    description: 'The last commit port-gitops synced into Port, per repository and branch',
    schema: {
      properties: {
        repository: { type: 'string', title: 'Repository' },
        branch: { type: 'string', title: 'Branch' },
        commit: { type: 'string', title: 'Commit' },
        syncedAt: { type: 'string', format: 'date-time', title: 'Synced at' },
        run: { type: 'string', title: 'Run' },
      },
      required: ['repository', 'branch', 'commit'],
    },
    relations: {},
  };
}

/** `github.com/acme/catalog@main`; a branch name an identifier cannot hold is replaced by its hash. */
export function watermarkIdentifier(repository: string, branch: string): string {
  const plain = `${repository}@${branch}`;
  if (isEntityIdentifier(plain)) return plain;
  const safeRepository = repository.replace(/[^\p{L}0-9@_.+:\\/=-]/gu, '-').slice(0, 900);
  return `${safeRepository}@${createHash('sha256').update(branch).digest('hex').slice(0, 16)}`;
}

/** The recorded commit, and when and by which run it was synced. */
export interface Watermark {
  commit: string;
  syncedAt?: string;
  run?: string;
}

export async function readWatermark(
  port: Pick<PortApi, 'getEntity'>,
  blueprint: string,
  identifier: string,
): Promise<Watermark | undefined> {
  // A missing blueprint reads as no watermark: the first sync that writes one creates it.
  const entity = await port.getEntity(blueprint, identifier);
  const properties = (entity?.properties ?? {}) as Record<string, unknown>;
  if (typeof properties.commit !== 'string') return undefined;
  return {
    commit: properties.commit,
    ...(typeof properties.syncedAt === 'string' ? { syncedAt: properties.syncedAt } : {}),
    ...(typeof properties.run === 'string' ? { run: properties.run } : {}),
  };
}

/**
 * Records the commit. The blueprint is created the first time, when Port answers that it has none: a
 * sync pays one request for the watermark, not two.
 */
export async function writeWatermark(
  port: Pick<PortApi, 'ensureBlueprint' | 'upsertEntities'>,
  blueprint: string,
  identifier: string,
  mark: { repository: string; branch: string; commit: string; run: string | undefined },
): Promise<void> {
  const entity = {
    identifier,
    title: `${mark.repository} ${mark.branch}`,
    properties: {
      repository: mark.repository,
      branch: mark.branch,
      commit: mark.commit,
      syncedAt: new Date().toISOString(),
      ...(mark.run ? { run: mark.run } : {}),
    },
  };
  const write = async () =>
    (await port.upsertEntities(blueprint, [entity], { createMissingRelatedEntities: false }))[0];
  let outcome = await write();
  if (outcome && !outcome.ok && outcome.status === 404) {
    await port.ensureBlueprint(watermarkBlueprint(blueprint));
    outcome = await write();
  }
  if (outcome && !outcome.ok) throw new Error(`Port answered ${outcome.status} ${outcome.error}: ${outcome.message}`);
}
