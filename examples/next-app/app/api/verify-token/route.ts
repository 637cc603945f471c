// Offline only: the HubSpot stand-in asks here whether a token is valid, as HubSpot checks the
// tokens it minted. With HubSpot's real widget nothing calls it.
import { jwtVerify } from 'jose';
import { offlineSecret } from '../../../lib/offline';

export async function POST(request: Request): Promise<Response> {
  try {
    const { email, token } = (await request.json()) as { email?: unknown; token?: unknown };
    const key = new TextEncoder().encode(offlineSecret);
    const { payload } = await jwtVerify(String(token), key, { algorithms: ['HS256'] });
    return Response.json({ valid: payload.email === String(email).toLowerCase() });
  } catch {
    return Response.json({ valid: false });
  }
}
