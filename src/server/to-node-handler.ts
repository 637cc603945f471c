/** The parts of Node's `http.IncomingMessage` (and Express' `req`) the adapter reads. */
export interface NodeRequestLike extends AsyncIterable<Uint8Array | string> {
  method?: string;
  url?: string;
  headers: Record<string, string | string[] | undefined>;
  /** A TLS socket has `encrypted: true`; `https` is also assumed when `x-forwarded-proto` says so. */
  socket?: unknown;
}

/** The parts of Node's `http.ServerResponse` (and Express' `res`) the adapter writes. */
export interface NodeResponseLike {
  statusCode: number;
  setHeader(name: string, value: string): unknown;
  end(body?: string): unknown;
}

const MAX_BODY_BYTES = 64 * 1024;

/**
 * Adapts a Web-standard handler such as {@link createTokenHandler}'s to Node's `http` server or
 * Express.
 *
 * @example
 * ```ts
 * import { createServer } from 'node:http';
 * const handler = toNodeHandler(createTokenHandler({ getVisitor: () => null, mint: jwtTokenMinter({ secret: 'x'.repeat(32) }) }));
 * createServer((req, res) => void handler(req, res)).listen(3000);
 * ```
 */
export function toNodeHandler(
  handler: (request: Request) => Promise<Response>,
): (req: NodeRequestLike, res: NodeResponseLike) => Promise<void> {
  return async (req, res) => {
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (value === undefined) continue;
      for (const one of Array.isArray(value) ? value : [value]) headers.append(name, one);
    }
    const proto =
      (req.socket as { encrypted?: boolean } | undefined)?.encrypted ||
      headers.get('x-forwarded-proto') === 'https'
        ? 'https'
        : 'http';
    const url = new URL(req.url ?? '/', `${proto}://${headers.get('host') ?? 'localhost'}`);
    const method = req.method ?? 'GET';
    let body: string | undefined;
    if (method !== 'GET' && method !== 'HEAD') {
      body = '';
      for await (const chunk of req) {
        body += typeof chunk === 'string' ? chunk : new TextDecoder().decode(chunk);
        if (body.length > MAX_BODY_BYTES) break;
      }
    }
    const response = await handler(new Request(url, { method, headers, body }));
    res.statusCode = response.status;
    response.headers.forEach((value, name) => {
      res.setHeader(name, value);
    });
    res.end(await response.text());
  };
}
