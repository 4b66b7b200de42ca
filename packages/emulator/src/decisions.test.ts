import type { Blueprint } from '@port-gitops/port-schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DECISIONS, type Decision } from './decisions.js';
import type { EmulatorOptions } from './options.js';
import { type RunningEmulator, startEmulator } from './server.js';

/**
 * One request per decision the emulator takes for Port (decisions.ts, docs/port-fidelity.md): each answers
 * with the status and error id the table gives it, and every decision has a case here.
 */
const blueprints: Blueprint[] = [
  { identifier: 'group', schema: { properties: {} } },
  {
    identifier: 'service',
    schema: {
      properties: {
        language: { type: 'string' },
        tier: { type: 'number', enum: [1, 2, 3] },
        docs: { type: 'string', format: 'url' },
      },
      required: ['language'],
    },
    relations: {
      owner: { target: 'group', required: true, many: false },
      deps: { target: 'service', required: false, many: true },
      reviewer: { target: '_user', required: false, many: false },
    },
    calculationProperties: { slug: { calculation: '.identifier', type: 'string' } },
  },
  {
    identifier: 'deployment',
    ownership: { type: 'Inherited', path: 'service' },
    schema: { properties: {} },
    relations: { service: { target: 'service', required: false, many: false } },
  },
];

interface Step {
  method: string;
  path: string;
  body?: unknown;
  /** Sent as it is, not as JSON. */
  raw?: string;
  token?: false;
}
interface Case {
  decision: Decision;
  what: string;
  options?: EmulatorOptions;
  steps: Step[];
}

const service = (identifier: string, extra: Record<string, unknown> = {}) => ({
  identifier,
  properties: { language: 'go' },
  relations: { owner: 'core' },
  ...extra,
});

