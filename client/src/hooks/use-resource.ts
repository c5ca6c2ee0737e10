import { useCallback, useEffect, useRef, useState } from 'react'

export interface Resource<T> {
  data: T | null
  error: unknown
  loading: boolean
  /** Loads again; with `silent` the current data stays on screen while it loads (pull-to-refresh, tab re-show). */
  reload: (silent?: boolean) => Promise<void>
  setData: (next: T) => void
}

/** Loads data for a page: loading / error / data, with a reload for retry buttons and for refresh on show. */
export function useResource<T>(load: () => Promise<T>, deps: unknown[] = []): Resource<T> {
  const [data, setData] = useState<T | null>(null)
  const [error, setError] = useState<unknown>(null)
  const [loading, setLoading] = useState(true)
  const seq = useRef(0)
  const loadRef = useRef(load)
  loadRef.current = load

  const reload = useCallback(async (silent = false) => {
    const mine = ++seq.current
    if (!silent) setLoading(true)
    try {
      const out = await loadRef.current()
      if (mine !== seq.current) return
      setData(out)
      setError(null)
    } catch (e) {
      if (mine !== seq.current) return
      // A silent refresh that fails keeps the data the user already sees.
      if (!silent) setError(e)
    } finally {
      if (mine === seq.current) setLoading(false)
    }
  }, [])

  useEffect(() => {
    void reload()
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps)

  return { data, error, loading, reload, setData }
}
