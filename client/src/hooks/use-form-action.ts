import { useState } from 'react'
import { handleActionError } from '../utils/feedback'

/**
 * A form's write: one at a time, `busy` while it runs (the button shows it, a sheet stays open), the failure as
 * the inline `error`, and a retry offered for a failure that may pass (handleActionError). Checks before the
 * write set `error` themselves and do not call run().
 */
export function useFormAction(): { busy: boolean; error: string; setError: (message: string) => void; run: (write: () => Promise<void>, retry: () => void) => Promise<void> } {
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState('')
  const run = async (write: () => Promise<void>, retry: () => void) => {
    if (busy) return
    setBusy(true)
    setError('')
    try {
      await write()
    } catch (e) {
      handleActionError(e, setError, retry)
    } finally {
      setBusy(false)
    }
  }
  return { busy, error, setError, run }
}
