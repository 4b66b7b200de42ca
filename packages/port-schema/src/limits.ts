/** Port's request limits, as Port documents them. */

/** Every request body is at most 1 MiB. */
export const MAX_BODY_BYTES = 1024 * 1024;
/** The bulk upsert route takes 1 to 20 entities per request. */
export const MAX_BULK_ENTITIES = 20;