const CASES: Case[] = [
  {
    decision: 'route-schema',
    what: 'a bulk request with one bad identifier is refused whole',
    steps: [
      {
        method: 'POST',
        path: '/v1/blueprints/service/entities/bulk?upsert=true',
        body: { entities: [service('a'), service('bad id'), service('c')] },
      },
    ],
  },
  {
    decision: 'route-schema',
    what: 'a search with a key the route does not take',
    steps: [{ method: 'POST', path: '/v1/blueprints/service/entities/search', body: { limit: 10, sort: 'x' } }],
  },
  {
    decision: 'route-schema',
    what: 'a bulk request of 21 entities',
    steps: [
      {
        method: 'POST',
        path: '/v1/blueprints/group/entities/bulk?upsert=true',
        body: { entities: Array.from({ length: 21 }, (_, i) => ({ identifier: `g${i}` })) },
      },
    ],
  },
  {
    decision: 'entity-route-schema',
    what: 'one entity whose relation value is not an identifier',
    steps: [
      {
        method: 'POST',
        path: '/v1/blueprints/service/entities?upsert=true',
        body: service('s', { relations: { owner: 'core team' } }),
      },
    ],
  },
  {
    decision: 'invalid-json',
    what: 'a body that is not JSON',
    steps: [{ method: 'POST', path: '/v1/blueprints/group/entities', raw: '{' }],
  },
  {
    decision: 'body-too-large',
    what: 'a body over 1 MiB',
    steps: [
      {
        method: 'POST',
        path: '/v1/blueprints/group/entities',
        body: { identifier: 'big', title: 'x'.repeat(1 << 20) },
      },
    ],
  },
  { decision: 'unauthorized', what: 'no token', steps: [{ method: 'GET', path: '/v1/blueprints', token: false }] },
  {
    decision: 'not-found',
    what: 'an entity that is not there',
    steps: [{ method: 'GET', path: '/v1/blueprints/group/entities/none' }],
  },
  {
    decision: 'unknown-relation',
    what: 'a relation key the blueprint does not have',
    steps: [
      {
        method: 'POST',
        path: '/v1/blueprints/service/entities?upsert=true',
        body: service('s', { relations: { owner: 'core', nope: 'x' } }),
      },
    ],
  },
  {
    decision: 'missing-related-entity',
    what: 'a relation to an entity that does not exist, create_missing_related_entities=false',
    steps: [
      {
        method: 'POST',
        path: '/v1/blueprints/service/entities?upsert=true',
        body: service('s', { relations: { owner: 'ghost' } }),
      },
    ],
  },
  {
    decision: 'protected-related-entity',
    what: 'a relation to a user that does not exist, even with create_missing_related_entities=true',
    steps: [
      {
        method: 'POST',
        path: '/v1/blueprints/service/entities?upsert=true&create_missing_related_entities=true',
        body: service('s', { relations: { owner: 'core', reviewer: 'nobody@example.com' } }),
      },
    ],
  },
  {
    decision: 'unknown-team',
    what: 'a team Port does not have',
    steps: [
      {
        method: 'POST',
        path: '/v1/blueprints/service/entities?upsert=true',
        body: service('s', { team: ['platform', 'nobody'] }),
      },
    ],
  },
  {
    decision: 'identifier-query',
    what: 'an identifier query that matches nothing',
    steps: [
      {
        method: 'POST',
        path: '/v1/blueprints/group/entities?upsert=true',
        body: { identifier: { combinator: 'and', rules: [{ property: '$title', operator: '=', value: 'none' }] } },
      },
    ],
  },
  {
    decision: 'identifier-taken',
    what: 'a plain create of an existing identifier',
    steps: [{ method: 'POST', path: '/v1/blueprints/group/entities', body: { identifier: 'core' } }],
  },
  {
    decision: 'blueprint-taken',
    what: 'creating a blueprint whose identifier exists',
    steps: [
      {
        method: 'POST',
        path: '/v1/blueprints',
        body: { identifier: 'group', title: 'Group', schema: { properties: {} } },
      },
    ],
  },
  {
    decision: 'format-change',
    what: "a blueprint replaced with a property's format added in place",
    steps: [
      {
        method: 'PUT',
        path: '/v1/blueprints/group',
        body: { title: 'Group', schema: { properties: {} } },
      },
      {
        method: 'PUT',
        path: '/v1/blueprints/service',
        body: { title: 'Service', schema: { properties: { language: { type: 'string', format: 'url' } } } },
      },
    ],
  },
  {
    decision: 'required-on-existing',
    what: 'a property made required while entities lack it, with requiredOnExisting: refuse',
    options: { blueprintChanges: { requiredOnExisting: 'refuse' } },
    steps: [
      {
        method: 'PUT',
        path: '/v1/blueprints/group',
        body: { title: 'Group', schema: { properties: { lead: { type: 'string' } }, required: ['lead'] } },
      },
    ],
  },
  {
    decision: 'relation-reshape',
    what: "a relation's many changed (the default: refused)",
    steps: [
      {
        method: 'PUT',
        path: '/v1/blueprints/deployment',
        body: {
          title: 'Deployment',
          ownership: { type: 'Inherited', path: 'service' },
          schema: { properties: {} },
          relations: { service: { target: 'service', required: false, many: true } },
        },
      },
    ],
  },
  {
    decision: 'blueprint-has-entities',
    what: 'deleting a blueprint Port holds entities of',
    steps: [{ method: 'DELETE', path: '/v1/blueprints/group' }],
  },
  {
    decision: 'blueprint-targeted',
    what: "deleting a blueprint another blueprint's relation targets",
    steps: [{ method: 'DELETE', path: '/v1/blueprints/service' }],
  },
  {
    decision: 'system-blueprint',
    what: "replacing Port's system blueprint _team (it can only be extended)",
    steps: [{ method: 'PUT', path: '/v1/blueprints/_team', body: { title: 'Team', schema: { properties: {} } } }],
  },
  {
    decision: 'all-entities-required-relation',
    what: "deleting all of a blueprint's entities at once when it has a required relation",
    steps: [{ method: 'DELETE', path: '/v1/blueprints/service/all-entities' }],
  },
  {
    decision: 'has-dependents',
    what: 'deleting the target of a required relation',
    steps: [
      { method: 'POST', path: '/v1/blueprints/service/entities?upsert=true', body: service('s') },
      { method: 'DELETE', path: '/v1/blueprints/group/entities/core?delete_dependents=false' },
    ],
  },
  {
    decision: 'blueprint-schema',
    what: 'a value outside the enum',
    steps: [
      {
        method: 'POST',
        path: '/v1/blueprints/service/entities?upsert=true',
        body: service('s', { properties: { language: 'go', tier: 7 } }),
      },
    ],
  },
  {
    decision: 'unverified-rule',
    what: 'a relative URL (how Port checks url is not published)',
    steps: [
      {
        method: 'POST',
        path: '/v1/blueprints/service/entities?upsert=true',
        body: service('s', { properties: { language: 'go', docs: '/docs' } }),
      },
    ],
  },
  {
    decision: 'unverified-rule',
    what: 'a property the blueprint does not define',
    steps: [
      {
        method: 'POST',
        path: '/v1/blueprints/service/entities?upsert=true',
        body: service('s', { properties: { language: 'go', colour: 'red' } }),
      },
    ],
  },
  {
    decision: 'computed-property',
    what: 'a calculation property written',
    steps: [
      {
        method: 'POST',
        path: '/v1/blueprints/service/entities?upsert=true',
        body: service('s', { properties: { language: 'go', slug: 'x' } }),
      },
    ],
  },
  {
    decision: 'relation-many',
    what: 'two identifiers for a single relation',
    steps: [
      {
        method: 'POST',
        path: '/v1/blueprints/service/entities?upsert=true',
        body: service('s', { relations: { owner: ['core', 'core'] } }),
      },
    ],
  },
  {
    decision: 'required-relation',
    what: 'a required relation left out',
    steps: [
      { method: 'POST', path: '/v1/blueprints/service/entities?upsert=true', body: service('s', { relations: {} }) },
    ],
  },
  {
    decision: 'team-inherited',
    what: 'a team on a blueprint whose entities inherit theirs',
    steps: [
      {
        method: 'POST',
        path: '/v1/blueprints/deployment/entities?upsert=true',
        body: { identifier: 'd', team: 'platform' },
      },
    ],
  },
  {
    decision: 'relation-query',
    what: 'a query for a single relation that matches nothing',
    steps: [
      {
        method: 'POST',
        path: '/v1/blueprints/service/entities?upsert=true',
        body: service('s', {
          relations: { owner: { combinator: 'and', rules: [{ property: '$title', operator: '=', value: 'none' }] } },
        }),
      },
    ],
  },
  {
    decision: 'rate-limited',
    what: 'one request past the window',
    options: { rateLimit: { requests: 1, windowSeconds: 60 } },
    steps: [
      { method: 'GET', path: '/v1/blueprints' },
      { method: 'GET', path: '/v1/blueprints' },
    ],
  },
  {
    decision: 'unsupported',
    what: 'a search operator the emulator does not implement',
    steps: [
      {
        method: 'POST',
        path: '/v1/blueprints/service/entities/search',
        body: {
          query: { combinator: 'and', rules: [{ operator: 'relatedTo', blueprint: 'group', identifier: 'core' }] },
        },
      },
    ],
  },
  {
    decision: 'injected-fault',
    what: 'a 5xx the emulator was asked to inject',
    options: { errorRate: 1 },
    steps: [{ method: 'GET', path: '/v1/blueprints' }],
  },
];

