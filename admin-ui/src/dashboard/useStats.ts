import { useEffect, useState } from 'react'

/**
 * Loads one figure set, again whenever `key` changes; an answer that arrives after
 * the key changed is dropped, so the charts never show another range's figures.
 */
export function useStats<T>(
  key: string,
  load: () => Promise<T>,
): { data: T | undefined; isPending: boolean; error: unknown } {
  const [state, setState] = useState<{ key: string; data?: T; error?: unknown }>({ key: '' })
  // biome-ignore lint/correctness/useExhaustiveDependencies: `load` is a new closure each render; the key says when to load again.
  useEffect(() => {
    let current = true
    load().then(
      (data) => current && setState({ key, data }),
      (error: unknown) => current && setState({ key, error }),
    )
    return () => {
      current = false
    }
  }, [key])
  const fresh = state.key === key
  return {
    data: fresh ? state.data : undefined,
    isPending: !fresh,
    error: fresh ? state.error : undefined,
  }
}
