import Taro from '@tarojs/taro'
import { View } from '@tarojs/components'
import { toast } from '../../utils/feedback'

/** weapp: the camera scanner (Taro.scanCode). H5 has no scanner: the clerk types or pastes the code instead. */
export function ScanButton({ onResult, className = '' }: { onResult: (text: string) => void; className?: string }) {
  if (process.env.TARO_ENV !== 'weapp') return null
  const scan = async () => {
    try {
      const r = await Taro.scanCode({ onlyFromCamera: true, scanType: ['qrCode', 'barCode'] })
      onResult(r.result.trim())
    } catch (e) {
      const msg = String((e as { errMsg?: string })?.errMsg ?? '')
      if (!/cancel/i.test(msg)) toast('扫码失败,请手动输入')
    }
  }
  return (
    <View className={`btn btn-ghost jf-scan-btn ${className}`} onClick={() => void scan()}>
      扫码
    </View>
  )
}
