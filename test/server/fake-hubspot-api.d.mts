/** One request the fake received. */
export interface FakeApiCall {
  method: string;
  path: string;
  authorization: string | undefined;
  contentType: string | undefined;
  body: unknown;
}

/** A running fake of HubSpot's Visitor Identification API on 127.0.0.1. */
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
  /**
   * Holds the next `count` valid token requests (recorded in `calls` as they arrive) until the
   * returned function is called; then they are answered at once with a fresh token, and nothing
   * more is held.
   */
  hold(count: number): () => void;
  close(): Promise<void>;
}

/** The access token the fake accepts. */
export declare const ACCESS_TOKEN: string;

/** Starts the fake on a free port; `delayMs` delays every default (fresh-token) answer. */
export declare function startFakeHubSpotApi(options?: { delayMs?: number }): Promise<FakeApi>;
