import { rulesConfigSchema, type RulesConfig } from '@jifen/shared'
import { z } from 'zod'
import { request } from './request'

const rulesResponse = z.object({ rules: rulesConfigSchema })

let cached: Promise<RulesConfig> | null = null

/**
 * GET /rules: the server's rule config (value anchor, tiers, check-in, expiry...). The client computes worth,
 * streak strips and purchase previews with these numbers and the shared rules, so it never disagrees with the
 * server. Fetched once per app session; a failure is not cached.
 */
export function getRules(): Promise<RulesConfig> {
  cached ??= request({ path: '/rules', auth: 'none', schema: rulesResponse }).then(
    (r) => r.rules,
    (e) => {
      cached = null
      throw e
    },
  )
  return cached
}
