import { View, Text, Textarea } from '@tarojs/components'
import { useEffect, useRef, useState } from 'react'
import { IMPORT_ROWS_MAX } from '@jifen/shared'
import { commitImport, getImport, importResultCsv, uploadImport, type ImportDto, type ImportPreviewResponse } from '../../services/members-admin'
import { ApiError } from '../../services/request'
import { ProgressBar } from '../../components/progress-bar'
import { errorMessage, reportError, toast } from '../../utils/feedback'
import { formatDelta, formatPoints } from '../../utils/format'
import { StaffShell } from '../components/staff-shell'
import { pickCsvFile, saveCsv } from '../../services/files'
import '../components/backoffice.css'

type Step = 'upload' | 'preview' | 'commit' | 'done'
const STEPS: { key: Step; text: string }[] = [
  { key: 'upload', text: '1 上传' },
  { key: 'preview', text: '2 预览' },
  { key: 'commit', text: '3 导入' },
  { key: 'done', text: '4 结果' },
]
const TEMPLATE = '手机号或会员号,积分,原因\n13800138000,200,补发 6 月会员日积分\n000123,-50,扣回重复发放的积分'
const POLL_MS = 700

/**
 * 批量导入 (admin): upload a CSV (phone or member number, points, reason; as Excel saves it) → the server's
 * preview with each bad line and why (nothing booked yet) → commit, with progress while it runs (the page
 * polls the import; a commit cut off by a timeout or a crash is continued by 继续导入, each row booked once)
 * → the result, downloadable as CSV.
 */
