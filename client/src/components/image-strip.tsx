import Taro from '@tarojs/taro'
import { View, Image } from '@tarojs/components'
import { assetUrl } from '../services/request'
import './image-strip.css'

/**
 * A row of small square pictures (a dispute's screenshots). A tap opens the viewer (weapp: previewImage; H5: the
 * picture in a new tab); with onRemove each has a × to take it off again (the form before filing).
 */
export function ImageStrip({ urls, onRemove, className = '' }: { urls: readonly string[]; onRemove?: (url: string) => void; className?: string }) {
  if (urls.length === 0) return null
  const full = urls.map(assetUrl)
  const open = (i: number) => {
    if (process.env.TARO_ENV === 'h5') window.open(full[i], '_blank', 'noopener')
    else void Taro.previewImage({ urls: full, current: full[i] })
  }
  return (
    <View className={`image-strip ${className}`}>
      {urls.map((u, i) => (
        <View key={`${u}-${i}`} className='image-strip-item jf-image-item'>
          <Image className='image-strip-img jf-image-thumb' src={full[i]!} mode='aspectFill' onClick={() => open(i)} />
          {onRemove ? (
            <View className='image-strip-remove jf-image-remove' onClick={() => onRemove(u)}>
              ×
            </View>
          ) : null}
        </View>
      ))}
    </View>
  )
}
