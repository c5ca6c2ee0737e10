import Taro from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import { useEffect, type ReactNode } from 'react'

/**
 * On H5 Taro draws the tab bar above page content, so a sheet opened on a tab page would sit under it: hide the
 * bar while the sheet is open. (On weapp the native tab bar is outside the page and nothing overlaps.)
 */
function useHiddenTabBar() {
  useEffect(() => {
    if (process.env.TARO_ENV !== 'h5') return
    Taro.hideTabBar({ animation: false }).catch(() => undefined)
    return () => {
      Taro.showTabBar({ animation: false }).catch(() => undefined)
    }
  }, [])
}

/** A bottom sheet over a dimmed page; tapping the mask or × closes it (unless `locked` while a request runs). */
export function Sheet({ title, onClose, locked = false, className = '', children }: { title: string; onClose: () => void; locked?: boolean; className?: string; children: ReactNode }) {
  useHiddenTabBar()
  const close = () => {
    if (!locked) onClose()
  }
  return (
    <View className='sheet-mask' onClick={close} catchMove>
      <View className={`sheet ${className}`} onClick={(e) => e.stopPropagation()}>
        <View className='sheet-title'>
          <Text>{title}</Text>
          <Text className='sheet-close jf-sheet-close' onClick={close}>
            ×
          </Text>
        </View>
        {children}
      </View>
    </View>
  )
}
