import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { DataSource } from 'typeorm';
import { localDay, startOfLocalDay } from '@jifen/shared';
import { ROOT_DIR, type AppConfig } from '../config';
import { manualClock } from '../clock';
import { MemberEntity, RewardEntity, StaffEntity, StoreEntity } from '../db/entities';
import { createServices } from '../services';
import { hashPassword } from '../services/passwords';

export const DEMO_PASSWORD = 'demo1234';
export const DEMO_MEMBERS = ['alice', 'bob', 'carol', 'dave', 'erin'] as const;
export const DEMO_STAFF = [
  { username: 'clerk-a', role: 'clerk', store: 'A' },
  { username: 'clerk-b', role: 'clerk', store: 'B' },
  { username: 'marketing', role: 'marketing', store: null },
  { username: 'service', role: 'service', store: null },
  { username: 'admin', role: 'admin', store: null },
] as const;

const DAY = 86_400_000;
/** The demo rewards' pictures, drawn by scripts/draw-reward-images.mjs and committed. */
export const REWARD_IMAGE_DIR = path.join(ROOT_DIR, 'server/assets/rewards');

/**
 * Priced at the value anchor (100 points = 1 yuan): pointsPrice = faceValueFen, so a ¥10 voucher costs
 * 1,000 points. costFen is what a unit costs the brand. `image` names a picture in server/assets/rewards
 * (drawn by scripts/draw-reward-images.mjs).
 */
const REWARDS: { title: string; description: string; category: string; faceValueFen: number; costFen: number; stock: number; minTier?: string; perMemberLimit?: number; image: string }[] = [
  { title: '美式咖啡一杯', description: '任意门店可领,大杯', category: '饮品', faceValueFen: 2200, costFen: 600, stock: 500, image: 'americano', perMemberLimit: 10 },
  { title: '拿铁咖啡一杯', description: '任意门店可领,大杯', category: '饮品', faceValueFen: 2800, costFen: 800, stock: 300, image: 'latte', perMemberLimit: 10 },
  { title: '牛角面包', description: '当日现烤', category: '烘焙', faceValueFen: 1200, costFen: 400, stock: 200, image: 'croissant' },
  { title: '香草糖浆加料', description: '任意饮品加一份', category: '饮品', faceValueFen: 100, costFen: 30, stock: 800, image: 'syrup', perMemberLimit: 10 },
  { title: '10元代金券', description: '满50元可用,30天有效', category: '券', faceValueFen: 1000, costFen: 600, stock: 1000, image: 'voucher', perMemberLimit: 5 },
  { title: '帆布托特包', description: '品牌限定款', category: '周边', faceValueFen: 5900, costFen: 2500, stock: 50, image: 'tote', perMemberLimit: 1 },
  { title: '保温随行杯', description: '350ml 不锈钢', category: '周边', faceValueFen: 8900, costFen: 3500, stock: 40, image: 'tumbler', perMemberLimit: 2 },
  { title: '白银专享甜点', description: '白银及以上会员', category: '烘焙', faceValueFen: 1800, costFen: 600, stock: 100, image: 'dessert', minTier: 'silver' },
  { title: '黄金会员下午茶', description: '双人份,黄金会员专享', category: '饮品', faceValueFen: 12800, costFen: 5000, stock: 20, image: 'teaset', minTier: 'gold', perMemberLimit: 1 },
  { title: '咖啡豆 250g', description: '当季拼配', category: '周边', faceValueFen: 7800, costFen: 3000, stock: 30, image: 'beans' },
  { title: '免费升杯券', description: '中杯升大杯', category: '券', faceValueFen: 300, costFen: 100, stock: 1000, image: 'upsize', perMemberLimit: 20 },
  { title: '限量徽章', description: '周年纪念,每人一枚', category: '周边', faceValueFen: 1500, costFen: 500, stock: 3, image: 'badge', perMemberLimit: 1 },
  { title: '会员生日蛋糕', description: '6寸,需提前一天预订', category: '烘焙', faceValueFen: 16800, costFen: 7000, stock: 10, image: 'cake', perMemberLimit: 1 },
];

