import { useDidShow } from '@tarojs/taro'
import { useRef } from 'react'

/**
 * Reloads quietly each time the page comes back into view (tab switch, back from a sub-page), so a balance
 * changed elsewhere is never stale. The first show is skipped: the page's own first load covers it.
 */
export function useShowRefresh(refresh: () => unknown): void {
  const first = useRef(true)
  useDidShow(() => {
    if (first.current) {
      first.current = false
      return
    }
    void refresh()
  })
}
