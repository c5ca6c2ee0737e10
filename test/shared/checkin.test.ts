import { currentStreak, planCheckin, streakStrip, type CheckinResult } from '../../shared/src/rules/checkin';
import { rules, TZ, at } from './fixtures';

function plan(r: CheckinResult) {
  if (!r.ok) throw new Error(`expected ok, got ${r.reason}`);
  return r.plan;
}

describe('planCheckin: streak (defaults: 1 point, +5 every 7th consecutive day)', () => {
  const NOW = '2026-06-15T04:00:00Z'; // 12:00 on 15 June in Shanghai

  test.each([
    // last check-in, now, expected day, expected streak
    ['first ever', null, NOW, '2026-06-15', 1],
    ['yesterday continues', { day: '2026-06-14', streak: 3 }, NOW, '2026-06-15', 4],
    ['one missed day starts over', { day: '2026-06-13', streak: 3 }, NOW, '2026-06-15', 1],
    ['a long gap starts over', { day: '2026-01-01', streak: 40 }, NOW, '2026-06-15', 1],
    ['yesterday across a month end', { day: '2026-05-31', streak: 2 }, '2026-06-01T04:00:00Z', '2026-06-01', 3],
    ['yesterday across a year end', { day: '2026-12-31', streak: 9 }, '2027-01-01T04:00:00Z', '2027-01-01', 10],
  ])('%s', (_name, last, now, day, streak) => {
    const p = plan(planCheckin(last, at(now), rules));
    expect(p.day).toBe(day);
    expect(p.streak).toBe(streak);
  });

  test.each([
    ['same instant of day', '2026-06-15T04:00:00Z'],
    ['first moment of the Shanghai day', '2026-06-14T16:00:00Z'],
    ['last moment of the Shanghai day', '2026-06-15T15:59:59.999Z'],
  ])('same local day -> ALREADY_CHECKED_IN (%s)', (_name, now) => {
    expect(planCheckin({ day: '2026-06-15', streak: 5 }, at(now), rules)).toEqual({ ok: false, reason: 'ALREADY_CHECKED_IN' });
  });
});

describe('planCheckin: points per streak day', () => {
  test.each([
    // streak reached today, base, bonus, total
    [1, 1, 0, 1],
    [2, 1, 0, 1],
    [6, 1, 0, 1],
    [7, 1, 5, 6],
    [8, 1, 0, 1],
    [13, 1, 0, 1],
    [14, 1, 5, 6],
    [15, 1, 0, 1],
    [21, 1, 5, 6],
    [70, 1, 5, 6],
  ])('day %d of the streak pays base %d + bonus %d = %d', (streak, base, bonus, total) => {
    const last = streak === 1 ? null : { day: '2026-06-14', streak: streak - 1 };
    const p = plan(planCheckin(last, at('2026-06-15T04:00:00Z'), rules));
    expect(p).toEqual({ day: '2026-06-15', streak, basePoints: base, bonusPoints: bonus, points: total });
  });

  test('a custom cycle: 2 points, +10 every 3rd day', () => {
    const custom = { timezone: TZ, checkin: { points: 2, bonusEveryDays: 3, bonusPoints: 10 } };
    const pays = [null, 1, 2, 3, 4, 5].map((s) => {
      const last = s === null ? null : { day: '2026-06-14', streak: s };
      return plan(planCheckin(last, at('2026-06-15T04:00:00Z'), custom)).points;
    });
    expect(pays).toEqual([2, 2, 12, 2, 2, 12]);
  });

  test('seven consecutive days, one check-in each, pay 1,1,1,1,1,1,6 then 1 on the 8th', () => {
    let last: { day: string; streak: number } | null = null;
    const paid: number[] = [];
    for (let d = 0; d < 8; d++) {
      const now = new Date(Date.parse('2026-06-10T01:00:00Z') + d * 86_400_000);
      const p = plan(planCheckin(last, now, rules));
      paid.push(p.points);
      last = { day: p.day, streak: p.streak };
    }
    expect(paid).toEqual([1, 1, 1, 1, 1, 1, 6, 1]);
    expect(last).toEqual({ day: '2026-06-17', streak: 8 });
  });
});

describe('planCheckin: midnight is Shanghai midnight, not UTC', () => {
  test.each([
    // last check-in day, now (UTC), outcome
    // 16:00Z on the 14th is already 00:00 on the 15th in Shanghai: a new day, streak continues
    [{ day: '2026-06-14', streak: 6 }, '2026-06-14T16:00:00Z', { day: '2026-06-15', streak: 7, points: 6 }],
    // 15:59:59.999Z on the 14th is still the 14th in Shanghai: already checked in
    [{ day: '2026-06-14', streak: 6 }, '2026-06-14T15:59:59.999Z', 'ALREADY_CHECKED_IN'],
    // UTC would still call this the 14th and see a missed day from the 13th; Shanghai says it is the 15th: gap of 2 -> 1
    [{ day: '2026-06-13', streak: 6 }, '2026-06-14T23:00:00Z', { day: '2026-06-15', streak: 1, points: 1 }],
    // 07:59 Shanghai on the 15th is 23:59 UTC on the 14th: still continues from the 14th (Shanghai)
    [{ day: '2026-06-14', streak: 1 }, '2026-06-14T23:59:00Z', { day: '2026-06-15', streak: 2, points: 1 }],
    // last was the 14th; the Shanghai 16th starts at 16:00Z on the 15th, so 15:59Z is still the 15th
    [{ day: '2026-06-14', streak: 3 }, '2026-06-15T15:59:59Z', { day: '2026-06-15', streak: 4, points: 1 }],
    [{ day: '2026-06-14', streak: 3 }, '2026-06-15T16:00:00Z', { day: '2026-06-16', streak: 1, points: 1 }],
  ] as [{ day: string; streak: number }, string, { day: string; streak: number; points: number } | 'ALREADY_CHECKED_IN'][])(
    'last %o, now %s -> %o',
    (last, now, want) => {
      const r = planCheckin(last, at(now), rules);
      if (want === 'ALREADY_CHECKED_IN') expect(r).toEqual({ ok: false, reason: want });
      else expect(r.ok && { day: r.plan.day, streak: r.plan.streak, points: r.plan.points }).toEqual(want);
    },
  );

  test('the same instant in UTC days would differ', () => {
    const now = at('2026-06-14T16:00:00Z');
    const utc = plan(planCheckin(null, now, { ...rules, timezone: 'UTC' }));
    const sh = plan(planCheckin(null, now, rules));
    expect([utc.day, sh.day]).toEqual(['2026-06-14', '2026-06-15']);
  });
});

