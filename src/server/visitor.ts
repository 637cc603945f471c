/**
 * Who is signed in, as your app's session knows them.
 *
 * @example
 * ```ts
 * const visitor: Visitor = { email: 'alice@example.com', firstName: 'Alice' };
 * ```
 */
export interface Visitor {
  /** The visitor's email; HubSpot links the chat to the contact with this exact address. */
  email: string;
  /** Set on a new contact, or an existing one whose name HubSpot does not know. */
  firstName?: string | undefined;
  /** Set on a new contact, or an existing one whose name HubSpot does not know. */
  lastName?: string | undefined;
}

/**
 * A visitor-identification token and how long it lives.
 *
 * @example
 * ```ts
 * const minted: MintedToken = { token: 'eyJhbGciOi…', expiresIn: 43_200 };
 * ```
 */
export interface MintedToken {
  token: string;
  /** Seconds from now. */
  expiresIn: number;
}

/**
 * Mints a token for a visitor: {@link hubspotTokenMinter}, {@link jwtTokenMinter}, or your own. A
 * {@link HubSpotApiError} with code `RATE_LIMITED` makes {@link createTokenHandler} answer 503.
 *
 * @example
 * ```ts
 * const mint: TokenMinter = async ({ email }) => ({ token: await myIdentityService.tokenFor(email), expiresIn: 3600 });
 * ```
 */
export type TokenMinter = (visitor: Visitor) => Promise<MintedToken>;
