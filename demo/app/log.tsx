// The event log: what the SDK and HubSpot's widget said, newest first.
import { createContext, useCallback, useContext, useRef, useState } from 'react';

export interface LogEntry {
  id: number;
  time: string;
  name: string;
  detail: string;
  kind: '' | 'error';
}

export type Log = (name: string, detail?: unknown, kind?: LogEntry['kind']) => void;

/** The log's writer; stable, so writing never re-renders a writer. */
export const LogContext = createContext<Log>(() => {});

export const useLog = (): Log => useContext(LogContext);

const entry = (id: number, name: string, detail: unknown, kind: LogEntry['kind']): LogEntry => ({
  id,
  time: new Date().toLocaleTimeString(),
  name,
  detail: detail === undefined ? '' : typeof detail === 'string' ? detail : JSON.stringify(detail),
  kind,
});

/**
 * Holds the log above the chat provider, so that the provider's `onError` can write to it too.
 * `first` is the first line (what this page load is about).
 */
export function useLogState(first: string): { entries: LogEntry[]; log: Log } {
  const [entries, setEntries] = useState<LogEntry[]>(() => [entry(0, 'page', first, '')]);
  const next = useRef(1);
  const log = useCallback<Log>((name, detail, kind = '') => {
    const line = entry(next.current++, name, detail, kind);
    setEntries((previous) => [line, ...previous].slice(0, 200));
  }, []);
  return { entries, log };
}
