// A local fake of HubSpot's Visitor Identification API (node:http on 127.0.0.1): checks path,
// method, auth header and body as HubSpot would, and answers what the test tells it to.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeApiCall {
  method: string;
  path: string;
  authorization: string | undefined;
  contentType: string | undefined;
  body: unknown;
}

export interface FakeApi {
  baseUrl: string;
  calls: FakeApiCall[];
  /** The next answers, in order; the last one stays. Default: a fresh token. */
  answers: Array<{
    status: number;
    body?: unknown;
    headers?: Record<string, string>;
    delayMs?: number;
  }>;
  close(): Promise<void>;
}

export const ACCESS_TOKEN = 'pat-na1-fake-access-token';
let issued = 0;

async function readBody(req: IncomingMessage): Promise<unknown> {
  let text = '';
  for await (const chunk of req) text += chunk;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export async function startFakeHubSpotApi(): Promise<FakeApi> {
  const calls: FakeApiCall[] = [];
  const answers: FakeApi['answers'] = [];
  const server = createServer(async (req, res) => {
    const call: FakeApiCall = {
      method: req.method ?? '',
      path: req.url ?? '',
      authorization: req.headers.authorization,
      contentType: req.headers['content-type'],
      body: await readBody(req),
    };
    calls.push(call);
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };
    if (call.path !== '/conversations/v3/visitor-identification/tokens/create') {
      return send(404, { status: 'error', message: 'not found' });
    }
    if (call.method !== 'POST')
      return send(405, { status: 'error', message: 'method not allowed' });
    if (call.authorization !== `Bearer ${ACCESS_TOKEN}`) {
      return send(401, { status: 'error', category: 'INVALID_AUTHENTICATION' });
    }
    const email = (call.body as { email?: unknown }).email;
    if (typeof email !== 'string' || !email.includes('@')) {
      return send(400, { status: 'error', category: 'VALIDATION_ERROR' });
    }
    const answer = answers.length > 1 ? answers.shift() : answers[0];
    if (answer) {
      if (answer.delayMs) await new Promise((resolve) => setTimeout(resolve, answer.delayMs));
      return send(answer.status, answer.body ?? {}, answer.headers);
    }
    send(200, { token: `hs-token-${++issued}-for-${email}` });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    calls,
    answers,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
