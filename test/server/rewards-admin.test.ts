import { existsSync, readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { addStoresAndStaff, countRows, grantPoints, loginMember, staffToken, startTestApp, type TestApp } from './helpers';

/** The rewards catalogue and image uploads (issue 9 items 1-2), over HTTP on the real app. */
const SHIPPED_PNG = readFileSync(path.join(__dirname, '../../server/assets/rewards/americano.png'));

/** A PNG signature and IHDR (so it sniffs as a PNG) padded to `bytes`. */
function pngOfSize(bytes: number): Buffer {
  const b = Buffer.alloc(bytes);
  SHIPPED_PNG.copy(b, 0, 0, 33);
  return b;
}

describe('rewards catalogue', () => {
  let t: TestApp;
  const tok: Record<string, string> = {};
  let key = 0;
  const newKey = () => `stock-key-${++key}`;

  beforeAll(async () => {
    t = await startTestApp();
    await addStoresAndStaff(t);
    for (const u of ['marketing', 'admin', 'service', 'clerk-a']) tok[u] = await staffToken(t, u);
  });
  afterAll(() => t.close());

  const upload = async (who: string, body: Buffer, contentType = 'application/octet-stream', name = 'picture.png') => {
    const res = await fetch(`${t.baseUrl}/api/v1/admin/uploads?name=${encodeURIComponent(name)}`, { method: 'POST', headers: { authorization: `Bearer ${tok[who]}`, 'content-type': contentType }, body });
    return { status: res.status, body: (await res.json()) as any };
  };
  const uploadedFiles = () => {
    const dir = path.join(t.config.dataDir, 'uploads');
    return existsSync(dir) ? readdirSync(dir) : [];
  };
  const create = (who: string, body: unknown) => t.request('POST', '/api/v1/admin/rewards', { token: tok[who], body });
  const stock = (who: string, id: number, body: unknown, k: string | null = newKey()) =>
    t.request('POST', `/api/v1/admin/rewards/${id}/stock`, { token: tok[who], body, headers: k ? { 'Idempotency-Key': k } : {} });
  const minimal = (title: string) => ({ title, faceValueFen: 1000, costFen: 600, pointsPrice: 1000, stock: 20, status: 'on_sale' });

  test('a minimal body puts a reward on the shelf with its face value; without status it is a draft, off the shelf', async () => {
    const member = await loginMember(t, 'shelf-minimal');
    const res = await create('marketing', minimal('10元代金券'));
    expect(res.status).toBe(201);
    expect(res.body.reward).toMatchObject({ title: '10元代金券', faceValueFen: 1000, costFen: 600, pointsPrice: 1000, stock: 20, status: 'on_sale', images: [], redeemedCount: 0, category: '', minTier: null });
    const draft = await create('admin', { title: '草稿商品', faceValueFen: 500, costFen: 100, pointsPrice: 500, stock: 5 });
    expect(draft.body.reward.status).toBe('draft');
    const shelf = await t.request('GET', '/api/v1/rewards', { token: member.token });
    const titles = shelf.body.rewards.map((r: { title: string }) => r.title);
    expect(titles).toContain('10元代金券');
    expect(titles).not.toContain('草稿商品');
    const onShelf = shelf.body.rewards.find((r: { title: string }) => r.title === '10元代金券');
    expect(onShelf).toMatchObject({ faceValueFen: 1000, pointsPrice: 1000, images: [], imageUrl: `/api/v1/assets/rewards/${res.body.reward.id}.svg` });
    // The opening stock is a movement row; the price the first history row.
    const detail = await t.request('GET', `/api/v1/admin/rewards/${res.body.reward.id}`, { token: tok.marketing });
    expect(detail.body.stockMovements).toEqual([expect.objectContaining({ delta: 20, stockAfter: 20, kind: 'initial', actor: 'marketing' })]);
    expect(detail.body.priceHistory).toEqual([expect.objectContaining({ pointsPrice: 1000, faceValueFen: 1000, costFen: 600, changedBy: 'marketing' })]);
  });

  test('a reward created with an uploaded image appears on the member shelf with that image, served immutable', async () => {
    const up = await upload('marketing', SHIPPED_PNG, 'image/png', 'americano.png');
    expect(up.status).toBe(201);
    expect(up.body).toMatchObject({ contentType: 'image/png', bytes: SHIPPED_PNG.length, width: 480, height: 480 });
    expect(up.body.url).toBe(`/api/v1/uploads/${up.body.sha256}.png`);
    expect(uploadedFiles()).toContain(`${up.body.sha256}.png`);
    // The same bytes again: the same name, still one file.
    expect((await upload('admin', SHIPPED_PNG)).body.url).toBe(up.body.url);
    expect(uploadedFiles().filter((f) => f.startsWith(up.body.sha256))).toHaveLength(1);

    const created = await create('marketing', { ...minimal('美式咖啡'), faceValueFen: 2200, pointsPrice: 2200, images: [up.body.url], category: '饮品', description: '大杯' });
    expect(created.status).toBe(201);
    const member = await loginMember(t, 'shelf-image');
    const shelf = await t.request('GET', '/api/v1/rewards', { token: member.token });
    const item = shelf.body.rewards.find((r: { id: number }) => r.id === created.body.reward.id);
    expect(item).toMatchObject({ imageUrl: up.body.url, images: [up.body.url], faceValueFen: 2200, category: '饮品' });
    const img = await fetch(t.baseUrl + item.imageUrl);
    expect(img.status).toBe(200);
    expect(img.headers.get('content-type')).toBe('image/png');
    expect(img.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(Buffer.from(await img.arrayBuffer()).equals(SHIPPED_PNG)).toBe(true);
    // A revalidation answers 304 (node:http, since fetch adds Cache-Control: no-cache to a conditional request).
    const again = await new Promise<number>((resolve, reject) =>
      http.get(t.baseUrl + item.imageUrl, { headers: { 'if-none-match': img.headers.get('etag')! } }, (res) => {
        res.resume();
        resolve(res.statusCode!);
      }).on('error', reject),
    );
    expect(again).toBe(304);
    expect((await fetch(`${t.baseUrl}/api/v1/uploads/${'0'.repeat(64)}.png`)).status).toBe(404);
    const audit = await t.ds.query("SELECT action, actor_name, target_id FROM audit_log WHERE action = 'upload.create' ORDER BY id");
    expect(audit).toEqual([
      { action: 'upload.create', actor_name: 'marketing', target_id: up.body.sha256 },
      { action: 'upload.create', actor_name: 'admin', target_id: up.body.sha256 },
    ]);
  });

  test('JPEG and WebP are recognised by their bytes whatever the declared type or name', async () => {
    const jpeg = Buffer.concat([
      Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]),
      Buffer.from('JFIF\0', 'latin1'),
      Buffer.from([1, 1, 0, 0, 1, 0, 1, 0, 0]),
      Buffer.from([0xff, 0xc0, 0x00, 0x11, 0x08, 0x00, 0x20, 0x00, 0x40, 0x03, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]),
      Buffer.alloc(64),
    ]);
    const j = await upload('admin', jpeg, 'application/octet-stream', 'photo.png');
    expect(j.body).toMatchObject({ contentType: 'image/jpeg', width: 64, height: 32 });
    expect(j.body.url).toMatch(/\.jpg$/);
    const webp = Buffer.alloc(40);
    webp.write('RIFF', 0, 'latin1');
    webp.writeUInt32LE(32, 4);
    webp.write('WEBPVP8X', 8, 'latin1');
    webp.writeUInt32LE(10, 16);
    webp.writeUIntLE(299, 24, 3);
    webp.writeUIntLE(199, 27, 3);
    const w = await upload('admin', webp, 'image/png', 'x.png');
    expect(w.body).toMatchObject({ contentType: 'image/webp', width: 300, height: 200 });
    const served = await fetch(t.baseUrl + w.body.url);
    expect(served.headers.get('content-type')).toBe('image/webp');
  });

  test('a text file named .png, a 3 MB image, a GIF, a JSON body: refused, nothing written', async () => {
    const before = { files: uploadedFiles().length, audit: await countRows(t, 'audit_log') };
    const text = await upload('marketing', Buffer.from('这不是图片 just some notes\n'.repeat(20)), 'image/png', 'notes.png');
    expect(text).toEqual({ status: 400, body: { error: expect.objectContaining({ code: 'UPLOAD_TYPE_UNSUPPORTED' }) } });
    const big = await upload('marketing', pngOfSize(3 * 1024 * 1024), 'image/png', 'big.png');
    expect(big.status).toBe(413);
    expect(big.body.error.code).toBe('UPLOAD_TOO_LARGE');
    const gif = await upload('marketing', Buffer.concat([Buffer.from('GIF89a'), Buffer.alloc(64)]), 'image/gif', 'a.gif');
    expect(gif.status).toBe(400);
    const json = await t.request('POST', '/api/v1/admin/uploads', { token: tok.marketing, body: { image: 'x' } });
    expect(json.status).toBe(400);
    // Exactly 2 MB is still accepted by size (then stored); 2 MB + 1 byte is not.
    expect((await upload('marketing', pngOfSize(2 * 1024 * 1024 + 1))).status).toBe(413);
    expect(uploadedFiles()).toHaveLength(before.files);
    expect(await countRows(t, 'audit_log')).toBe(before.audit);
    // A reward cannot name an image that was never uploaded.
    const bad = await create('marketing', { ...minimal('无图'), images: [`/api/v1/uploads/${'a'.repeat(64)}.png`] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details).toEqual([expect.objectContaining({ path: 'images' })]);
  });

  test('a price edit keeps the history; stock is not edited by PATCH; every write is audited', async () => {
    const r = (await create('marketing', minimal('拿铁'))).body.reward;
    const patched = await t.request('PATCH', `/api/v1/admin/rewards/${r.id}`, { token: tok.admin, body: { pointsPrice: 900, costFen: 550, title: '拿铁咖啡' } });
    expect(patched.status).toBe(200);
    expect(patched.body.reward).toMatchObject({ pointsPrice: 900, costFen: 550, faceValueFen: 1000, title: '拿铁咖啡' });
    await t.request('PATCH', `/api/v1/admin/rewards/${r.id}`, { token: tok.marketing, body: { description: '热饮' } }); // no price change: no history row
    const detail = await t.request('GET', `/api/v1/admin/rewards/${r.id}`, { token: tok.admin });
    expect(detail.body.priceHistory.map((p: { pointsPrice: number; costFen: number; changedBy: string }) => [p.pointsPrice, p.costFen, p.changedBy])).toEqual([
      [900, 550, 'admin'],
      [1000, 600, 'marketing'],
    ]);
    const stockPatch = await t.request('PATCH', `/api/v1/admin/rewards/${r.id}`, { token: tok.admin, body: { stock: 999 } });
    expect(stockPatch.status).toBe(400);
    const noop = await t.request('PATCH', `/api/v1/admin/rewards/${r.id}`, { token: tok.admin, body: { title: '拿铁咖啡' } });
    expect(noop.status).toBe(200);
    const badWindow = await t.request('PATCH', `/api/v1/admin/rewards/${r.id}`, { token: tok.admin, body: { activeFrom: '2026-07-01T10:00', activeTo: '2026-06-01T10:00' } });
    expect(badWindow.status).toBe(400);
    const badTier = await t.request('PATCH', `/api/v1/admin/rewards/${r.id}`, { token: tok.admin, body: { minTier: 'platinum' } });
    expect(badTier.status).toBe(400);
    const audit = await t.ds.query("SELECT action, actor_name, `before`, `after` FROM audit_log WHERE target_type = 'reward' AND target_id = ? ORDER BY id", [String(r.id)]);
    expect(audit.map((a: { action: string; actor_name: string }) => [a.action, a.actor_name])).toEqual([
      ['reward.create', 'marketing'],
      ['reward.update', 'admin'],
      ['reward.update', 'marketing'],
    ]);
    expect(JSON.parse(audit[1].before)).toMatchObject({ pointsPrice: 1000, title: '拿铁' });
    expect(JSON.parse(audit[1].after)).toMatchObject({ pointsPrice: 900, title: '拿铁咖啡' });
  });

  test('a redeemed reward is retired, never deleted: off the shelf, its redemption kept', async () => {
    const r = (await create('marketing', { ...minimal('徽章'), faceValueFen: 100, costFen: 60, pointsPrice: 100 })).body.reward;
    const member = await loginMember(t, 'retire');
    await grantPoints(t, member.id, 500);
    const red = await t.request('POST', '/api/v1/me/redemptions', { token: member.token, body: { rewardId: r.id, quantity: 1 }, headers: { 'Idempotency-Key': 'retire-redeem-1' } });
    expect(red.status).toBe(201);
    expect((await t.request('DELETE', `/api/v1/admin/rewards/${r.id}`, { token: tok.admin })).status).toBeGreaterThanOrEqual(404);
    const retired = await t.request('PATCH', `/api/v1/admin/rewards/${r.id}`, { token: tok.admin, body: { status: 'retired' } });
    expect(retired.body.reward).toMatchObject({ status: 'retired', redeemedCount: 1, stock: 19 });
    const shelf = await t.request('GET', '/api/v1/rewards', { token: member.token });
    expect(shelf.body.rewards.map((x: { id: number }) => x.id)).not.toContain(r.id);
    const mine = await t.request('GET', '/api/v1/me/redemptions', { token: member.token });
    expect(mine.body.redemptions[0]).toMatchObject({ rewardId: r.id, rewardTitle: '徽章' });
    const list = await t.request('GET', '/api/v1/admin/rewards?status=retired', { token: tok.marketing });
    expect(list.body.rewards.map((x: { id: number }) => x.id)).toEqual([r.id]);
    expect((await t.ds.query("SELECT action FROM audit_log WHERE target_type = 'reward' AND target_id = ? ORDER BY id DESC", [String(r.id)]))[0].action).toBe('reward.retired');
  });

  test('stock moves once per key, never below zero; a refused move writes nothing', async () => {
    const r = (await create('admin', { ...minimal('面包'), stock: 5 })).body.reward;
    const k = newKey();
    const first = await stock('marketing', r.id, { delta: 10, reason: '到货' }, k);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ reward: { stock: 15 }, movement: { delta: 10, stockAfter: 15, kind: 'adjust', reason: '到货', actor: 'marketing' } });
    const replay = await stock('marketing', r.id, { delta: 10, reason: '到货' }, k);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.body).toEqual(first.body);
    expect((await stock('marketing', r.id, { delta: 11, reason: '到货' }, k)).status).toBe(409); // same key, other body
    const before = { moves: await countRows(t, 'reward_stock_movement'), audit: await countRows(t, 'audit_log') };
    const under = await stock('marketing', r.id, { delta: -16, reason: '报损' });
    expect(under.status).toBe(409);
    expect(under.body.error.code).toBe('STOCK_BELOW_ZERO');
    expect((await stock('marketing', r.id, { delta: 0, reason: 'x' })).status).toBe(400);
    expect((await stock('marketing', r.id, { delta: 1, reason: 'x' }, null)).status).toBe(400); // no key
    expect((await stock('marketing', 999999, { delta: 1, reason: 'x' })).status).toBe(404);
    expect({ moves: await countRows(t, 'reward_stock_movement'), audit: await countRows(t, 'audit_log') }).toEqual(before);
    const zero = await stock('admin', r.id, { delta: -15, reason: '报损' });
    expect(zero.body.reward.stock).toBe(0);
    const list = await t.request('GET', '/api/v1/admin/rewards?lowStock=1', { token: tok.admin });
    expect(list.body.rewards.map((x: { id: number }) => x.id)).toContain(r.id);
  });

  test('50 concurrent redemptions and staff stock edits: stock never below zero, stock = sum of its movements', async () => {
    const r = (await create('admin', { ...minimal('限量杯'), faceValueFen: 100, costFen: 60, pointsPrice: 100, stock: 30 })).body.reward;
    const members = [];
    for (let i = 0; i < 50; i++) {
      const m = await loginMember(t, `race-${i}`);
      await grantPoints(t, m.id, 1000);
      members.push(m);
    }
    const redemptions = members.map((m, i) => t.request('POST', '/api/v1/me/redemptions', { token: m.token, body: { rewardId: r.id, quantity: 1 }, headers: { 'Idempotency-Key': `race-redeem-${i}` } }));
    // Staff write off and restock at the same time: 10 write-offs of 3, 5 restocks of 2.
    const edits = [...Array.from({ length: 10 }, () => -3), ...Array.from({ length: 5 }, () => 2)].map((delta, i) => stock(i % 2 ? 'admin' : 'marketing', r.id, { delta, reason: delta < 0 ? '报损' : '补货' }));
    const [redeemed, edited] = await Promise.all([Promise.all(redemptions), Promise.all(edits)]);
    const ok = redeemed.filter((x) => x.status === 201).length;
    expect(redeemed.filter((x) => x.status !== 201).every((x) => x.status === 409 && x.body.error.code === 'OUT_OF_STOCK')).toBe(true);
    expect(edited.every((x) => x.status === 200 || (x.status === 409 && x.body.error.code === 'STOCK_BELOW_ZERO'))).toBe(true);
    const appliedEdits = edited.filter((x) => x.status === 200).reduce((sum, x) => sum + x.body.movement.delta, 0);
    const row = (await t.ds.query('SELECT stock FROM reward WHERE id = ?', [r.id]))[0];
    const stockNow = Number(row.stock);
    expect(stockNow).toBeGreaterThanOrEqual(0);
    expect(stockNow).toBe(30 - ok + appliedEdits);
    const moves = await t.ds.query('SELECT delta, stock_after FROM reward_stock_movement WHERE reward_id = ? ORDER BY id', [r.id]);
    expect(moves.reduce((s: number, m: { delta: number }) => s + Number(m.delta), 0)).toBe(stockNow);
    expect(moves.every((m: { stock_after: number }) => Number(m.stock_after) >= 0)).toBe(true);
    expect(moves.filter((m: { delta: number }) => Number(m.delta) === -1)).toHaveLength(ok);
    expect(Number((await t.ds.query('SELECT COUNT(*) AS n FROM redemption WHERE reward_id = ?', [r.id]))[0].n)).toBe(ok);
    expect(await t.verify()).toEqual([]);
  }, 120_000);

  test('roles: marketing and admin run the catalogue; service, clerks and members are refused and write nothing', async () => {
    const r = (await create('admin', minimal('角色测试'))).body.reward;
    const member = await loginMember(t, 'roles');
    const before = { rewards: await countRows(t, 'reward'), files: uploadedFiles().length };
    for (const token of [tok.service, tok['clerk-a'], member.token]) {
      expect((await t.request('GET', '/api/v1/admin/rewards', { token })).status).toBe(403);
      expect((await t.request('POST', '/api/v1/admin/rewards', { token, body: minimal('越权') })).status).toBe(403);
      expect((await t.request('PATCH', `/api/v1/admin/rewards/${r.id}`, { token, body: { status: 'paused' } })).status).toBe(403);
      expect((await t.request('POST', `/api/v1/admin/rewards/${r.id}/stock`, { token, body: { delta: 5, reason: 'x' }, headers: { 'Idempotency-Key': newKey() } })).status).toBe(403);
      const up = await fetch(`${t.baseUrl}/api/v1/admin/uploads`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'image/png' }, body: pngOfSize(100) });
      expect(up.status).toBe(403);
    }
    expect({ rewards: await countRows(t, 'reward'), files: uploadedFiles().length }).toEqual(before);
    for (const who of ['marketing', 'admin']) {
      expect((await t.request('GET', '/api/v1/admin/rewards', { token: tok[who] })).status).toBe(200);
      expect((await t.request('PATCH', `/api/v1/admin/rewards/${r.id}`, { token: tok[who], body: { category: who } })).status).toBe(200);
    }
  });

  test('dashboard: low stock and rewards about to end', async () => {
    const r = (await create('admin', { ...minimal('快结束'), stock: 3, activeTo: '2026-06-18T22:00' })).body.reward; // the clock is 2026-06-15 12:00
    expect(r.activeTo).toBe('2026-06-18T22:00');
    const dash = await t.request('GET', '/api/v1/admin/dashboard', { token: tok.admin });
    const card = (k: string) => dash.body.cards.find((c: { key: string }) => c.key === k);
    expect(card('rewards-low-stock')).toMatchObject({ tone: 'attention', link: { page: 'rewards', query: { lowStock: '1' } } });
    expect(card('rewards-low-stock').value).toBeGreaterThanOrEqual(1);
    expect(card('rewards-ending')).toMatchObject({ value: 1, tone: 'attention', link: { page: 'rewards' } });
    const ending = await t.request('GET', '/api/v1/admin/rewards?ending=1', { token: tok.admin });
    expect(ending.body.rewards.map((x: { id: number }) => x.id)).toEqual([r.id]);
  });
});
