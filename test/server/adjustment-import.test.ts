import { AdjustmentImportsService } from '../../server/src/services/adjustment-imports.service';
import { addStoresAndStaff, countRows, grantPoints, loginMember, staffToken, startTestApp, type TestApp } from './helpers';

/** Bulk adjustments from a CSV (issue 9 item 5): preview without writing, commit exactly once, resumable. */
describe('adjustment import', () => {
  let t: TestApp;
  let admin: string;
  const members: { id: number; phone: string }[] = [];

  beforeAll(async () => {
    t = await startTestApp();
    await addStoresAndStaff(t);
    admin = await staffToken(t, 'admin');
    for (let i = 0; i < 20; i++) {
      const m = await loginMember(t, `imp-${i}`);
      const phone = `1390000${String(i).padStart(4, '0')}`;
      expect((await t.request('POST', '/api/v1/me/phone', { token: m.token, body: { code: `dev:${phone}` } })).status).toBe(200);
      members.push({ id: m.id, phone });
    }
  });
  afterAll(() => t.close());

  const upload = (csv: string | Buffer, name = 'points.csv', token = admin) =>
    fetch(`${t.baseUrl}/api/v1/admin/adjustments/imports?name=${encodeURIComponent(name)}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' },
      body: csv,
    }).then(async (r) => ({ status: r.status, body: (await r.json()) as any }));
  const commit = (id: number) => t.request('POST', `/api/v1/admin/adjustments/imports/${id}/commit`, { token: admin });

  test('1,000 rows with 3 bad ones: the preview names 3 lines and writes no ledger row; two commits at once apply 997 exactly once', async () => {
    const lines = ['手机号或会员号,积分,原因'];
    let expected = 0;
    for (let i = 0; i < 1000; i++) {
      const m = members[i % members.length]!;
      const key = i % 2 === 0 ? m.phone : String(m.id).padStart(6, '0');
      const points = 1 + (i % 50);
      if (i === 10) lines.push(`19999999999,${points},"找不到的会员"`);
      else if (i === 500) lines.push(`${key},abc,积分不是数字`);
      else if (i === 998) lines.push(`${key},${points},`);
      else {
        lines.push(`${key},${points},"春季活动补发, 第${i}行"`);
        expected += points;
      }
    }
    const before = { ledger: await countRows(t, 'ledger_entry'), lots: await countRows(t, 'points_lot') };
    const preview = await upload(lines.join('\n'));
    expect(preview.status).toBe(201);
    expect(preview.body).toEqual({ id: expect.any(Number), valid: 997, invalid: [{ line: 12, reason: expect.stringContaining('找不到') }, { line: 502, reason: '积分必须是整数' }, { line: 1000, reason: expect.stringContaining('原因') }], totalPoints: expected });
    expect({ ledger: await countRows(t, 'ledger_entry'), lots: await countRows(t, 'points_lot') }).toEqual(before);
    expect(await countRows(t, 'adjustment_import_row')).toBe(1000);

    const [a, b] = await Promise.all([commit(preview.body.id), commit(preview.body.id)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(a.body).toEqual({ id: preview.body.id, applied: 997, failed: 0, status: 'committed' });
    expect(b.body).toEqual(a.body);
    const again = await commit(preview.body.id);
    expect(again.body).toEqual(a.body);
    const booked = await t.ds.query("SELECT COUNT(*) AS n, SUM(delta) AS s, COUNT(DISTINCT ref_id) AS d FROM ledger_entry WHERE ref_type = 'adjustment_import'");
    expect([Number(booked[0].n), Number(booked[0].s), Number(booked[0].d)]).toEqual([997, expected, 997]);
    const got = await t.request('GET', `/api/v1/admin/adjustments/imports/${preview.body.id}`, { token: admin });
    expect(got.body).toMatchObject({ status: 'committed', rows: 1000, valid: 997, applied: 997, failed: 0, fileName: 'points.csv', totalPoints: expected });
    expect(got.body.invalid).toHaveLength(3);
    expect(await t.verify()).toEqual([]);

    // The member sees each row in 明细 with its reason; the result downloads as CSV for Excel.
    const m0 = await t.request('GET', '/api/v1/me/ledger?limit=1', { token: (await loginMember(t, 'imp-0')).token });
    expect(m0.body.entries[0]).toMatchObject({ code: 'ADJUST', reason: expect.stringContaining('春季活动补发') });
    const res = await fetch(`${t.baseUrl}/api/v1/admin/adjustments/imports/${preview.body.id}/result.csv`, { headers: { authorization: `Bearer ${admin}` } });
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const text = await res.text(); // fetch strips the BOM while decoding: read the bytes for it
    const csvLines = text.split('\r\n');
    expect(csvLines[0]).toBe('行号,会员(文件中),会员号,积分,原因,结果,说明,流水号');
    expect(csvLines).toHaveLength(1002); // header, 1000 lines, the final CRLF
    expect(csvLines[2]).toMatch(/^3,13900000001|^3,0/);
    expect(csvLines.find((l) => l.startsWith('12,'))).toMatch(/^12,19999999999,,11,找不到的会员,无效,/);
    expect(csvLines.filter((l) => l.includes(',已入账,'))).toHaveLength(997);
  });

  test('Excel files: BOM + CRLF, quoted fields with commas and quotes, GB18030; no header row', async () => {
    const m = members[0]!;
    const crlf = `\ufeff${m.phone},10,"说""明"", 含逗号"\r\n${String(m.id).padStart(6, '0')},-5,扣回\r\n\r\n`;
    const p = await upload(Buffer.from(crlf, 'utf8'));
    expect(p.body).toMatchObject({ valid: 2, invalid: [], totalPoints: 5 });
    const rows = await t.ds.query('SELECT line, member_key, points, reason FROM adjustment_import_row WHERE import_id = ? ORDER BY line', [p.body.id]);
    expect(rows).toEqual([
      { line: 1, member_key: m.phone, points: 10, reason: '说"明", 含逗号' },
      { line: 2, member_key: String(m.id).padStart(6, '0'), points: -5, reason: '扣回' },
    ]);
    // GB18030 as Excel's plain "CSV" saves it on a Chinese Windows.
    const gb = Buffer.from([...Buffer.from(`${m.phone},7,`), 0xb2, 0xb9, 0xb7, 0xa2, 0x0d, 0x0a]); // 补发
    const g = await upload(gb);
    expect(g.body).toMatchObject({ valid: 1, invalid: [] });
    expect((await t.ds.query('SELECT reason FROM adjustment_import_row WHERE import_id = ?', [g.body.id]))[0].reason).toBe('补发');
  });

  test('a debit the member cannot cover fails that row only; the rest apply', async () => {
    const m = await loginMember(t, 'imp-poor');
    await grantPoints(t, m.id, 10);
    const p = await upload(`${m.id},-50,扣回超额\n${m.id},20,补发\n${m.id},-25,扣回\n`);
    const c = await commit(p.body.id);
    // Rows run in line order: -50 fails (10 available), +20 → 30, -25 → 5.
    expect(c.body).toMatchObject({ applied: 2, failed: 1 });
    const acc = await t.ds.query('SELECT balance FROM member_account WHERE member_id = ?', [m.id]);
    expect(acc[0].balance).toBe(5);
    const res = await fetch(`${t.baseUrl}/api/v1/admin/adjustments/imports/${p.body.id}/result.csv`, { headers: { authorization: `Bearer ${admin}` } });
    expect((await res.text()).split('\r\n')[1]).toMatch(/^1,\d+,\d+,-50,扣回超额,失败,"积分不足,未扣减",$/);
    expect(await t.verify()).toEqual([]);
  });

  test('an imported credit repays a debt first, as a single credit would', async () => {
    const m = await loginMember(t, 'imp-debt');
    const debt = await t.request('POST', `/api/v1/admin/members/${m.id}/adjustments`, { token: admin, body: { points: -30, reason: '扣回欺诈所得', allowDebt: true }, headers: { 'Idempotency-Key': 'imp-debt-key-1' } });
    expect(debt.body.balance).toBe(-30);
    const p = await upload(`${m.id},100,补发\n${m.id},5,再补\n`);
    expect((await commit(p.body.id)).body).toMatchObject({ applied: 2 });
    const acc = await t.ds.query('SELECT balance, debt FROM member_account WHERE member_id = ?', [m.id]);
    expect([acc[0].balance, acc[0].debt]).toEqual([75, 0]);
    const lots = await t.ds.query("SELECT amount, remaining FROM points_lot WHERE member_id = ? AND ref_type = 'adjustment_import' ORDER BY id", [m.id]);
    expect(lots).toEqual([{ amount: 100, remaining: 70 }, { amount: 5, remaining: 5 }]);
    expect(await t.verify()).toEqual([]);
  });

  test('a crash after some batches: the next commit continues where the last one stopped, each row once', async () => {
    const svc = new AdjustmentImportsService(t.services.tx, t.services.ledger, t.services.audit, t.clock, 7);
    const lines = members.map((m, i) => `${m.phone},${i + 1},断点续传`).join('\n');
    const p = await upload(lines);
    const actor = { staffId: 1, username: 'admin', role: 'admin' as const, storeId: null, ip: '127.0.0.1', requestId: 'test' };
    // Start the commit as the service does, run two batches of 7, then "crash" (stop calling).
    await t.ds.query("UPDATE adjustment_import SET status = 'committing', committed_by = 1 WHERE id = ?", [p.body.id]);
    expect(await svc.step(p.body.id, actor)).toBe(false);
    expect(await svc.step(p.body.id, actor)).toBe(false);
    const mid = await t.request('GET', `/api/v1/admin/adjustments/imports/${p.body.id}`, { token: admin });
    expect(mid.body).toMatchObject({ status: 'committing', applied: 14 });
    const c = await commit(p.body.id);
    expect(c.body).toEqual({ id: p.body.id, applied: 20, failed: 0, status: 'committed' });
    const n = await t.ds.query("SELECT COUNT(*) AS n FROM ledger_entry WHERE ref_type = 'adjustment_import' AND reason = '断点续传'");
    expect(Number(n[0].n)).toBe(20);
    expect(await t.verify()).toEqual([]);
  });

  test('refusals: not CSV, empty, over 10,000 rows or 1 MB, service; nothing is stored', async () => {
    const before = await countRows(t, 'adjustment_import');
    const json = await t.request('POST', '/api/v1/admin/adjustments/imports', { token: admin, body: { csv: 'a,b,c' } });
    expect(json.status).toBe(400);
    expect((await upload('')).status).toBe(400);
    expect((await upload('手机号,积分,原因\n')).status).toBe(400);
    expect((await upload('"unclosed,1,x\n')).status).toBe(400);
    const many = Array.from({ length: 10_001 }, () => `${members[0]!.phone},1,多`).join('\n');
    const tooMany = await upload(many);
    expect([tooMany.status, tooMany.body.error.code]).toEqual([413, 'IMPORT_TOO_LARGE']);
    const big = await upload(`${members[0]!.phone},1,${'长'.repeat(400_000)}\n`);
    expect([big.status, big.body.error.code]).toEqual([413, 'IMPORT_TOO_LARGE']);
    const service = await upload(`${members[0]!.phone},1,客服不可导入\n`, 'x.csv', await staffToken(t, 'service'));
    expect(service.status).toBe(403);
    expect(await countRows(t, 'adjustment_import')).toBe(before);
    expect((await t.request('POST', '/api/v1/admin/adjustments/imports/999999/commit', { token: admin })).status).toBe(404);
  });
});
