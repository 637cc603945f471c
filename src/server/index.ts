export {
  createTokenHandler,
  type TokenHandler,
  type TokenHandlerOptions,
} from './create-token-handler';
export { HubSpotApiError, type HubSpotApiErrorCode } from './hubspot-api-error';
export { type HubSpotTokenMinterOptions, hubspotTokenMinter } from './hubspot-token-minter';
export { type JwtTokenMinterOptions, jwtTokenMinter } from './jwt-token-minter';
export type { TokenStore } from './store';
export {
  type NodeHandlerOptions,
  type NodeRequestLike,
  type NodeResponseLike,
  toNodeHandler,
  type WebHandler,
} from './to-node-handler';
export type { MintedToken, TokenMinter, Visitor } from './visitor';
