import { AGREEMENT_FREE_WRITES, AGREEMENT_GATED_ROUTES, API_ROUTES, agreementSatisfied, routeKey } from '@jifen/shared';

describe('agreement gate (issue 11 item 1)', () => {
  test('every member write either earns/spends (gated) or is listed as free of the agreement', () => {
    const memberWrites = API_ROUTES.filter((r) => r.access === 'member' && r.method !== 'GET').map(routeKey);
    const unclassified = memberWrites.filter((k) => !AGREEMENT_GATED_ROUTES.includes(k) && !AGREEMENT_FREE_WRITES.includes(k));
    expect(unclassified).toEqual([]);
  });

  test('every gated route exists, is a member route, carries the gate and says AGREEMENT_REQUIRED', () => {
    for (const k of AGREEMENT_GATED_ROUTES) {
      const r = API_ROUTES.find((x) => routeKey(x) === k);
      expect(r).toBeDefined();
      expect(r!.access).toBe('member');
      expect(r!.gate).toBe('agreement');
      expect(r!.errors).toContain('AGREEMENT_REQUIRED');
    }
  });

  test('acceptance covers the current versions of both documents', () => {
    expect(agreementSatisfied({ terms: 1, privacy: 1 }, null)).toBe(false);
    expect(agreementSatisfied({ terms: 1, privacy: 1 }, { terms: 1, privacy: 1 })).toBe(true);
    expect(agreementSatisfied({ terms: 2, privacy: 1 }, { terms: 1, privacy: 1 })).toBe(false);
    expect(agreementSatisfied({ terms: 1, privacy: 2 }, { terms: 1, privacy: 1 })).toBe(false);
    expect(agreementSatisfied({ terms: 0, privacy: 0 }, null)).toBe(true);
  });
});
