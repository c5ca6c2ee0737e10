import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { addStoresAndStaff, countRows, loginMember, staffToken, startTestApp, type TestApp } from './helpers';

/**
 * Dispute images (issue 11 item 2): the member uploads up to 3 pictures through POST /me/uploads (type read from
 * the bytes, PNG/JPEG/WebP, 2 MB, an hourly per-member limit), stored as real files by content hash, and names
 * them in POST /me/disputes; the member's list and the service queue show them. Over HTTP on the real app.
 */
const PNG = readFileSync(path.join(__dirname, '../../server/assets/rewards/americano.png'));

describe('dispute images', () => {
  let t: TestApp;
  let key = 0;

  beforeAll(async () => {
    t = await startTestApp({ now: '2026-06-15T04:00:00Z' });
    await addStoresAndStaff(t);
  });
  afterAll(() => t.close());

  const upload = async (token: string | null, body: Buffer, contentType = 'application/octet-stream') => {
    const res = await fetch(`${t.baseUrl}/api/v1/me/uploads`, { method: 'POST', headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), 'content-type': contentType }, body });
    return { status: res.status, body: (await res.json()) as any };
  };
  const stored = () => {
    const dir = path.join(t.config.dataDir, 'uploads');
    return existsSync(dir) ? readdirSync(dir).sort() : [];
  };
  const file = (token: string, body: unknown) => t.request('POST', '/api/v1/me/disputes', { token, body, headers: { 'Idempotency-Key': `img-dispute-${++key}` } });

  test('a real PNG is stored as a file and attached; the member and the service queue see it', async () => {
    const m = await loginMember(t, 'pictured-1');
    const up = await upload(m.token, PNG, 'image/png');
    expect(up.status).toBe(201);
    expect(up.body).toMatchObject({ contentType: 'image/png', bytes: PNG.length, width: 480, height: 480 });
    expect(up.body.url).toMatch(/^\/api\/v1\/uploads\/[0-9a-f]{64}\.png$/);
    const name = up.body.url.split('/').pop();
    expect(stored()).toEqual([name]);
    expect(readFileSync(path.join(t.config.dataDir, 'uploads', name)).equals(PNG)).toBe(true);
    const served = await fetch(`${t.baseUrl}${up.body.url}`);
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('image/png');

    const filed = await file(m.token, { text: '消费积分没有到账,附小票照片', images: [up.body.url] });
    expect(filed.status).toBe(201);
    expect(filed.body.dispute.images).toEqual([up.body.url]);
    const mine = await t.request('GET', '/api/v1/me/disputes', { token: m.token });
    expect(mine.body.disputes[0].images).toEqual([up.body.url]);
    const queue = await t.request('GET', '/api/v1/admin/disputes', { token: await staffToken(t, 'service') });
    expect(queue.body.disputes.find((d: any) => d.id === filed.body.dispute.id).images).toEqual([up.body.url]);
  });

  test('refused with nothing written: a renamed text file, over 2 MB, JSON, no token, a staff token; a dispute naming no stored file or 4 images', async () => {
    const m = await loginMember(t, 'pictured-2');
    const files = stored();
    const text = Buffer.from('这不是图片,只是改了扩展名的文本文件 shot.png\n');
    const renamed = await upload(m.token, text, 'image/png');
    expect(renamed.status).toBe(400);
    expect(renamed.body.error.code).toBe('UPLOAD_TYPE_UNSUPPORTED');
    const big = Buffer.alloc(2 * 1024 * 1024 + 1);
    PNG.copy(big, 0, 0, 33);
    const tooBig = await upload(m.token, big, 'image/png');
    expect(tooBig.status).toBe(413);
    expect(tooBig.body.error.code).toBe('UPLOAD_TOO_LARGE');
    expect((await upload(m.token, Buffer.from('{"image":"x"}'), 'application/json')).status).toBe(400);
    expect((await upload(null, PNG, 'image/png')).status).toBe(401);
    expect((await upload(await staffToken(t, 'service'), PNG, 'image/png')).status).toBe(403);
    expect(stored()).toEqual(files);

    const disputes = await countRows(t, 'dispute');
    const missing = await file(m.token, { text: '图片没有上传过的申诉', images: [`/api/v1/uploads/${'0'.repeat(64)}.png`] });
    expect(missing.status).toBe(400);
    expect(missing.body.error.code).toBe('VALIDATION_FAILED');
    const url = (await upload(m.token, PNG, 'image/png')).body.url;
    expect((await file(m.token, { text: '四张图片超过上限', images: [url, url, url, url] })).status).toBe(400);
    expect(await countRows(t, 'dispute')).toBe(disputes);
  });

  test('the per-member upload limit: 20 an hour, then 429 RATE_LIMITED; the next hour uploads again', async () => {
    const m = await loginMember(t, 'pictured-3');
    for (let i = 0; i < 20; i++) expect((await upload(m.token, PNG, 'image/png')).status).toBe(201);
    const over = await upload(m.token, PNG, 'image/png');
    expect(over.status).toBe(429);
    expect(over.body.error.code).toBe('RATE_LIMITED');
    const other = await loginMember(t, 'pictured-4');
    expect((await upload(other.token, PNG, 'image/png')).status).toBe(201); // per member
    t.clock.advance(3_600_000);
    expect((await upload(m.token, PNG, 'image/png')).status).toBe(201);
  });
});
