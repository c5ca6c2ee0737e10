import Taro from '@tarojs/taro'

export interface PickedFile {
  name: string
  bytes: ArrayBuffer
}

/**
 * A CSV file from the user, as bytes (the server decodes UTF-8 with or without BOM, or GB18030). H5: the
 * browser's file dialog; weapp: a file from a chat (chooseMessageFile). Null when the user cancels.
 */
export async function pickCsvFile(): Promise<PickedFile | null> {
  if (process.env.TARO_ENV === 'h5') {
    return new Promise((resolve, reject) => {
      const input = document.createElement('input')
      input.type = 'file'
      input.accept = '.csv,text/csv'
      input.className = 'jf-import-file-input'
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
  try {
    const { tempFiles } = await Taro.chooseMessageFile({ count: 1, type: 'file', extension: ['csv'] })
    const f = tempFiles[0]
    if (!f) return null
    const bytes = Taro.getFileSystemManager().readFileSync(f.path) as ArrayBuffer
    return { name: f.name, bytes }
  } catch {
    return null
  }
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
