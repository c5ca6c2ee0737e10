import { Image } from '@tarojs/components'
import qrcode from 'qrcode-generator'
import { useMemo } from 'react'

/**
 * A QR code as a GIF data URL, made in pure JS by qrcode-generator (no DOM, no canvas), so the same <Image>
 * works in weapp and h5. Error correction M; cell size 8 and a 4-cell quiet zone for reliable scanning.
 */
export function QrImage({ text, className = '' }: { text: string; className?: string }) {
  const src = useMemo(() => {
    const qr = qrcode(0, 'M')
    qr.addData(text, 'Byte')
    qr.make()
    return qr.createDataURL(8, 32)
  }, [text])
  return <Image className={className} src={src} mode='aspectFit' />
}
