import type { Page, Response } from 'playwright-core';
import { roleMay, type HttpMethod, type StaffRole } from '@jifen/shared';
import { settle, shot, useProduct } from './harness';
import { el, openStaff, staffLogin } from './ui';

/**
 * Issue 13.4: a staff page checks the role before it fetches. A role that may not use a page sees 没有权限
 * and the page asks the server for nothing; a role that may, loads it without a single 403 either.
 */
// Each page and the route it exists for (the staff shell's NAV `needs`): a role may use the page iff the shared
// role matrix lets it call that route.
const PAGES: { url: string; needs: [HttpMethod, string] }[] = [
  { url: '/staff/dashboard/index', needs: ['GET', '/admin/dashboard'] },
  { url: '/staff/clerk/index', needs: ['POST', '/till/purchases'] },
  { url: '/staff/refund/index', needs: ['POST', '/till/purchases/:orderNo/refunds'] },
  { url: '/staff/fulfil/index', needs: ['POST', '/till/redemptions/:pickupCode/fulfil'] },
  { url: '/staff/campaigns/index', needs: ['GET', '/admin/campaigns'] },
  { url: '/staff/campaign-edit/index', needs: ['GET', '/admin/campaigns'] },
  { url: '/staff/report/index', needs: ['GET', '/admin/reports/health'] },
  { url: '/staff/accounts/index', needs: ['GET', '/admin/staff'] },
  { url: '/staff/stores/index', needs: ['PATCH', '/admin/stores/:id'] },
  { url: '/staff/audit/index', needs: ['GET', '/admin/audit'] },
  { url: '/staff/members/index', needs: ['GET', '/admin/members'] },
  { url: '/staff/member/index?id=1', needs: ['GET', '/admin/members'] },
  { url: '/staff/approvals/index', needs: ['GET', '/admin/adjustments'] },
  { url: '/staff/imports/index', needs: ['POST', '/admin/adjustments/imports'] },
  { url: '/staff/coupon/index', needs: ['POST', '/till/coupons/redeem'] },
  { url: '/staff/disputes/index', needs: ['GET', '/admin/disputes'] },
  { url: '/staff/agreements/index', needs: ['POST', '/admin/agreements'] },
];

const ROLE_OF: Record<string, StaffRole> = { 'clerk-a': 'clerk', marketing: 'marketing', service: 'service', admin: 'admin' };

function watch(page: Page) {
  const refused: string[] = [];
  const api: string[] = [];
  page.on('response', (res: Response) => {
    const url = new URL(res.url());
    if (!url.pathname.startsWith('/api/v1/')) return;
    api.push(`${res.request().method()} ${url.pathname}`);
    if (res.status() === 403) refused.push(`${res.status()} ${res.request().method()} ${url.pathname}`);
  });
  return { refused, api };
}

/** Opens a page as a fresh load (a bookmark, a pasted link): no page of the previous URL is left on screen. */
async function visit(page: Page, base: string, url: string): Promise<void> {
  await page.goto('about:blank');
  await page.goto(`${base}/#${url}`);
  await page.waitForLoadState('networkidle');
  await settle(page);
}

describe('staff pages check the role before they fetch', () => {
  const product = useProduct();

  test('a clerk opening 营销活动 sees 没有权限, and no request to /admin/campaigns is made', async () => {
    const { page, problems, context } = await openStaff(product.browser);
    await staffLogin(page, product.server, 'clerk-a');
    await page.waitForLoadState('networkidle');
    const seen = watch(page);
    await visit(page, product.server.baseUrl, '/staff/campaigns/index');
    await page.locator('.taro_page:visible >> text=没有权限').waitFor();
    await page.waitForLoadState('networkidle');
    await shot(page, 'access-01-clerk-campaigns');
    expect(seen.api.filter((a) => a.includes('/admin/campaigns'))).toEqual([]); // on main: GET /admin/campaigns, 403
    expect(seen.refused).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  });

  test.each(Object.keys(ROLE_OF))('%s: every staff page either loads or says 没有权限, and never gets a 403', async (username) => {
    const role = ROLE_OF[username]!;
    const { page, problems, context } = await openStaff(product.browser);
    await staffLogin(page, product.server, username);
    await page.waitForLoadState('networkidle'); // the landing page's own requests finish before the first visit
    const seen = watch(page);
    for (const p of PAGES) {
      await visit(page, product.server.baseUrl, p.url);
      const denied = page.locator('.taro_page:visible >> text=没有权限');
      if (roleMay(role, p.needs[0], p.needs[1])) {
        await el(page, 'staff-body').waitFor();
        expect([p.url, await denied.count()]).toEqual([p.url, 0]);
      } else {
        await denied.waitFor();
      }
    }
    expect(seen.refused).toEqual([]);
    // Moving on to the next page may abort a page's last request: that is the sweep's doing, not the page's.
    expect(problems.filter((p) => !/^requestfailed: .* net::ERR_ABORTED/.test(p))).toEqual([]);
    await context.close();
  });
});
