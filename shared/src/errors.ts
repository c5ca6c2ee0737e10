/**
 * Stable error codes shared by server and client. The code is the contract; messages are for people.
 * HTTP status follows DESIGN §4: 400 input, 401 auth, 403 role/store, 404, 409 conflict, 429 rate limit.
 */
export const ERRORS = {
  VALIDATION_FAILED: { status: 400, zh: '请求参数有误', en: 'The request is invalid' },
  CODE_INVALID: { status: 400, zh: '会员码无效或已过期,请让会员刷新后重试', en: 'Member code is invalid or expired' },
  UNAUTHENTICATED: { status: 401, zh: '请先登录', en: 'Sign-in required or token invalid' },
  SESSION_REVOKED: { status: 401, zh: '登录已失效(账号已停用或权限已变更),请重新登录', en: 'Session ended: the account was disabled or its access changed' },
  BAD_CREDENTIALS: { status: 401, zh: '用户名或密码错误', en: 'Wrong username or password' },
  FORBIDDEN: { status: 403, zh: '无权执行此操作', en: 'Not allowed for this role or store' },
  NOT_FOUND: { status: 404, zh: '记录不存在', en: 'Not found' },
  IDEMPOTENCY_KEY_REQUIRED: { status: 400, zh: '缺少幂等键 Idempotency-Key', en: 'Idempotency-Key header is required' },
  IDEMPOTENCY_MISMATCH: { status: 409, zh: '同一幂等键对应了不同的请求', en: 'Idempotency key reused with a different request' },
  ALREADY_CHECKED_IN: { status: 409, zh: '今天已经签到过了', en: 'Already checked in today' },
  INSUFFICIENT_POINTS: { status: 409, zh: '可用积分不足', en: 'Not enough available points' },
  OUT_OF_STOCK: { status: 409, zh: '库存不足', en: 'Out of stock' },
  TIER_TOO_LOW: { status: 409, zh: '会员等级不足', en: 'Member tier too low for this reward' },
  LIMIT_REACHED: { status: 409, zh: '已达到每人兑换上限', en: 'Per-member limit reached' },
  NOT_ON_SALE: { status: 409, zh: '该商品当前不可兑换', en: 'Reward is not on sale now' },
  NOT_CANCELLABLE: { status: 409, zh: '该兑换已核销或已取消,不能取消', en: 'Redemption can no longer be cancelled' },
  ALREADY_FULFILLED: { status: 409, zh: '该兑换已核销', en: 'Redemption already fulfilled' },
  REDEMPTION_CANCELLED: { status: 409, zh: '该兑换已取消', en: 'Redemption was cancelled' },
  CODE_USED: { status: 409, zh: '会员码已使用,请刷新', en: 'Member code already used' },
  ORDER_CONFLICT: { status: 409, zh: '订单号已存在且内容不同', en: 'Order number already posted with different details' },
  LARGE_AMOUNT_CONFIRM: { status: 409, zh: '金额较大,请核对后再次确认', en: 'Large amount: confirm it explicitly (confirmLargeAmount: true)' },
  POINTS_SHARE_EXCEEDED: { status: 409, zh: '积分抵扣超过订单可抵扣上限', en: 'Points may pay only part of this order' },
  POINTS_NOT_WHOLE_FEN: { status: 400, zh: '抵扣积分须能折算为整分金额', en: 'Points to use must convert to whole fen' },
  REFUND_EXCEEDS_ORDER: { status: 409, zh: '退款金额超过订单剩余可退金额', en: 'Refund exceeds the refundable amount' },
  CAMPAIGN_ENDED: { status: 409, zh: '活动已结束,不可修改', en: 'Campaign has ended and is read-only' },
  BIRTHDAY_ALREADY_SET: { status: 409, zh: '生日只能设置一次,如需修改请联系客服', en: 'Birthday can be set only once' },
  TASK_ALREADY_DONE: { status: 409, zh: '该任务已完成', en: 'Task already completed' },
  DAILY_LIMIT_REACHED: { status: 409, zh: '今日次数已用完', en: 'Daily limit reached' },
  INVITE_REFUSED: { status: 409, zh: '邀请无效', en: 'Invite refused' },
  NOT_ELIGIBLE: { status: 409, zh: '暂不满足条件', en: 'Not eligible yet' },
  STORE_CLOSED: { status: 403, zh: '门店已关闭,不能办理新的消费积分', en: 'The store is closed: no new purchases' },
  STORE_CLOSED_NO_CLERKS: { status: 409, zh: '门店已关闭,不能分配店员', en: 'A closed store gets no clerks' },
  STAFF_STORE_RULE: { status: 400, zh: '店员必须归属一家门店,其他角色不归属门店', en: 'A clerk needs a store; other roles have none' },
  SELF_LOCKOUT: { status: 409, zh: '不能停用、降级或重置自己的账号,请由另一位管理员操作', en: 'You cannot disable, demote or reset your own account' },
  LAST_ADMIN: { status: 409, zh: '至少需要保留一位启用的管理员', en: 'At least one enabled admin must remain' },
  USERNAME_TAKEN: { status: 409, zh: '用户名已被使用', en: 'Username is taken' },
  STORE_CODE_TAKEN: { status: 409, zh: '门店编码已被使用', en: 'Store code is taken' },
  PHONE_CODE_INVALID: { status: 400, zh: '手机号授权失败,请重新授权', en: 'The phone number code is invalid or expired' },
  PHONE_IN_USE: { status: 409, zh: '该手机号已绑定其他会员', en: 'This phone number is bound to another member' },
  ADJUSTMENT_DECIDED: { status: 409, zh: '该调整申请已处理', en: 'This adjustment request was already decided' },
  SELF_APPROVAL: { status: 409, zh: '不能审批自己提交的申请', en: 'Nobody approves their own request' },
  STOCK_BELOW_ZERO: { status: 409, zh: '库存不能小于零', en: 'Stock cannot go below zero' },
  PRICE_REASON_REQUIRED: { status: 409, zh: '价格偏离锚定价超出允许范围,请填写定价理由', en: 'The price is outside the anchor band: give a priceReason' },
  UPLOAD_TYPE_UNSUPPORTED: { status: 400, zh: '只支持 PNG、JPEG 或 WebP 图片', en: 'Only PNG, JPEG or WebP images are accepted' },
  UPLOAD_TOO_LARGE: { status: 413, zh: '图片过大:最大 2 MB', en: 'Image too large (at most 2 MB)' },
  UPLOAD_LINK_EXPIRED: { status: 403, zh: '图片链接已过期,请刷新页面后再看', en: 'This image link has expired: reload the page for a new one' },
  UPLOAD_LINK_INVALID: { status: 403, zh: '图片链接无效', en: 'This image link is not valid (signature does not match)' },
  IMPORT_TOO_LARGE: { status: 413, zh: '文件过大:最多 10,000 行、1 MB', en: 'Import too large (at most 10,000 rows, 1 MB)' },
  NOTICE_TOO_SHORT: { status: 409, zh: '积分价值变更须至少提前 30 天公告', en: 'A value change must be announced at least valueChangeNoticeDays ahead' },
  AGREEMENT_REQUIRED: { status: 409, zh: '请先阅读并同意积分服务协议', en: 'Accept the points agreement first' },
  AGREEMENT_OUTDATED: { status: 409, zh: '协议已更新,请阅读最新版本后再同意', en: 'The agreement changed: read the current version' },
  AGREEMENT_VERSION_TAKEN: { status: 409, zh: '另一位管理员刚发布了新版本,请刷新后再试', en: 'Another version was just published: reload' },
  DISPUTE_LIMIT: { status: 409, zh: '处理中的申诉过多,请等待答复后再提交', en: 'Too many open disputes: wait for an answer' },
  DISPUTE_CLOSED: { status: 409, zh: '该申诉已答复或已关闭', en: 'This dispute was already answered or closed' },
  COUPON_USED: { status: 409, zh: '该券已使用', en: 'This coupon was already used' },
  COUPON_LAPSED: { status: 409, zh: '该券已过期', en: 'This coupon has lapsed' },
  COUPON_MIN_SPEND: { status: 409, zh: '订单金额未达到该券的使用门槛', en: 'The order is below the coupon minimum spend' },
  DONATION_CLOSED: { status: 409, zh: '公益积分池暂未开放', en: 'The charity pool is not open' },
  RATE_LIMITED: { status: 429, zh: '尝试次数过多,请稍后再试', en: 'Too many attempts, try again later' },
  INTERNAL: { status: 500, zh: '服务器开小差了,请稍后再试', en: 'Internal error' },
  WECHAT_UNAVAILABLE: { status: 503, zh: '微信服务暂时不可用,请稍后再试', en: 'WeChat is unavailable, try again later' },
  SERVICE_UNAVAILABLE: { status: 503, zh: '系统繁忙,请稍后再试', en: 'Service unavailable (database busy or unreachable), try again shortly' },
} as const satisfies Record<string, { status: number; zh: string; en: string }>;

export type ErrorCode = keyof typeof ERRORS;

export interface ErrorBody {
  error: { code: ErrorCode; message: string; messageEn: string; details?: unknown };
}

export function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && Object.prototype.hasOwnProperty.call(ERRORS, code);
}
