import { MAX_BODY_BYTES, MAX_BULK_ENTITIES } from '@port-gitops/port-schema';

const BULK_ENVELOPE_BYTES = Buffer.byteLength('{"entities":[]}');

/** A bulk request's body from entities already serialized. */
export function bulkBody(serialized: string[]): string {
  return `{"entities":[${serialized.join(',')}]}`;
}

export interface Batch {
  /** Positions in the caller's array. */
  indexes: number[];
  /**
   * The request body, joined from the serialized entities when asked (sizes were measured on exactly
   * these bytes): a sync of 50,000 entities does not hold every request's body at once.
   */
  readonly body: string;
}

/**
 * Packs serialized entities, in order, into bulk bodies of at most 20 entities and 1 MiB.
 * Entities too large to travel alone are returned apart: Port would answer 413 for them.
 */
export function packBatches(serialized: string[]): { batches: Batch[]; oversized: number[] } {
  const batches: Batch[] = [];
  const oversized: number[] = [];
  let indexes: number[] = [];
  let bytes = BULK_ENVELOPE_BYTES;
  const flush = () => {
    if (indexes.length === 0) return;
    const members = indexes;
    batches.push({
      indexes: members,
      get body() {
        return bulkBody(members.map((index) => serialized[index]!));
      },
    });
    indexes = [];
    bytes = BULK_ENVELOPE_BYTES;
  };
  serialized.forEach((json, index) => {
    const size = Buffer.byteLength(json);
    if (size + BULK_ENVELOPE_BYTES > MAX_BODY_BYTES) {
      oversized.push(index);
      return;
    }
    const separator = indexes.length > 0 ? 1 : 0;
    if (indexes.length === MAX_BULK_ENTITIES || bytes + separator + size > MAX_BODY_BYTES) flush();
    bytes += (indexes.length > 0 ? 1 : 0) + size;
    indexes.push(index);
  });
  flush();
  return { batches, oversized };
}
