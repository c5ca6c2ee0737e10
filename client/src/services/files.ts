import Taro from '@tarojs/taro'
import { UPLOAD_BYTES_MAX } from '@jifen/shared'

/** A file the user picked, as bytes. */
export interface PickedFile {
  name: string
  bytes: ArrayBuffer
}
export type PickedImage = PickedFile

/** H5: the browser's file dialog (a hidden input the e2e tests find by its class); null when cancelled. */
function pickInBrowser(accept: string, className: string): Promise<PickedFile | null> {
  return new Promise((resolve, reject) => {
    const input = document.createElement('input')
    input.type = 'file'
    input.accept = accept
    input.className = className
    input.style.display = 'none'
    document.body.appendChild(input)
    input.onchange = () => {
      const file = input.files?.[0]
      input.remove()
      if (!file) return resolve(null)
      file.arrayBuffer().then((bytes) => resolve({ name: file.name, bytes }), reject)
    }
    input.click()
  })
}

/** weapp: a picked temp file's bytes. */
function readTemp(path: string, name: string): PickedFile {
  return { name, bytes: Taro.getFileSystemManager().readFileSync(path) as ArrayBuffer }
}

/**
 * A CSV file from the user, as bytes (the server decodes UTF-8 with or without BOM, or GB18030). H5: the
 * browser's file dialog; weapp: a file from a chat (chooseMessageFile). Null when the user cancels.
 */
export async function pickCsvFile(): Promise<PickedFile | null> {
  if (process.env.TARO_ENV === 'h5') return pickInBrowser('.csv,text/csv', 'jf-import-file-input')
  try {
    const f = (await Taro.chooseMessageFile({ count: 1, type: 'file', extension: ['csv'] })).tempFiles[0]
    return f ? readTemp(f.path, f.name) : null
  } catch {
    return null
  }
}

/** An image from the user as bytes. H5: the browser's file dialog; weapp: the album or camera. Null when cancelled. */
export async function pickImage(): Promise<PickedImage | null> {
  if (process.env.TARO_ENV === 'h5') return pickInBrowser('image/png,image/jpeg,image/webp', 'jf-image-file-input')
  try {
    const f = (await Taro.chooseMedia({ count: 1, mediaType: ['image'], sizeType: ['compressed'] })).tempFiles[0]
    return f ? readTemp(f.tempFilePath, f.tempFilePath.split('/').pop() ?? 'image') : null
  } catch {
    return null
  }
}

/** Too big to send (the server refuses over 2 MB): checked here first so nothing is uploaded in vain. */
export function imageTooLarge(img: PickedImage): boolean {
  return img.bytes.byteLength > UPLOAD_BYTES_MAX
}

/** Saves text as a file (H5: a download link; the BOM makes Excel read UTF-8). On weapp there is no file to save to. */
export function saveCsv(name: string, text: string): boolean {
  if (process.env.TARO_ENV !== 'h5') return false
  const blob = new Blob([text.startsWith('\ufeff') ? text : `\ufeff${text}`], { type: 'text/csv;charset=utf-8' })
  const url = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = url
  a.download = name
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
  return true
}
