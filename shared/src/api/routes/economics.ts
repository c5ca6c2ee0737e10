import { memberValueChangesResponse, simulationResponse, valueChangeDto, valueChangeListResponse, valueChangeRequest } from '../../schemas/value-changes';
import { guardResponse, planQuery, planRequest, planResponse, planYearParam, rulesVersionListResponse } from '../../schemas/economy';
import { financeResponse, pointsHealthQuery, pointsHealthResponse } from '../../schemas/finance';
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
  {
    method: 'GET',
    path: '/admin/economics/plan',
    access: ECONOMISTS,
    tag: 'admin: economics',
    summary: 'The yearly quantity plan (this year unless ?year=) with the year so far against it: sales, issuance against the cap, redemption budget, reward cost.',
    query: planQuery,
    response: planResponse,
  },
  {
    method: 'PUT',
    path: '/admin/economics/plan/:year',
    access: ECONOMISTS,
    tag: 'admin: economics',
    summary: "Sets a year's plan: expected sales (fen), issuance cap and redemption budget (basis points), reward cost budget (fen). The cap is re-evaluated at once.",
    params: { year: planYearParam },
    body: planRequest,
    response: planResponse,
    example: { request: { expectedSalesFen: 1_000_000_000, issuanceCapBp: 500, redemptionBudgetBp: 2000, rewardCostBudgetFen: 5_000_000 } },
  },
  {
    method: 'GET',
    path: '/admin/economics/guard',
    access: ECONOMISTS,
    tag: 'admin: economics',
    summary: "The inflation guard: engaged or not, the figures against its lines (with hysteresis), and its history of rule versions.",
    response: guardResponse,
  },
  {
    method: 'GET',
    path: '/admin/economics/versions',
    access: ECONOMISTS,
    tag: 'admin: economics',
    summary: 'Rule versions newest first: value changes, guard engagements and releases, the cap reached or released, config edits.',
    response: rulesVersionListResponse,
  },
  {
    method: 'GET',
    path: '/admin/reports/finance',
    access: ECONOMISTS,
    tag: 'admin: reports',
    summary: 'Finance figures: liability at the anchor, expected breakage (expired ÷ (expired + redeemed), trailing 365 days) and the net liability, redemptions at face value and at cost, issuance as a share of sales.',
    response: financeResponse,
  },
  {
    method: 'GET',
    path: '/admin/reports/finance.csv',
    access: ECONOMISTS,
    tag: 'admin: reports',
    summary: 'The finance figures as CSV (UTF-8 with BOM).',
    produces: 'text/csv',
  },
  {
    method: 'GET',
    path: '/reports/points-health',
    access: 'public',
    tag: 'reports',
    summary: 'The public points-health report (积分健康报告) for a quarter (2026Q4; the current one by default): issued, redeemed, expired, consumption rate, inflation status, whether points lost value. No sign-in.',
    query: pointsHealthQuery,
    response: pointsHealthResponse,
  },
];
