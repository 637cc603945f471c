// A token backend for the providers' re-login tests: it answers for u1 with 600 s tokens while
// `server.up`, and fails with `failure()` while not.
import type { InstalledStandIn } from '../src/testing/index';

const U1 = 'u1@example.com';

export function expiringBackend(standIn: InstalledStandIn, failure: () => Error) {
  const server = { up: true, requests: 0 };
  const fetchToken = async () => {
    server.requests++;
    if (!server.up) throw failure();
    return { email: U1, token: standIn.fake.issueToken(U1), expiresIn: 600 };
  };
  return { server, fetchToken };
}
