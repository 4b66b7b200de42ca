import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { Transport } from './transport.js';

/** Node sends an agent's requests through HTTP_PROXY itself from 24.5 on; Node 20 has no such support. */
const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
const nodeProxies = major > 24 || (major === 24 && minor >= 5);

async function listen(handler: (req: IncomingMessage, res: ServerResponse) => void) {
  const server = createServer(handler);
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', () => done()));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe('Transport', () => {
  it.skipIf(!nodeProxies)(
    'goes through HTTP_PROXY when Node is told to use the environment proxy, as fetch did',
    async () => {
      const port = await listen((_req, res) => res.end('{"from":"port"}'));
      const seen: string[] = [];
      const proxy = await listen((req, res) => {
        seen.push(req.url ?? '');
        res.end('{"from":"proxy"}');
      });
      try {
        const signal = new AbortController().signal;
        const exchange = { method: 'GET', headers: {}, body: undefined, signal };
        const direct = await new Transport({ HTTP_PROXY: proxy.url }, []).exchange(
          new URL(`${port.url}/v1/x`),
          exchange,
        );
        expect(direct.text).toBe('{"from":"port"}');
        const proxied = await new Transport({ NODE_USE_ENV_PROXY: '1', HTTP_PROXY: proxy.url }, []).exchange(
          new URL(`${port.url}/v1/x`),
          exchange,
        );
        expect(proxied.text).toBe('{"from":"proxy"}');
        expect(seen).toEqual([`${port.url}/v1/x`]);
      } finally {
        port.server.close();
        proxy.server.close();
        port.server.closeAllConnections();
        proxy.server.closeAllConnections();
      }
    },
  );
});
