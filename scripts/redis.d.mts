/** A throwaway redis-server on 127.0.0.1. */
export interface RedisServer {
  /** `redis://127.0.0.1:<port>` */
  url: string;
  port: number;
  pid: number;
  /** Kills it by its pid with SIGKILL (as a crash would) and waits for it to exit. */
  kill(): Promise<void>;
  /** Stalls it with SIGSTOP (by its pid): connections stay open, nothing is answered. */
  pause(): void;
  /** Lets a paused server go on with SIGCONT (by its pid). */
  resume(): void;
  /** Stops it by its pid with SIGTERM and waits for it to exit; harmless when already gone. */
  stop(): Promise<void>;
}

/**
 * Starts `redis-server --port N --bind 127.0.0.1 --save '' --appendonly no` on a free port (or `port`) and
 * waits until it accepts connections. Rejects (never skips) when redis-server is not installed.
 */
export declare function startRedis(options?: {
  timeoutMs?: number;
  /** The port to listen on (to restart a killed server where its clients reconnect); default a free one. */
  port?: number;
}): Promise<RedisServer>;
