import { View, Text, Image } from '@tarojs/components'
import { useState } from 'react'
import { REWARD_IMAGES_MAX } from '@jifen/shared'
import { uploadImage } from '../../services/rewards-admin'
import { imageTooLarge, pickImage } from '../../services/files'
import { assetUrl } from '../../services/request'
import { handleActionError } from '../../utils/feedback'

/** The reward's pictures: upload (PNG / JPEG / WebP, 2 MB checked before sending), remove; the first is the shelf's. */
export function ImageField({ images, onImages, onError }: { images: string[]; onImages: (f: (xs: string[]) => string[]) => void; onError: (message: string | null) => void }) {
  const [uploading, setUploading] = useState(false)

  const addImage = async () => {
    if (uploading || images.length >= REWARD_IMAGES_MAX) return
    const picked = await pickImage()
    if (!picked) return
    if (imageTooLarge(picked)) return onError('图片不能超过 2 MB')
    setUploading(true)
    onError(null)
    try {
      const up = await uploadImage(picked.bytes, picked.name)
      onImages((xs) => (xs.includes(up.url) ? xs : [...xs, up.url]))
    } catch (e) {
      handleActionError(e, onError, () => void addImage())
    } finally {
      setUploading(false)
    }
  }

  return (
    <View className='field'>
      <Text className='field-label'>图片(第一张显示在货架上;PNG / JPEG / WebP,不超过 2 MB)</Text>
      <View className='reward-images'>
        {images.map((url, i) => (
          <View key={url} className='reward-image-item jf-reward-image'>
            <Image className='reward-image' src={assetUrl(url)} mode='aspectFill' />
            <Text className='reward-image-remove jf-reward-image-remove' onClick={() => onImages((xs) => xs.filter((u) => u !== url))}>
              ×
            </Text>
            {i === 0 ? <Text className='reward-image-main'>主图</Text> : null}
          </View>
        ))}
        {images.length < REWARD_IMAGES_MAX ? (
          <View className={`reward-image-add jf-reward-image-add ${uploading ? 'is-busy' : ''}`} onClick={() => void addImage()}>
            {uploading ? '上传中…' : '+ 上传图片'}
          </View>
        ) : null}
      </View>
    </View>
  )
}
