import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { addStoresAndStaff, countRows, loginMember, staffToken, startTestApp, type TestApp } from './helpers';

/**
 * Dispute images (issue 11 item 2): the member uploads up to 3 pictures through POST /me/uploads (type read from
 * the bytes, PNG/JPEG/WebP, 2 MB, an hourly per-member limit), stored as real files by content hash, and names
 * them in POST /me/disputes; the member's list and the service queue show them. They are PRIVATE: kept in the
 * member's own folder, never at the public /uploads/ URL, read only at signed URLs that expire. Over HTTP.
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
  /** Every stored file, public and private, as paths under the data dir. */
  const stored = () => {
    const out: string[] = [];
    for (const top of ['uploads', 'private-uploads']) {
      const walk = (rel: string) => {
        const dir = path.join(t.config.dataDir, rel);
        if (!existsSync(dir)) return;
        for (const e of readdirSync(dir, { withFileTypes: true })) (e.isDirectory() ? walk : (x: string) => out.push(x))(`${rel}/${e.name}`);
      };
      walk(top);
    }
    return out.sort();
  };
  const get = (url: string) => fetch(`${t.baseUrl}${url}`);
  const errorOf = async (res: Response) => ((await res.json()) as any).error.code;
  const file = (token: string, body: unknown) => t.request('POST', '/api/v1/me/disputes', { token, body, headers: { 'Idempotency-Key': `img-dispute-${++key}` } });

  test('a real PNG is stored as a file and attached; the member and the service queue see it', async () => {
    const m = await loginMember(t, 'pictured-1');
    const up = await upload(m.token, PNG, 'image/png');
    expect(up.status).toBe(201);
    expect(up.body).toMatchObject({ contentType: 'image/png', bytes: PNG.length, width: 480, height: 480 });
    const signed = new RegExp(`^/api/v1/private-uploads/${m.id}/([0-9a-f]{64}\\.png)\\?exp=\\d+&sig=[A-Za-z0-9_-]{43}$`);
    expect(up.body.url).toMatch(signed);
    const name = signed.exec(up.body.url)![1]!;
    expect(name).toBe(`${up.body.sha256}.png`);
    expect(stored()).toEqual([`private-uploads/${m.id}/${name}`]);
    expect(readFileSync(path.join(t.config.dataDir, 'private-uploads', String(m.id), name)).equals(PNG)).toBe(true);
    const served = await get(up.body.url);
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('image/png');
    expect(served.headers.get('cache-control')).toBe('private, max-age=900');
    expect(Buffer.from(await served.arrayBuffer()).equals(PNG)).toBe(true);
    // Never at the public URL of the same content name, with or without the signature.
    expect((await get(`/api/v1/uploads/${name}`)).status).toBe(404);
    expect((await get(`/api/v1/uploads/${name}?${up.body.url.split('?')[1]}`)).status).toBe(404);

    const filed = await file(m.token, { text: '消费积分没有到账,附小票照片', images: [up.body.url] });
    expect(filed.status).toBe(201);
    expect(filed.body.dispute.images).toEqual([expect.stringMatching(signed)]);
    // The owner's list signs a fresh URL that works.
    t.clock.advance(60_000);
    const mine = await t.request('GET', '/api/v1/me/disputes', { token: m.token });
    const mineUrl: string = mine.body.disputes[0].images[0];
    expect(mineUrl).toMatch(signed);
    expect(mineUrl).not.toBe(up.body.url);
    expect((await get(mineUrl)).status).toBe(200);
    // Service staff (the disputes permission) get a signed URL that works too.
    const queue = await t.request('GET', '/api/v1/admin/disputes', { token: await staffToken(t, 'service') });
    const staffUrl: string = queue.body.disputes.find((d: any) => d.id === filed.body.dispute.id).images[0];
    expect(staffUrl).toMatch(signed);
    const seen = await get(staffUrl);
    expect(seen.status).toBe(200);
    expect(Buffer.from(await seen.arrayBuffer()).equals(PNG)).toBe(true);
    // A clerk has no disputes permission: no list, so no URL.
    expect((await t.request('GET', '/api/v1/admin/disputes', { token: await staffToken(t, 'clerk-a') })).status).toBe(403);
  });

  test('an expired link (the clock moved past it) and a tampered one are refused with a clear code', async () => {
    const m = await loginMember(t, 'pictured-5');
    const other = await loginMember(t, 'pictured-6');
    const url: string = (await upload(m.token, PNG, 'image/png')).body.url;
    const [base, query] = url.split('?') as [string, string];
    const params = new URLSearchParams(query);
    const exp = params.get('exp')!;
    const sig = params.get('sig')!;
    expect(Number(exp)).toBe(t.clock().getTime() + 15 * 60_000);

    // Tampered: another signature, a later expiry, another member's folder, another file, none at all.
    const flipped = (sig[0] === 'A' ? 'B' : 'A') + sig.slice(1);
    const otherFile = base.replace(/[0-9a-f]{64}/, 'f'.repeat(64));
    for (const bad of [
      `${base}?exp=${exp}&sig=${flipped}`,
      `${base}?exp=${Number(exp) + 3_600_000}&sig=${sig}`,
      `${base.replace(`/${m.id}/`, `/${other.id}/`)}?exp=${exp}&sig=${sig}`,
      `${otherFile}?exp=${exp}&sig=${sig}`,
      base,
      `${base}?exp=${exp}`,
    ]) {
      const res = await get(bad);
      expect([bad, res.status]).toEqual([bad, 403]);
      expect(await errorOf(res)).toBe('UPLOAD_LINK_INVALID');
    }
    // Just before the expiry it works; at the expiry it is refused as expired.
    t.clock.advance(15 * 60_000 - 1);
    expect((await get(url)).status).toBe(200);
    t.clock.advance(1);
    const late = await get(url);
    expect(late.status).toBe(403);
    expect(await errorOf(late)).toBe('UPLOAD_LINK_EXPIRED');
    // A correctly signed link to a file that is not stored: 404.
    const ghost = await t.services.privateUploads.signedUrl(m.id, `${'e'.repeat(64)}.png`);
    const gone = await get(ghost);
    expect(gone.status).toBe(404);
    expect(await errorOf(gone)).toBe('NOT_FOUND');
    // The member can still attach their own upload after the link expired (the folder says whose it is).
    const filed = await file(m.token, { text: '过期链接的图片仍是本人的上传', images: [url] });
    expect(filed.status).toBe(201);
    expect((await get(filed.body.dispute.images[0])).status).toBe(200);
  });

  test("another member cannot attach someone else's upload, nor a public reward image; nothing is written", async () => {
    const owner = await loginMember(t, 'pictured-7');
    const thief = await loginMember(t, 'pictured-8');
    const url: string = (await upload(owner.token, PNG, 'image/png')).body.url;
    const disputes = await countRows(t, 'dispute');
    const stolen = await file(thief.token, { text: '拿别人的图片来申诉', images: [url] });
    expect(stolen.status).toBe(400);
    expect(stolen.body.error.code).toBe('VALIDATION_FAILED');
    // Rewritten to the thief's own folder: no such file of theirs.
    const rewritten = url.replace(`/${owner.id}/`, `/${thief.id}/`);
    expect((await file(thief.token, { text: '改了路径的别人的图片', images: [rewritten] })).status).toBe(400);
    // A public reward image is not a member's upload.
    const reward = await t.services.uploads.store(PNG);
    expect((await file(thief.token, { text: '公开的商品图片不是本人上传', images: [reward.url] })).status).toBe(400);
    expect(await countRows(t, 'dispute')).toBe(disputes);
    // The thief's own list never shows the owner's dispute; the same bytes uploaded by the thief are their own copy.
    expect((await file(owner.token, { text: '本人的图片本人的申诉', images: [url] })).status).toBe(201);
    const theirs = await t.request('GET', '/api/v1/me/disputes', { token: thief.token });
    expect(theirs.body.disputes).toEqual([]);
    const own = (await upload(thief.token, PNG, 'image/png')).body.url;
    expect(own).toContain(`/private-uploads/${thief.id}/`);
    expect((await file(thief.token, { text: '同样的图片由本人上传', images: [own] })).status).toBe(201);
    // Reward images stay public.
    expect((await get(reward.url)).status).toBe(200);
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
    const missing = await file(m.token, { text: '图片没有上传过的申诉', images: [`/api/v1/private-uploads/${m.id}/${'0'.repeat(64)}.png`] });
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
