// A local fake of HubSpot's Visitor Identification API (node:http on 127.0.0.1): checks path,
// method, auth header and body as HubSpot would, and answers what the test tells it to.
// Plain JavaScript (typed by fake-hubspot-api.d.mts) so that child processes and
// scripts/bench-server.mjs can run it with Node alone, without Vitest's TypeScript transform.
import { createServer } from 'node:http';

export const ACCESS_TOKEN = 'pat-na1-fake-access-token';
let issued = 0;

async function readBody(req) {
  let text = '';
  for await (const chunk of req) text += chunk;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export async function startFakeHubSpotApi(options = {}) {
  const calls = [];
  const answers = [];
  /** Token requests still to hold (see `hold`), and the held ones' ways to go on. */
  const held = { left: 0, waiting: [] };
  const server = createServer(async (req, res) => {
    const call = {
      method: req.method ?? '',
      path: req.url ?? '',
      authorization: req.headers.authorization,
      contentType: req.headers['content-type'],
      body: await readBody(req),
    };
    calls.push(call);
    const send = (status, body, headers = {}) => {
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
    const email = call.body?.email;
    if (typeof email !== 'string' || !email.includes('@')) {
      return send(400, { status: 'error', category: 'VALIDATION_ERROR' });
    }
    if (held.left > 0) {
      held.left--;
      await new Promise((resolve) => held.waiting.push(resolve));
      return send(200, { token: `hs-token-${++issued}-for-${email}` }); // at once: no delayMs
    }
    const answer = answers.length > 1 ? answers.shift() : answers[0];
    if (answer) {
      if (answer.delayMs) await new Promise((resolve) => setTimeout(resolve, answer.delayMs));
      return send(answer.status, answer.body ?? {}, answer.headers);
    }
    if (options.delayMs) await new Promise((resolve) => setTimeout(resolve, options.delayMs));
    send(200, { token: `hs-token-${++issued}-for-${email}` });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    calls,
    answers,
    hold(count) {
      held.left = count;
      return () => {
        held.left = 0;
        for (const go of held.waiting.splice(0)) go();
      };
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
