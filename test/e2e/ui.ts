import type { Browser, Locator, Page } from 'playwright-core';
import { openPage, settle, type RunningServer } from './harness';

/**
 * What a person does on the H5 build, as small steps the flows share: sign in (dev member picker, staff login),
 * switch tabs, type into Taro inputs, turn Taro's H5 date/time pickers, read the numbers a page shows.
 * Every action goes through the page (clicks, typing, mouse drags); nothing here calls the API.
 */

export const MEMBER_VIEWPORT = { width: 375, height: 812 };
export const STAFF_VIEWPORT = { width: 1280, height: 800 };
export const STAFF_PASSWORD = 'demo1234';

/** "6,615" -> 6615, "-30" -> -30, "+1,280" -> 1280. */
export function num(text: string): number {
  const t = text.replace(/[,\s]/g, '');
  const m = /^([+-]?)(\d+)/.exec(t);
  if (!m) throw new Error(`not a number: ${JSON.stringify(text)}`);
  return (m[1] === '-' ? -1 : 1) * Number(m[2]);
}

/** The grouping the client uses (formatPoints): 6615 -> "6,615". */
export function pts(n: number): string {
  const sign = n < 0 ? '-' : '';
  return sign + String(Math.abs(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

export async function textOf(locator: Locator): Promise<string> {
  return (await locator.innerText()).trim();
}

export async function numOf(locator: Locator): Promise<number> {
  return num(await textOf(locator));
}

/**
 * Polls until the element's trimmed text equals `expected` (pages reload quietly after an action, so the new
 * figure appears a moment later). On timeout the message names the selector and the last text seen.
 */
export async function expectText(locator: Locator, expected: string | RegExp | ((text: string) => boolean), timeout = 10_000): Promise<void> {
  const deadline = Date.now() + timeout;
  let last = '<not found>';
  for (;;) {
    try {
      last = (await locator.innerText({ timeout: Math.max(1, Math.min(1000, deadline - Date.now())) })).trim();
      if (typeof expected === 'string' ? last === expected : typeof expected === 'function' ? expected(last) : expected.test(last)) return;
    } catch {
      /* not attached yet */
    }
    if (Date.now() > deadline) throw new Error(`${locator.toString()}: expected ${String(expected)}, last saw ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Polls until the element carries the class (a whole class token, so jf-code-REDEEM is not jf-code-REDEEM_CANCEL). */
export async function expectClass(locator: Locator, cls: string, timeout = 10_000): Promise<void> {
  const deadline = Date.now() + timeout;
  let last = '<not found>';
  for (;;) {
    try {
      last = (await locator.getAttribute('class', { timeout: Math.max(1, Math.min(1000, deadline - Date.now())) })) ?? '';
      if (last.split(/\s+/).includes(cls)) return;
    } catch {
      /* not attached yet */
    }
    if (Date.now() > deadline) throw new Error(`${locator.toString()}: expected class ${cls}, last saw ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function expectNum(locator: Locator, expected: number, timeout = 10_000): Promise<void> {
  await expectText(locator, pts(expected), timeout);
}

/** Types into a Taro <Input> (on H5 the class sits on the taro-input-core wrapper). */
export async function type(page: Page, cls: string, value: string): Promise<void> {
  const input = page.locator(`.${cls}:visible input`);
  await input.click();
  await input.fill(value);
  // Taro's Input is controlled: the value must still be there once React has re-rendered.
  await expectValue(input, value);
}

async function expectValue(input: Locator, value: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while ((await input.inputValue()) !== value) {
    if (Date.now() > deadline) throw new Error(`${input.toString()}: value ${JSON.stringify(await input.inputValue())}, typed ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The one visible element with a stable class (Taro keeps hidden pages of the stack in the DOM). */
export function el(page: Page, cls: string): Locator {
  return page.locator(`.${cls}:visible`);
}

export async function tab(page: Page, label: '首页' | '兑换' | '明细' | '我的'): Promise<void> {
  await page.locator(`.taro-tabbar__tabbar >> text=${label}`).click();
  await settle(page);
}

export async function openMember(browser: Browser) {
  return openPage(browser, MEMBER_VIEWPORT);
}

export async function openStaff(browser: Browser) {
  return openPage(browser, STAFF_VIEWPORT);
}

/** A member signs in on the dev login screen (H5 against a WECHAT_MODE=dev server) and lands on 首页. */
export async function memberLogin(page: Page, server: RunningServer, name: string, onLoginScreen?: (p: Page) => Promise<void>): Promise<void> {
  await page.goto(server.baseUrl + '/');
  await el(page, `jf-login-${name}`).waitFor();
  if (onLoginScreen) await onLoginScreen(page);
  await el(page, `jf-login-${name}`).click();
  await el(page, 'jf-balance').waitFor();
  await el(page, 'jf-checkin-btn').waitFor();
  await settle(page);
}

/** Staff open the app, take the 店员 / 运营登录 entry and sign in; they land on their role's first page. */
export async function staffLogin(page: Page, server: RunningServer, username: string, onLoginScreen?: (p: Page) => Promise<void>): Promise<void> {
  await page.goto(server.baseUrl + '/');
  await el(page, 'jf-staff-entry').click();
  await el(page, 'jf-staff-username').waitFor();
  if (onLoginScreen) await onLoginScreen(page);
  await type(page, 'jf-staff-username', username);
  await type(page, 'jf-staff-password', STAFF_PASSWORD);
  await el(page, 'jf-staff-login-btn').click();
  await settle(page);
  await expectText(el(page, 'jf-staff-user'), username);
}

// ---- Taro H5 pickers (taro-picker-core): columns turned with mouse drags, as a desktop user would ----

const PICKER_TOP = 102; // @tarojs/components picker constants
const PICKER_LINE = 34;

async function columnIndex(group: Locator): Promise<number> {
  const style = (await group.locator('.weui-picker__content').getAttribute('style')) ?? '';
  const m = /translate3d\(0px?, (-?[\d.]+)px/.exec(style);
  if (!m) throw new Error(`picker column without a position: ${style}`);
  return Math.round((PICKER_TOP - Number(m[1])) / PICKER_LINE);
}

/**
 * Opens the picker under `trigger`, turns each column to the wanted item (`['2026年', '11月', '23日']` for a
 * date, `['15', '55']` for a time) by dragging it a few rows at a time, then taps 确定.
 */
export async function pick(page: Page, trigger: Locator, wanted: string[]): Promise<void> {
  await trigger.click();
  // The overlay itself has no box (its sheet is position: fixed), so it is found by its display style.
  const overlay = page.locator('.weui-picker__overlay:not([style*="display: none"])');
  await overlay.locator('.weui-picker__action', { hasText: '确定' }).waitFor();
  const groups = overlay.locator('taro-picker-group');
  const isTime = (await groups.first().getAttribute('mode')) === 'time' || (await groups.count()) === 2;
  for (let col = 0; col < wanted.length; col++) {
    const group = groups.nth(col);
    for (let guard = 0; guard < 200; guard++) {
      const items = (await group.locator('.weui-picker__item').allInnerTexts()).map((t) => t.trim());
      // Time columns repeat a few items at each end for the endless scroll; aim at the real one.
      const target = isTime ? items.indexOf(wanted[col]!, 4) : items.indexOf(wanted[col]!);
      if (target < 0) throw new Error(`picker column ${col} has no ${wanted[col]}: ${items.slice(0, 8).join(',')}…`);
      const at = await columnIndex(group);
      if (at === target) break;
      const box = (await group.boundingBox())!;
      const x = box.x + box.width / 2;
      const cy = box.y + box.height / 2;
      // At most 5 rows (170 px) per drag, so the pointer stays on the 238 px column (leaving it ends the drag).
      const rows = Math.max(-5, Math.min(5, target - at));
      const dy = -rows * PICKER_LINE;
      await page.mouse.move(x, cy - dy / 2);
      await page.mouse.down();
      await page.mouse.move(x, cy + dy / 2, { steps: 6 });
      await page.mouse.up();
    }
    const at = await columnIndex(group);
    const items = (await group.locator('.weui-picker__item').allInnerTexts()).map((t) => t.trim());
    if (items[at] !== wanted[col]) throw new Error(`picker column ${col} stopped at ${items[at]}, wanted ${wanted[col]}`);
  }
  await overlay.locator('.weui-picker__action', { hasText: '确定' }).click();
  // The sheet slides away for 350 ms before the overlay is hidden; until then its mask covers the page.
  await page.waitForFunction(() => [...document.querySelectorAll('.weui-picker__overlay')].every((o) => (o as HTMLElement).style.display === 'none'));
}

/** Wall-clock parts in Asia/Shanghai for an instant: the form the campaign pickers show. */
export function shanghai(ms: number): { date: string; time: string; y: string; mo: string; d: string; h: string; mi: string } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(new Date(ms))
      .map((p) => [p.type, p.value]),
  ) as Record<string, string>;
  return { date: `${parts.year}-${parts.month}-${parts.day}`, time: `${parts.hour}:${parts.minute}`, y: parts.year!, mo: parts.month!, d: parts.day!, h: parts.hour!, mi: parts.minute! };
}
