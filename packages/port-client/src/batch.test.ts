import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES } from '@port-gitops/port-schema';
import { packBatches } from './batch.js';

describe('packBatches', () => {
  it('puts at most 20 entities in one body, in input order', () => {
    const serialized = Array.from({ length: 45 }, (_, i) => JSON.stringify({ identifier: `e${i}` }));
    const { batches, oversized } = packBatches(serialized);
    expect(batches.map((b) => b.indexes.length)).toEqual([20, 20, 5]);
    expect(batches.flatMap((b) => b.indexes)).toEqual([...Array(45).keys()]);
    expect(oversized).toEqual([]);
    expect(JSON.parse(batches[2]!.body).entities.map((e: { identifier: string }) => e.identifier)).toEqual([
      'e40',
      'e41',
      'e42',
      'e43',
      'e44',
    ]);
  });

  it('keeps every body within 1 MiB, measured in bytes, not characters', () => {
    // 'é' is two bytes in UTF-8: five of these entities hold about 1.5 MiB.
    const big = JSON.stringify({ identifier: 'x', properties: { text: 'é'.repeat(150_000) } });
    const { batches } = packBatches([big, big, big, big, big]);
    for (const batch of batches) expect(Buffer.byteLength(batch.body)).toBeLessThanOrEqual(MAX_BODY_BYTES);
    expect(batches.map((b) => b.indexes)).toEqual([
      [0, 1, 2],
      [3, 4],
    ]);
  });

  it('sets apart an entity that cannot fit in any request', () => {
    const huge = JSON.stringify({ identifier: 'huge', properties: { text: 'a'.repeat(MAX_BODY_BYTES) } });
    const { batches, oversized } = packBatches([
      JSON.stringify({ identifier: 'a' }),
      huge,
      JSON.stringify({ identifier: 'b' }),
    ]);
    expect(oversized).toEqual([1]);
    expect(batches.flatMap((b) => b.indexes)).toEqual([0, 2]);
  });

  it('for any sizes: every entity once, in order, in bodies of at most 20 entities and 1 MiB, or set apart', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 2, max: 600_000 }), { maxLength: 60 }), (sizes) => {
        const serialized = sizes.map((size, i) => JSON.stringify({ identifier: `e${i}`, p: 'x'.repeat(size) }));
        const { batches, oversized } = packBatches(serialized);
        const placed = [...batches.flatMap((b) => b.indexes), ...oversized].sort((a, b) => a - b);
        expect(placed).toEqual([...serialized.keys()]);
        for (const batch of batches) {
          expect(batch.indexes.length).toBeLessThanOrEqual(20);
          expect(Buffer.byteLength(batch.body)).toBeLessThanOrEqual(MAX_BODY_BYTES);
          expect(JSON.parse(batch.body).entities).toHaveLength(batch.indexes.length);
        }
        for (const index of oversized)
          expect(Buffer.byteLength(serialized[index]!)).toBeGreaterThan(MAX_BODY_BYTES - 20);
      }),
      { numRuns: 40 },
    );
  });
});