/** A small deterministic generator so the demo history is the same on every machine. */
function lcg(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/**
 * Demo data written through the real services (so every invariant holds): two stores, staff, five members
 * with months of purchases and check-ins, a redemption, lots expiring soon, a dozen rewards with pictures.
 */
export async function seedDemo(ds: DataSource, config: AppConfig, now: Date): Promise<{ seeded: boolean }> {
  if ((await ds.getRepository(MemberEntity).count()) > 0) return { seeded: false };
  const clock = manualClock(now);
  const s = createServices(ds, config, clock);
  const m = ds.manager;
  const nowMs = now.getTime();

  await m.getRepository(StoreEntity).insert([
    { code: 'A', name: '国贸旗舰店' },
    { code: 'B', name: '三里屯店' },
  ]);
  const stores = await m.getRepository(StoreEntity).find({ order: { id: 'ASC' } });
  const storeId = (code: string) => stores.find((st) => st.code === code)!.id;
  const hash = await hashPassword(DEMO_PASSWORD);
  for (const st of DEMO_STAFF) {
    await m.getRepository(StaffEntity).insert({ username: st.username, passwordHash: hash, role: st.role, storeId: st.store ? storeId(st.store) : null, disabled: false, sessionVersion: 0, createdAt: nowMs });
  }
  const clerks = await m.getRepository(StaffEntity).find({ where: { role: 'clerk' }, order: { id: 'ASC' } });

  // Rewards through the catalogue service (price history, opening stock movement), with the pictures the
  // project ships stored as uploads; a missing picture leaves the generated tile.
  const seedActor = { staffId: null, username: 'demo-seed', role: null, storeId: null, ip: '127.0.0.1', requestId: 'demo-seed' };
  for (const r of REWARDS) {
    const images: string[] = [];
    const file = path.join(REWARD_IMAGE_DIR, `${r.image}.png`);
    if (existsSync(file)) images.push((await s.uploads.store(readFileSync(file))).url);
    await s.rewardsAdmin.create(seedActor, {
      title: r.title,
      description: r.description,
      category: r.category,
      images,
      faceValueFen: r.faceValueFen,
      costFen: r.costFen,
      pointsPrice: r.faceValueFen,
      stock: r.stock,
      minTier: r.minTier ?? null,
      perMemberLimit: r.perMemberLimit ?? null,
      activeFrom: null,
      activeTo: null,
      status: 'on_sale',
    });
  }

  // A survey marketing published (the 任务中心 lists it), open for the next 60 days.
  await s.surveys.create(
    { ...seedActor, role: 'marketing' },
    {
      title: '冬季会员满意度调查',
      questions: [{ text: '您对门店服务满意吗?', options: ['满意', '一般', '不满意'] }, { text: '您希望增加哪些兑换商品?' }],
      points: 10,
      startsAt: new Date(nowMs - DAY).toISOString(),
      endsAt: new Date(nowMs + 60 * DAY).toISOString(),
    },
  );

  const rand = lcg(20261123);
  // History: from ~14 months ago (so some lots earned last year expire at the coming year end) to today.
  const historyDays = 420;
  // Days are counted from today's local midnight, so the history is the same at any hour of the day the
  // demo starts (check-ins at 08:00 local, purchases 10:00-19:00 local, all before today).
  const todayStart = startOfLocalDay(localDay(now, config.rules.timezone), config.rules.timezone).getTime();
  clock.set(new Date(nowMs - historyDays * DAY));
  const members: number[] = [];
  for (const name of DEMO_MEMBERS) {
    const member = await s.members.loginOpenid(`dev_${name}`, name);
    // Demo members have been members for a while: they accepted the agreement (without a welcome gift).
    await s.agreements.seedAccepted(member.id);
    members.push(member.id);
  }
  // First the plan, then the bookings in time order through the services (so the ledger service gives each
  // entry the balance that follows from the one before, and 明细 reads as a story: issue 13.3).
  const events: { at: number; run: () => Promise<unknown> }[] = [];
  for (const [mi, name] of DEMO_MEMBERS.entries()) {
    const memberId = members[mi]!;
    // Purchase chance per day: alice ends up silver near gold, carol gold, bob silver, dave and erin bronze.
    const purchaseChance = [0.045, 0.03, 0.12, 0.012, 0.008][mi]!;
    for (let d = historyDays; d >= 1; d--) {
      const dayStart = todayStart - d * DAY;
      if (rand() < purchaseChance) {
        const at = dayStart + (10 + Math.floor(rand() * 10)) * 3600_000;
        const clerk = clerks[Math.floor(rand() * clerks.length)]!;
        const amountFen = (2000 + Math.floor(rand() * 13000)) * (name === 'carol' ? 2 : 1);
        events.push({ at, run: () => s.till.post({ staffId: clerk.id, storeId: clerk.storeId!, memberId, orderNo: `D${name.toUpperCase()}${d}`, amountFen }) });
      }
      // Check-ins: recent weeks mostly, with streaks for alice.
      // alice checked in on each of the last 6 days, so today is her 7th (bonus) day.
      const streakDemo = name === 'alice' && d <= 6;
      const gapBeforeStreak = name === 'alice' && d === 7;
      if (streakDemo || (!gapBeforeStreak && d <= 40 && rand() < 0.4)) {
        events.push({ at: dayStart + 8 * 3600_000, run: () => s.checkins.checkIn(memberId) });
      }
    }
    if (name === 'alice') {
      events.push({
        at: nowMs - 3 * DAY,
        run: async () => {
          const reward = await m.getRepository(RewardEntity).findOneOrFail({ where: { title: '香草糖浆加料' } });
          return s.rewards.redeem(memberId, reward.id, 1, { scope: `member:${memberId}`, key: 'seed-redeem-1', hash: 'seed' });
        },
      });
    }
  }
  events.sort((a, b) => a.at - b.at); // stable: one member's same-instant events keep their planned order
  for (const e of events) {
    clock.set(new Date(e.at));
    await e.run();
  }
  clock.set(now);
  await s.expiry.run({ actor: 'seed' });
  // Stored tiers (保级): upgrades were stored as the history earned them; anniversaries that fell inside the
  // history are reviewed now on their own tier year's points (and the 30-day warnings written).
  await s.tiers.run();
  return { seeded: true };
}
