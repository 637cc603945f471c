/** Who is signed in, as your app's session knows them. */
export interface Visitor {
  /** The visitor's email; HubSpot links the chat to the contact with this email. */
  email: string;
  /** Set on a new contact, or an existing one whose name HubSpot does not know. */
  firstName?: string;
  /** Set on a new contact, or an existing one whose name HubSpot does not know. */
  lastName?: string;
}

/** A visitor-identification token and how long it lives. */
export interface MintedToken {
  token: string;
  /** Seconds from now. */
  expiresIn: number;
}

/** Mints a token for a visitor: {@link hubspotTokenMinter}, {@link jwtTokenMinter}, or your own. */
export type TokenMinter = (visitor: Visitor) => Promise<MintedToken>;
