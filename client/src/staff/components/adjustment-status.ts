import type { AdjustmentDto } from '@jifen/shared'

/** How an adjustment's status reads on the member page and in the approval queue. */
export const ADJ_STATUS: Record<AdjustmentDto['status'], { text: string; tag: string }> = {
  pending: { text: '待审批', tag: 'tag-warning' },
  applied: { text: '已入账', tag: 'tag-success' },
  rejected: { text: '已驳回', tag: '' },
}