const running: RunningEmulator[] = [];
afterAll(async () => {
  while (running.length) await running.pop()!.close();
});

async function session(options: EmulatorOptions = {}) {
  const emulator = await startEmulator({ port: 0, blueprints, teams: ['platform'], ...options });
  running.push(emulator);
  emulator.store.write(
    'group',
    { identifier: 'core' },
    { upsert: true, merge: false, validationOnly: false, createMissingRelated: false, actor: 'test' },
  );
  const { accessToken } = (await (
    await fetch(`${emulator.url}/v1/auth/access_token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"clientId":"me","clientSecret":"pw"}',
    })
  ).json()) as { accessToken: string };
  return async (step: Step) => {
    const response = await fetch(`${emulator.url}${step.path}`, {
      method: step.method,
      headers: {
        'content-type': 'application/json',
        ...(step.token === false ? {} : { authorization: `Bearer ${accessToken}` }),
      },
      body: step.raw ?? (step.body === undefined ? undefined : JSON.stringify(step.body)),
    });
    return {
      status: response.status,
      body: (await response.json()) as { ok: boolean; error: string; message: string },
      emulator,
    };
  };
}

describe("the emulator's decisions for Port (decisions.ts)", () => {
  let plain: Awaited<ReturnType<typeof session>>;
  beforeAll(async () => {
    plain = await session();
  });

  it.each(CASES.map((c) => [c.decision, c.what, c] as const))('%s: %s', async (decision, _what, c) => {
    const send = c.options ? await session(c.options) : plain;
    let answer: Awaited<ReturnType<typeof send>> | undefined;
    for (const step of c.steps) answer = await send(step);
    const { status, error } = DECISIONS[decision];
    expect({ status: answer!.status, error: answer!.body.error }).toEqual({ status, error });
    expect(answer!.body.ok).toBe(false);
    expect(answer!.body.message.length).toBeGreaterThan(0);
  });

  it('has a case for every decision', () => {
    expect(new Set(CASES.map((c) => c.decision))).toEqual(new Set(Object.keys(DECISIONS)));
  });

  it('writes nothing of a bulk request refused whole, and says which entity the route refused', async () => {
    const send = await session();
    const answer = await send(CASES[0]!.steps[0]!);
    expect(answer.body.message).toContain('entities.1.identifier');
    expect(answer.emulator.store.entities().map((e) => e.identifier)).toEqual(['core']);
  });

  it('says when a refusal is its own judgement of a rule Port does not document', async () => {
    const answer = await plain(CASES.find((c) => c.decision === 'unverified-rule')!.steps[0]!);
    expect(answer.body.message).toContain("the emulator's own judgement");
  });
});