function ImportsPageBody() {
  const [step, setStep] = useState<Step>('upload')
  const [pasted, setPasted] = useState('')
  const [fileName, setFileName] = useState<string | null>(null)
  const [preview, setPreview] = useState<ImportPreviewResponse | null>(null)
  const [imp, setImp] = useState<ImportDto | null>(null)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const polling = useRef<ReturnType<typeof setInterval> | null>(null)

  const stopPolling = () => {
    if (polling.current) clearInterval(polling.current)
    polling.current = null
  }
  useEffect(() => stopPolling, [])

  const send = async (bytes: ArrayBuffer | string, name: string) => {
    setBusy(true)
    setError(null)
    try {
      const p = await uploadImport(bytes, name)
      setFileName(name)
      setPreview(p)
      setImp(await getImport(p.id))
      setStep('preview')
    } catch (e) {
      setError(e instanceof ApiError && e.code === 'VALIDATION_FAILED' ? '文件无法读取:请确认是 CSV 格式,三列依次为 手机号或会员号、积分、原因' : errorMessage(e))
    } finally {
      setBusy(false)
    }
  }

  const chooseFile = async () => {
    if (busy) return
    const f = await pickCsvFile()
    if (f) await send(f.bytes, f.name)
  }

  const commit = async () => {
    if (!preview || busy) return
    setBusy(true)
    setError(null)
    setStep('commit')
    stopPolling()
    polling.current = setInterval(() => {
      getImport(preview.id)
        .then((x) => setImp(x))
        .catch(() => undefined)
    }, POLL_MS)
    try {
      await commitImport(preview.id)
      setImp(await getImport(preview.id))
      setStep('done')
      toast('导入完成')
    } catch (e) {
      // The commit may still be running (a timeout) or have stopped (a crash): progress is saved either way.
      setError(`${errorMessage(e)}。已导入的行不会重复,可点「继续导入」接着完成。`)
      void reportError(e)
    } finally {
      stopPolling()
      setBusy(false)
    }
  }

  const download = async () => {
    if (!imp) return
    try {
      const text = await importResultCsv(imp.id)
      if (!saveCsv(`导入结果-${imp.id}.csv`, text)) toast('请在电脑浏览器中下载结果')
    } catch (e) {
      void reportError(e)
    }
  }

  const restart = () => {
    stopPolling()
    setStep('upload')
    setPreview(null)
    setImp(null)
    setPasted('')
    setError(null)
  }

  const done = imp ? imp.applied + imp.failed : 0
  const pct = imp && imp.valid > 0 ? Math.floor((done * 100) / imp.valid) : 0

  return (
    <>
      <Text className='staff-card-title'>批量导入积分调整</Text>
      <View className='bo-steps jf-import-steps'>
        {STEPS.map((s, i) => {
          const at = STEPS.findIndex((x) => x.key === step)
          return (
            <Text key={s.key} className={`bo-step ${i === at ? 'is-on' : i < at ? 'is-done' : ''}`}>
              {s.text}
            </Text>
          )
        })}
      </View>

      {step === 'upload' ? (
        <View className='staff-columns'>
          <View className='staff-col'>
            <View className='card jf-import-upload'>
              <View className={`bo-drop jf-import-choose ${busy ? 'is-busy' : ''}`} onClick={() => void chooseFile()}>
                <Text className='bo-row-title'>{busy ? '正在读取…' : '选择 CSV 文件'}</Text>
                <Text className='muted block'>Excel 另存为「CSV UTF-8」或「CSV」均可;最多 {formatPoints(IMPORT_ROWS_MAX)} 行、1 MB</Text>
              </View>
              <Text className='field-label'>或粘贴 CSV 内容</Text>
              <Textarea className='bo-textarea jf-import-paste' value={pasted} maxlength={-1} placeholder={TEMPLATE} onInput={(e) => setPasted(e.detail.value)} />
              {error ? <Text className='form-error block jf-form-error'>{error}</Text> : null}
              <View className={`btn btn-block jf-import-preview-btn ${pasted.trim() ? 'btn-primary' : 'is-disabled'} ${busy ? 'is-busy' : ''}`} onClick={() => pasted.trim() && !busy && void send(pasted, '粘贴内容.csv')}>
                预览
              </View>
            </View>
          </View>
          <View className='staff-col'>
            <View className='card'>
              <Text className='staff-card-title'>文件格式</Text>
              <Text className='muted block'>三列:会员(11 位手机号或会员号)、积分(正数增加,负数扣减)、原因(会员在积分明细里可见)。第一行可以是标题。</Text>
              <Text className='bo-code'>{TEMPLATE}</Text>
              <Text className='muted block'>上传后先预览,确认无误再导入;导入时扣减不会超过会员的可用积分(不足的行记为失败)。每行只会入账一次,重复提交也不会重复入账。</Text>
            </View>
          </View>
        </View>
      ) : null}

      {step === 'preview' && preview && imp ? (
        <View className='card jf-import-preview'>
          <Text className='muted block'>{fileName}</Text>
          <View className='bo-stats'>
            <View>
              <Text className='bo-stat-label'>可导入</Text>
              <Text className='bo-big num jf-import-valid'>{formatPoints(preview.valid)}</Text>
            </View>
            <View>
              <Text className='bo-stat-label'>有问题</Text>
              <Text className={`bo-big num jf-import-invalid ${preview.invalid.length ? 'bo-minus' : ''}`}>{formatPoints(preview.invalid.length)}</Text>
            </View>
            <View>
              <Text className='bo-stat-label'>积分合计</Text>
              <Text className='bo-big num jf-import-total'>{formatDelta(preview.totalPoints)}</Text>
            </View>
          </View>
          {preview.invalid.length ? (
            <View className='jf-import-errors bo-section'>
              <Text className='staff-card-title'>以下行不会导入</Text>
              {preview.invalid.slice(0, 200).map((x) => (
                <View key={x.line} className='bo-row bo-row-static jf-import-error'>
                  <Text className='tag tag-danger num'>第 {x.line} 行</Text>
                  <Text className='bo-row-main'>{x.reason}</Text>
                </View>
              ))}
              {preview.invalid.length > 200 ? <Text className='muted block'>…另有 {preview.invalid.length - 200} 行,见导入结果 CSV</Text> : null}
            </View>
          ) : null}
          <View className='bo-actions'>
            <View className='btn btn-plain btn-small jf-import-restart' onClick={restart}>
              重新上传
            </View>
            <View className={`btn btn-small jf-import-commit ${preview.valid > 0 ? 'btn-primary' : 'is-disabled'}`} onClick={() => preview.valid > 0 && void commit()}>
              确认导入 {formatPoints(preview.valid)} 行
            </View>
          </View>
        </View>
      ) : null}

      {step === 'commit' && imp ? (
        <View className='card jf-import-progress'>
          <Text className='bo-row-title'>{busy ? '正在导入…' : '导入已中断'}</Text>
          <Text className='muted block num jf-import-progress-text'>
            {formatPoints(done)} / {formatPoints(imp.valid)} 行({pct}%)
          </Text>
          <ProgressBar pct={pct} />
          {error ? <Text className='form-error block'>{error}</Text> : null}
          {!busy ? (
            <View className='btn btn-primary btn-block jf-import-resume' onClick={() => void commit()}>
              继续导入
            </View>
          ) : null}
        </View>
      ) : null}

      {step === 'done' && imp ? (
        <View className='card result-card jf-import-result'>
          <Text className='muted'>导入完成</Text>
          <Text className='result-big num jf-import-applied'>{formatPoints(imp.applied)} 行已入账</Text>
          <Text className='result-sub'>
            失败 <Text className='num jf-import-failed'>{formatPoints(imp.failed)}</Text> 行 · 无效 {formatPoints(imp.invalid.length)} 行 · 积分合计 {formatDelta(imp.totalPoints)}
          </Text>
          <View className='bo-actions'>
            <View className='btn btn-plain btn-small jf-import-again' onClick={restart}>
              再导入一个
            </View>
            <View className='btn btn-primary btn-small jf-import-download' onClick={() => void download()}>
              下载结果 CSV
            </View>
          </View>
        </View>
      ) : null}
    </>
  )
}

/** The shell checks the role first; the body (and every request it makes) mounts only for a role that may use the page. */
export default function ImportsPage() {
  return (
    <StaffShell active='imports'>
      <ImportsPageBody />
    </StaffShell>
  )
}
