import type { Exchange } from '@port-gitops/emulator';
import { PortClient } from '@port-gitops/port-client';
import { emulator } from './helpers.js';

/** Every exchange of a client session that touches each route the client offers. */
export async function recordClientSession(): Promise<Exchange[]> {
  const port = await emulator({ record: true });
  const client = new PortClient({
    baseUrl: port.url,
    credentials: { clientId: 'contract', clientSecret: 'contract-secret' },
    userAgent: 'port-gitops/0.0.0 (repo/contract)',
  });
  await client.authenticate();
  await client.getBlueprint('service');
  await client.listBlueprints();
  // A blueprint port-gitops creates (its watermark's): looked up (404), created (201), then found.
  const own = {
    identifier: 'contract_sync',
    title: 'Contract sync',
    schema: { properties: { commit: { type: 'string' } } },
  };
  await client.ensureBlueprint(own);
  await client.ensureBlueprint(own);
  // A managed blueprint: created, extended (200), then retyped in place, which Port refuses (422).
  const managed = { identifier: 'contract_managed', title: 'Managed', schema: { properties: {} } };
  await client.createBlueprint(managed);
  await client.replaceBlueprint('contract_managed', {
    ...managed,
    schema: { properties: { tier: { type: 'string' } } },
  });
  await client
    .replaceBlueprint('contract_managed', { ...managed, schema: { properties: { tier: { type: 'number' } } } })
    .catch(() => undefined);
  await client.upsertEntities('domain', [
    { identifier: 'payments', title: 'Payments', properties: { description: 'money' } },
  ]);
  const services = Array.from({ length: 23 }, (_, i) => ({
    identifier: `svc-${String(i).padStart(2, '0')}`,
    title: `Service ${i}`,
    team: i % 2 ? 'payments' : ['payments', 'platform'],
    properties: { language: 'go', lifecycle: 'production', tier: 1 + (i % 3), tags: ['a'] },
    relations: { domain: 'payments', dependsOn: i > 0 ? ['svc-00'] : [] },
  }));
  services[5]!.properties.tier = 9; // rejected by the blueprint: a 207
  await client.upsertEntities('service', services);
  await client.upsertEntity('service', {
    identifier: 'single',
    properties: { language: 'go', lifecycle: 'experimental' },
  });
  await client.getEntity('service', 'svc-01');
  await client.getEntity('service', 'does-not-exist');
  await client.searchBlueprintEntities(
    'service',
    { combinator: 'and', rules: [{ property: 'language', operator: '=', value: 'go' }] },
    { include: ['identifier', 'properties.language'], pageSize: 10 },
  );
  await client.countEntities('service');
  // A property extended (PATCH), its values copied by a migration (polled until it ends), then the
  // blueprint's entities and the blueprint deleted at once (another migration).
  await client.patchBlueprint('contract_managed', { schema: { properties: { note: { type: 'string' } } } });
  await client.upsertEntities('contract_managed', [{ identifier: 'm-1', properties: { tier: 'gold' } }]);
  await client.migrate({
    sourceBlueprint: 'contract_managed',
    mapping: {
      blueprint: 'contract_managed',
      filter: '.properties.tier != null',
      entity: { identifier: '.identifier', properties: { note: '.properties.tier' } },
    },
  });
  await client.deleteAllEntities('contract_managed', { deleteBlueprint: false });
  // A blueprint deleted (200), and one Port refuses to delete while it holds entities (403).
  await client.deleteBlueprint('contract_managed');
  await client.deleteBlueprint('service').catch(() => undefined);
  await client.deleteEntity('service', 'single');
  await client.deleteEntity('service', 'single').catch(() => undefined); // 404
  return port.exchanges;
}
