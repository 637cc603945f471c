// What Node's `http` hands `toNodeHandler`, faked for unit tests.
import type { NodeResponseLike } from '../../src/server/index';

/** A response that records what the adapter wrote. */
export function fakeResponse() {
  const headers = new Map<string, string | string[]>();
  const res = {
    statusCode: 200,
    body: undefined as string | undefined,
    headers,
    setHeader(name: string, value: string | string[]) {
      headers.set(name.toLowerCase(), value);
    },
    end(body?: string) {
      res.body = body;
    },
  };
  return res satisfies NodeResponseLike;
}
