export {
  PortClient,
  /** @public */ type PortClientOptions,
  /** @public */ type PortCredentials,
} from './client.js';
export {
  /** @public */ InsecureBaseUrlError,
  /** @public */ PortApiError,
  /** @public */ PortAuthError,
  /** @public */ checkBaseUrl,
} from './errors.js';
export type {
  /** @public */ EntityWriteResult,
  /** @public */ PortEntity,
  /** @public */ RemoteEntity,
  /** @public */ SearchQuery,
  /** @public */ UpsertOptions,
} from './types.js';