describe('currentStreak', () => {
  test.each([
    // last, now, streak, checkedInToday
    ['never checked in', null, '2026-06-15T04:00:00Z', 0, false],
    ['today', { day: '2026-06-15', streak: 5 }, '2026-06-15T04:00:00Z', 5, true],
    ['yesterday (kept, not yet today)', { day: '2026-06-14', streak: 5 }, '2026-06-15T04:00:00Z', 5, false],
    ['two days ago (broken)', { day: '2026-06-13', streak: 5 }, '2026-06-15T04:00:00Z', 0, false],
    ['long ago (broken)', { day: '2025-01-01', streak: 300 }, '2026-06-15T04:00:00Z', 0, false],
    ['Shanghai midnight: yesterday becomes today-1 at 16:00Z', { day: '2026-06-14', streak: 2 }, '2026-06-14T16:00:00Z', 2, false],
    ['Shanghai 23:59:59.999 is still today', { day: '2026-06-14', streak: 2 }, '2026-06-14T15:59:59.999Z', 2, true],
    ['the streak breaks at Shanghai midnight after a missed day', { day: '2026-06-14', streak: 2 }, '2026-06-15T16:00:00Z', 0, false],
  ])('%s', (_name, last, now, streak, today) => {
    expect(currentStreak(last, at(now), TZ)).toEqual({ streak, checkedInToday: today });
  });
});

describe('streakStrip (7 positions, bonus on day 7)', () => {
  const shape = (streak: number, checkedInToday: boolean) => {
    const strip = streakStrip(streak, checkedInToday, rules);
    return {
      done: strip.filter((d) => d.done).map((d) => d.position),
      today: strip.filter((d) => d.today).map((d) => d.position),
    };
  };

  test('every strip has 7 positions; only the 7th is the bonus day and pays 1 + 5', () => {
    for (const [streak, today] of [[0, false], [3, true], [7, true], [7, false], [13, false]] as const) {
      const strip = streakStrip(streak, today, rules);
      expect(strip.map((d) => d.position)).toEqual([1, 2, 3, 4, 5, 6, 7]);
      expect(strip.map((d) => d.bonus)).toEqual([false, false, false, false, false, false, true]);
      expect(strip.map((d) => d.points)).toEqual([1, 1, 1, 1, 1, 1, 6]);
      expect(strip.filter((d) => d.today)).toHaveLength(1);
    }
  });

  test.each([
    // streak, checkedInToday, done positions, today's position
    [0, false, [], [1]],
    [1, true, [1], [1]],
    [1, false, [1], [2]],
    [3, true, [1, 2, 3], [3]],
    [3, false, [1, 2, 3], [4]],
    [6, false, [1, 2, 3, 4, 5, 6], [7]], // checking in today earns the bonus
    [6, true, [1, 2, 3, 4, 5, 6], [6]],
    [7, true, [1, 2, 3, 4, 5, 6, 7], [7]], // bonus earned today: the full cycle shows
    [7, false, [], [1]], // cycle completed yesterday: today starts a new one
    [8, true, [1], [1]],
    [13, false, [1, 2, 3, 4, 5, 6], [7]],
    [14, true, [1, 2, 3, 4, 5, 6, 7], [7]],
    [14, false, [], [1]],
  ])('streak %d, checked in today %s -> done %j, today %j', (streak, today, done, todayPos) => {
    expect(shape(streak, today)).toEqual({ done, today: todayPos });
  });

  test('a custom cycle length sets the strip length and moves the bonus', () => {
    const strip = streakStrip(2, false, { checkin: { points: 2, bonusEveryDays: 3, bonusPoints: 10 } });
    expect(strip).toEqual([
      { position: 1, points: 2, bonus: false, done: true, today: false },
      { position: 2, points: 2, bonus: false, done: true, today: false },
      { position: 3, points: 12, bonus: true, done: false, today: true },
    ]);
  });
});

describe('a last check-in later than today (the clock went back)', () => {
  test('is refused as already checked in, never paid twice', () => {
    const r = planCheckin({ day: '2026-06-16', streak: 3 }, at('2026-06-15T04:00:00Z'), rules);
    expect(r).toEqual({ ok: false, reason: 'ALREADY_CHECKED_IN' });
  });
});
