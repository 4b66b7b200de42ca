/**
 * A stand-in for the routes of GitHub's and GitLab's REST APIs that `plan --comment` uses, as a real HTTP
 * server on loopback: pull request comments (GitHub) and merge request notes (GitLab), in memory, paged
 * as the real APIs page them, with tokens that may read, write, or be refused.
 */
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

interface HostedComment {
  id: number;
  body: string;
  /** Who wrote it: the token's name, or another tool's. */
  author: string;
}

export interface CodeHost {
  url: string;
  /** Comments by pull request (`owner/repo#n`, or `project!iid` for GitLab). */
  comments: Map<string, HostedComment[]>;
  /** Every request: method, path and the headers' tokens, to check what was sent where. */
  requests: Array<{ method: string; path: string; authorization?: string; privateToken?: string }>;
  close(): Promise<void>;
}

/** `tokens`: each token and what it may do; any other token is answered 401. */
export async function startCodeHost(tokens: Record<string, 'write' | 'read'>): Promise<CodeHost> {
  const comments = new Map<string, HostedComment[]>();
  const requests: CodeHost['requests'] = [];
  let nextId = 1000;
  const server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => send(res, 500, { message: String(error) }));
  });
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://host');
    // As GitLab serves its API under /api/v4 (and GitHub Enterprise under /api/v3).
    url.pathname = url.pathname.replace(/^\/api\/v[34](?=\/)/, '');
    const authorization = req.headers.authorization;
    const privateToken = req.headers['private-token'] as string | undefined;
    requests.push({ method: req.method ?? 'GET', path: url.pathname, authorization, privateToken });
    const token = authorization?.replace(/^Bearer /, '') ?? privateToken ?? '';
    const access = tokens[token];
    if (!access) return send(res, 401, { message: 'Bad credentials' });
    const body = await readJson(req);
    const page = Number(url.searchParams.get('page') ?? 1);
    const perPage = Number(url.searchParams.get('per_page') ?? 30);
    const list = (key: string) => {
      const all = comments.get(key) ?? [];
      return all.slice((page - 1) * perPage, page * perPage).map(({ id, body }) => ({ id, body }));
    };
    const write = (key: string, id: number | undefined, text: unknown) => {
      if (access !== 'write') return send(res, 403, { message: 'Resource not accessible by integration' });
      if (typeof text !== 'string') return send(res, 422, { message: 'body is missing' });
      const all = comments.get(key) ?? [];
      comments.set(key, all);
      if (id === undefined) {
        const comment = { id: nextId++, body: text, author: token };
        all.push(comment);
        return send(res, 201, comment);
      }
      const comment = all.find((c) => c.id === id);
      if (!comment) return send(res, 404, { message: 'Not Found' });
      comment.body = text;
      return send(res, 200, comment);
    };
    let m = /^\/repos\/([^/]+\/[^/]+)\/issues\/(\d+)\/comments$/.exec(url.pathname);
    if (m) {
      const key = `${m[1]}#${m[2]}`;
      if (req.method === 'GET') return send(res, 200, list(key));
      if (req.method === 'POST') return write(key, undefined, (body as { body?: unknown }).body);
    }
    m = /^\/repos\/([^/]+\/[^/]+)\/issues\/comments\/(\d+)$/.exec(url.pathname);
    if (m && req.method === 'PATCH') {
      const key = [...comments.keys()].find(
        (k) => k.startsWith(`${m![1]}#`) && comments.get(k)!.some((c) => c.id === Number(m![2])),
      );
      return write(key ?? '', Number(m[2]), (body as { body?: unknown }).body);
    }
    m = /^\/projects\/([^/]+)\/merge_requests\/(\d+)\/notes(?:\/(\d+))?$/.exec(url.pathname);
    if (m) {
      const key = `${decodeURIComponent(m[1]!)}!${m[2]}`;
      if (req.method === 'GET' && !m[3]) return send(res, 200, list(key));
      if (req.method === 'POST' && !m[3]) return write(key, undefined, (body as { body?: unknown }).body);
      if (req.method === 'PUT' && m[3]) return write(key, Number(m[3]), (body as { body?: unknown }).body);
    }
    return send(res, 404, { message: 'Not Found' });
  };
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    comments,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? JSON.parse(text) : {};
}
