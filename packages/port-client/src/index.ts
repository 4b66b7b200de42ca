export { PortClient, type PortClientOptions, type PortCredentials, type RequestCounters } from './client.js';
export { PortApiError, PortAuthError, InsecureBaseUrlError } from './errors.js';
export { MAX_BULK_ENTITIES, MAX_BODY_BYTES, packBatches } from './batch.js';
export { backoffDelay, serverWaitMs } from './retry.js';
export type { EntityWriteResult, PortEntity, RemoteEntity, SearchQuery, UpsertOptions } from './types.js';
