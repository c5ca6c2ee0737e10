import { memberValueChangesResponse, simulationResponse, valueChangeDto, valueChangeListResponse, valueChangeRequest } from '../../schemas/value-changes';
import type { RouteSpec } from '../contract';

/** Who runs the points economics: marketing and admin. */
const ECONOMISTS = ['marketing', 'admin'] as const;

const exampleChange = {
  title: '积分价值调整',
  reason: '礼品采购成本上涨,为保证礼品品质',
  effectiveAt: '2027-01-15T00:00:00+08:00',
  rules: { anchor: { points: 100, fen: 90 } },
  compensation: { mode: 'restore' },
};

/** Points economics (issue 10): value changes with notice and compensation. */
export const ECONOMICS_ROUTES: RouteSpec[] = [
  {
    method: 'POST',
    path: '/admin/value-changes/simulate',
    access: ECONOMISTS,
    tag: 'admin: economics',
    summary: 'What a value change would do, from the real balances and without writing: members affected, compensation, liability before and after.',
    body: valueChangeRequest,
    response: simulationResponse,
    example: {
      request: exampleChange,
      response: { membersAffected: 3, compensationPoints: 334, compensationFen: 300, liabilityFenBefore: 3000, liabilityFenAfter: 3000, changes: ['积分价值:100 积分 = ¥1.00 → ¥0.90'] },
    },
  },
  {
    method: 'POST',
    path: '/admin/value-changes',
    access: ECONOMISTS,
    tag: 'admin: economics',
    summary:
      'Publishes a value change effective at least valueChangeNoticeDays (30) ahead (409 NOTICE_TOO_SHORT otherwise) and tells every member at once; the job applies it at effectiveAt with compensation.',
    body: valueChangeRequest,
    status: 201,
    response: valueChangeDto,
    errors: ['NOTICE_TOO_SHORT'],
    example: { request: exampleChange },
  },
  {
    method: 'GET',
    path: '/admin/value-changes',
    access: ECONOMISTS,
    tag: 'admin: economics',
    summary: 'Value changes newest first, with the simulation at publishing and what the job has paid.',
    response: valueChangeListResponse,
  },
  {
    method: 'GET',
    path: '/me/value-changes',
    access: 'member',
    tag: 'member',
    summary: "Rule changes: upcoming ones (规则变更预告) with what they mean for the member's balance, and the history with the compensation received.",
    response: memberValueChangesResponse,
  },
];
