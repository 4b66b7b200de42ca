import { Agent as HttpAgent, type IncomingMessage, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { Readable, Transform } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';

/** An answer read whole: its status, its headers (by lower-case name) and its body as text. */
export interface Answer {
  status: number;
  headers: { get(name: string): string | null };
  text: string;
}

export interface Exchange {
  method: string;
  headers: Record<string, string>;
  body: string | undefined;
  /** Aborts the request, or the reading of its answer; the promise rejects with the signal's reason. */
  signal: AbortSignal;
}

/**
 * HTTP for the client, on node:http with connections kept alive (an idle one does not keep the process
 * alive: the agent lets go of it). Not `fetch`: Node loads its fetch (undici) on the first call, and each
 * request through it costs more CPU, which a sync of thousands of entities at eight requests in flight
 * feels (docs/benchmarks.md, the push phase). As with
 * `fetch(…, { redirect: 'manual' })`, a redirect is never followed: the caller sees the 3xx. The answer
 * is read whole before it resolves, so `signal` (the caller's timeout) covers its body too.
 */
export class Transport {
  private readonly http: HttpAgent;
  private readonly https: HttpsAgent;

  constructor(env: NodeJS.ProcessEnv = process.env, execArgv: string[] = process.execArgv) {
    // Node's own proxy support (24.5 and later): with NODE_USE_ENV_PROXY=1 or --use-env-proxy, Node sends
    // `fetch` and its global agents through HTTPS_PROXY / HTTP_PROXY, except for NO_PROXY; an agent of
    // one's own goes through them only when it is handed the environment. Older Node ignores the option.
    const useEnvProxy = env.NODE_USE_ENV_PROXY === '1' || execArgv.includes('--use-env-proxy');
    const options = { keepAlive: true, ...(useEnvProxy ? { proxyEnv: env } : {}) };
    this.http = new HttpAgent(options);
    this.https = new HttpsAgent(options);
  }

  exchange(url: URL, exchange: Exchange): Promise<Answer> {
    const { signal } = exchange;
    if (signal.aborted) return Promise.reject(signal.reason);
    const secure = url.protocol === 'https:';
    const headers: Record<string, string | number> = { ...exchange.headers };
    if (exchange.body !== undefined) headers['content-length'] = Buffer.byteLength(exchange.body);
    return new Promise<Answer>((resolve, reject) => {
      let settled = false;
      const fail = (error: unknown) => {
        if (settled) return;
        settled = true;
        signal.removeEventListener('abort', onAbort);
        request.destroy();
        reject(error);
      };
      const onAbort = () => fail(signal.reason);
      const request = (secure ? httpsRequest : httpRequest)(
        url,
        { method: exchange.method, headers, agent: secure ? this.https : this.http },
        (response) => {
          readAll(response).then((text) => {
            if (settled) return;
            settled = true;
            signal.removeEventListener('abort', onAbort);
            resolve({ status: response.statusCode ?? 0, headers: headersOf(response), text });
          }, fail);
        },
      );
      request.on('error', fail);
      signal.addEventListener('abort', onAbort, { once: true });
      request.end(exchange.body);
    });
  }
}

/**
 * The body as text, decoded as the answer's `content-encoding` says (a proxy may compress unasked; nothing
 * here asks for it): gzip, deflate and br, one over the other in the order they were applied. An encoding
 * it cannot read fails the request, named, rather than handing on bytes that are not the answer.
 */
function readAll(response: IncomingMessage): Promise<string> {
  const encodings = String(response.headers['content-encoding'] ?? '')
    .split(',')
    .map((encoding) => encoding.trim().toLowerCase())
    .filter((encoding) => encoding !== '' && encoding !== 'identity');
  return new Promise<string>((resolve, reject) => {
    const decoders: Transform[] = [];
    for (const encoding of encodings.reverse()) {
      const decoder = Object.hasOwn(DECODERS, encoding) ? DECODERS[encoding]!() : undefined;
      if (!decoder) {
        response.resume();
        reject(new Error(`the answer is encoded as "${encoding}", which port-gitops cannot read`));
        return;
      }
      decoders.push(decoder);
    }
    let source: Readable = response;
    for (const decoder of decoders) {
      source.on('error', reject);
      source = source.pipe(decoder);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    source.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_ANSWER_BYTES) chunks.push(chunk);
      else {
        // Nothing more is read or decoded: the connection and every decoder stop here.
        chunks.length = 0;
        source.destroy();
        response.destroy();
        reject(new Error(`the answer holds more than ${MAX_ANSWER_BYTES / 2 ** 20} MiB, far more than Port sends`));
      }
    });
    source.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    source.on('error', reject);
    // A connection that closes before the body's end: retried like a reset one.
    response.on('close', () => {
      if (!response.complete) reject(Object.assign(new Error('the answer broke off'), { code: 'ECONNRESET' }));
    });
  });
}

/**
 * The most an answer may hold once decoded. Port's answers are pages of at most a few megabytes; an
 * answer past this is not one (a proxy's stream, or a small compressed body that expands without end),
 * and reading it whole would exhaust the runner's memory.
 */
const MAX_ANSWER_BYTES = 64 * 2 ** 20;

const DECODERS: Record<string, () => Transform> = {
  gzip: createGunzip,
  'x-gzip': createGunzip,
  deflate: createInflate,
  br: createBrotliDecompress,
};

function headersOf(response: IncomingMessage): Answer['headers'] {
  return {
    get(name) {
      const value = response.headers[name.toLowerCase()];
      if (value === undefined) return null;
      return Array.isArray(value) ? value.join(', ') : value;
    },
  };
}
