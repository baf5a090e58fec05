import { useCallback, useEffect, useRef, useState } from 'react';

export interface Resource<T> {
  /** The last data loaded; kept while the next key loads, so a list does not flash empty between pages. */
  data: T | undefined;
  isLoading: boolean;
  /** The last load failed (and nothing newer came in). */
  error: unknown;
  /** Replaces the data without a request (a save answered with the new state). */
  setData(data: T): void;
  reload(): void;
}

/**
 * Loads `fetcher()` whenever `key` changes. Strapi 5's admin has no react-query for plugins to rely on (its own copy
 * is private, and design-system-free hooks would pull a second one into the bundle), and these pages need only
 * this: one GET per key, the newest answer wins, no refetch on window focus (that would reload a form under you).
 */
export function useResource<T>(key: string, fetcher: () => Promise<T>): Resource<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [isLoading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);
  const [generation, setGeneration] = useState(0);
  const latest = useRef(fetcher);
  latest.current = fetcher;

  useEffect(() => {
    let current = true;
    setLoading(true);
    latest
      .current()
      .then((loaded) => {
        if (!current) return;
        setData(loaded);
        setError(null);
      })
      .catch((thrown: unknown) => {
        if (current) setError(thrown);
      })
      .finally(() => {
        if (current) setLoading(false);
      });
    return () => {
      current = false;
    };
  }, [key, generation]);

  const replace = useCallback((next: T) => {
    setData(next);
    setError(null);
  }, []);
  const reload = useCallback(() => setGeneration((n) => n + 1), []);

  return { data, isLoading, error, setData: replace, reload };
}
