export {
  PortClient,
  /** @public */ type PortClientOptions,
  /** @public */ type PortCredentials,
} from './client.js';
export { InsecureBaseUrlError, PortApiError, PortAuthError, checkBaseUrl } from './errors.js';
export type {
  /** @public */ EntityWriteResult,
  /** @public */ PortEntity,
  /** @public */ RemoteEntity,
  /** @public */ SearchQuery,
  /** @public */ UpsertOptions,
} from './types.js';
