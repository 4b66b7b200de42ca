import { describe, expect, it } from 'vitest';
import {
  type BackstageConfig,
  DEFAULT_BACKSTAGE_KINDS,
  createBackstageTranslator,
  parseEntityRef,
  parseFieldPath,
  substitute,
  substitutionsOf,
} from './index.js';
import { substitutionTarget } from '../read/references.js';

const defaults: BackstageConfig = {
  files: ['**/catalog-info.yaml'],
  identifier: 'name',
  kinds: DEFAULT_BACKSTAGE_KINDS,
};
const translate = createBackstageTranslator(defaults);

describe('Backstage entity references', () => {
  it('reads [kind:][namespace/]name as Backstage does, and refuses empty parts', () => {
    expect(parseEntityRef('payments')).toEqual({ name: 'payments' });
    expect(parseEntityRef('group:payments')).toEqual({ kind: 'group', name: 'payments' });
    expect(parseEntityRef('group:ops/payments')).toEqual({ kind: 'group', namespace: 'ops', name: 'payments' });
    expect(parseEntityRef('ops/payments')).toEqual({ namespace: 'ops', name: 'payments' });
    // A colon after the slash belongs to the name.
    expect(parseEntityRef('ops/a:b')).toEqual({ namespace: 'ops', name: 'a:b' });
    for (const bad of ['', 'group:', ':payments', 'group:/payments', 'ops/'])
      expect(parseEntityRef(bad)).toBeUndefined();
  });
});

describe('field paths', () => {
  it('reads dotted keys, quoted keys and [] projections, and refuses anything else', () => {
    expect(parseFieldPath('spec.profile.email')).toEqual([{ key: 'spec' }, { key: 'profile' }, { key: 'email' }]);
    expect(parseFieldPath('metadata.links[].url')).toEqual([
      { key: 'metadata' },
      { key: 'links' },
      { each: true },
      { key: 'url' },
    ]);
    expect(parseFieldPath('metadata.annotations["backstage.io/techdocs-ref"]')).toEqual([
      { key: 'metadata' },
      { key: 'annotations' },
      { key: 'backstage.io/techdocs-ref' },
    ]);
    for (const bad of ['', '.spec', 'spec.', 'spec..type', 'spec[0]', 'spec["x"', 'spec type'])
      expect(parseFieldPath(bad)).toBeUndefined();
  });
});

describe('translating a document', () => {
  const component = {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'component',
    metadata: {
      name: 'checkout',
      namespace: 'shop',
      links: [{ url: 'https://a.example', title: 'A' }, { title: 'no url' }, { url: 'https://b.example' }],
    },
    spec: {
      type: 'service',
      lifecycle: 'production',
      owner: 'user:jdoe',
      dependsOn: ['component:cart', 'resource:db', 'cache'],
    },
  };

  it('matches the kind without regard to case, splits references by kind, and points back at each source', () => {
    const { entity, problems, sourceOf } = translate(component);
    expect(entity).toEqual({
      identifier: 'checkout',
      blueprint: 'component',
      title: 'checkout',
      properties: { links: ['https://a.example', 'https://b.example'], type: 'service', lifecycle: 'production' },
      // The owner is a user: the group relation is cleared rather than left as it was.
      relations: { owningGroup: null, owningUser: 'jdoe', dependsOnComponent: ['cart'], dependsOnResource: ['db'] },
    });
    expect(problems).toEqual([
      expect.objectContaining({ pointer: '/spec/dependsOn/2', severity: 'warning', rule: 'backstage-unmapped-ref' }),
    ]);
    expect(sourceOf('/identifier')).toBe('/metadata/name');
    expect(sourceOf('/title')).toBe('/metadata/name');
    expect(sourceOf('/properties/links/1')).toBe('/metadata/links/2/url');
    expect(sourceOf('/relations/dependsOnResource/0')).toBe('/spec/dependsOn/1');
    expect(sourceOf('/relations/owningUser')).toBe('/spec/owner');
    // Absent from the document: where it would be.
    expect(sourceOf('/properties/description')).toBe('/metadata/description');
  });

  it("qualifies identifiers by namespace when asked, a reference taking its entity's namespace by default", () => {
    const { entity } = createBackstageTranslator({ ...defaults, identifier: 'namespace/name' })({
      ...component,
      spec: { ...component.spec, owner: 'platform/sre', system: 'checkout' },
    });
    expect(entity?.identifier).toBe('shop/checkout');
    expect(entity?.relations).toMatchObject({
      owningGroup: 'platform/sre',
      owningUser: null,
      dependsOnComponent: ['shop/cart'],
    });
  });

  it('skips a kind mapped to null silently, warns about an unmapped kind, and refuses a document without a name', () => {
    const location = translate({ kind: 'Location', metadata: { name: 'x' } });
    expect(location.entity).toBeUndefined();
    expect(location.problems).toEqual([]);
    expect(translate({ kind: 'Widget', metadata: { name: 'x' } }).problems).toEqual([
      expect.objectContaining({ pointer: '/kind', severity: 'warning', rule: 'backstage-kind' }),
    ]);
    expect(translate({ kind: 'Group', metadata: {} }).problems).toEqual([
      expect.objectContaining({
        pointer: '/metadata',
        severity: 'error',
        message: 'a Backstage entity needs "metadata.name"',
      }),
    ]);
  });
});

describe('substitutions', () => {
  it('finds $text, $json and $yaml anywhere, and replaces them by pointer', () => {
    const document = {
      metadata: { description: { $text: './README.md' } },
      spec: { definition: { $yaml: 'api.yaml' }, list: [{ $json: '/x.json' }], other: { $text: 'a', extra: 1 } },
    };
    const found = substitutionsOf(document);
    expect(found).toEqual([
      { pointer: '/metadata/description', kind: '$text', location: './README.md' },
      { pointer: '/spec/definition', kind: '$yaml', location: 'api.yaml' },
      { pointer: '/spec/list/0', kind: '$json', location: '/x.json' },
    ]);
    const replaced = substitute(
      document,
      new Map<string, unknown>([
        ['/metadata/description', 'text'],
        ['/spec/list/0', { a: 1 }],
      ]),
    ) as typeof document;
    expect(replaced.metadata.description).toBe('text');
    expect(replaced.spec.list).toEqual([{ a: 1 }]);
    expect(replaced.spec.definition).toEqual({ $yaml: 'api.yaml' });
  });

  it("resolves locations against the file's folder (or the root with /), never a URL nor outside the repository", () => {
    expect(substitutionTarget('svc/a/catalog-info.yaml', 'README.md')).toBe('svc/a/README.md');
    expect(substitutionTarget('svc/a/catalog-info.yaml', './docs/api.yaml')).toBe('svc/a/docs/api.yaml');
    expect(substitutionTarget('svc/a/catalog-info.yaml', '../common/api.yaml')).toBe('svc/common/api.yaml');
    expect(substitutionTarget('svc/a/catalog-info.yaml', '/apis/api.yaml')).toBe('apis/api.yaml');
    expect(substitutionTarget('catalog-info.yaml', '../x')).toBeUndefined();
    expect(substitutionTarget('svc/catalog-info.yaml', 'https://example.com/api.yaml')).toBeUndefined();
  });
});
