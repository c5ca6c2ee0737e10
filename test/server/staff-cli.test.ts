import { parseStaffCommand, runStaffCommand, UsageError } from '../../server/src/cli/staff-command';
import { StaffEntity } from '../../server/src/db/entities';
import { addStoresAndStaff, countRows, staffToken, startTestApp, TEST_PASSWORD, type TestApp } from './helpers';

/**
 * `npm run staff -- add|list|disable|enable|role|store|password` run in-process against the real services
 * (the same StaffAdminService the API uses): each change is audited as the CLI and ends the account's open
 * sessions. The real process (argv, exit codes) is covered in staff.test.ts.
 */
describe('npm run staff (commands, in-process)', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp({ now: '2026-06-15T04:00:00Z' });
    await addStoresAndStaff(t);
  });
  afterEach(() => t.close());

  async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    const out: string[] = [];
    const err: string[] = [];
    const actor = { staffId: null, username: 'cli:tester', role: null, storeId: null, ip: 'cli', requestId: 'cli-test-0001' };
    const code = await runStaffCommand(parseStaffCommand(args), t.services, { out: (l) => out.push(l), err: (l) => err.push(l) }, actor);
    return { code, stdout: out.join('\n'), stderr: err.join('\n') };
  }
  /** 404 for an unknown pickup code proves a clerk token still works; 401 SESSION_REVOKED that it ended. */
  const probe = async (token: string) => {
    const res = await t.request('POST', '/api/v1/till/redemptions/ZZZZZZZZZZ/fulfil', { token });
    return res.status === 401 ? res.body.error.code : res.status;
  };
  const row = (username: string) => t.ds.getRepository(StaffEntity).findOneOrFail({ where: { username } });
  const lastAudit = async () => (await t.request('GET', '/api/v1/admin/audit?actor=cli:tester&limit=1', { token: await staffToken(t, 'admin') })).body.entries[0];

  test('disable ends the session and blocks sign-in; enable lets a new sign-in in; both audited as the CLI', async () => {
    const token = await staffToken(t, 'clerk-a');
    const res = await cli('disable', 'clerk-a');
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('disabled "clerk-a"');
    expect(await probe(token)).toBe('SESSION_REVOKED');
    expect((await t.request('POST', '/api/v1/auth/staff', { body: { username: 'clerk-a', password: TEST_PASSWORD } })).status).toBe(401);
    expect(await lastAudit()).toMatchObject({ action: 'staff.disable', actor: { id: null, username: 'cli:tester', role: null }, ip: 'cli', before: { disabled: false }, after: { disabled: true } });
    expect((await cli('disable', 'clerk-a')).stdout).toContain('already disabled');
    const enabled = await cli('enable', 'clerk-a');
    expect(enabled.code).toBe(0);
    expect(await probe(token)).toBe('SESSION_REVOKED');
    expect(await probe(await staffToken(t, 'clerk-a'))).toBe(404);
    expect((await lastAudit()).action).toBe('staff.enable');
  });

  test('role and store changes end the session; a clerk needs a store that exists and is open', async () => {
    const token = await staffToken(t, 'clerk-a');
    const moved = await cli('store', 'clerk-a', 'B');
    expect(moved).toMatchObject({ code: 0 });
    expect(moved.stdout).toContain('store A -> B');
    expect(await probe(token)).toBe('SESSION_REVOKED');
    expect((await row('clerk-a')).storeId).not.toBeNull();
    expect((await lastAudit()).action).toBe('staff.store');

    const token2 = await staffToken(t, 'clerk-a');
    const promoted = await cli('role', 'clerk-a', 'service');
    expect(promoted.code).toBe(0);
    expect(promoted.stdout).toContain('clerk (B) -> service');
    expect(await row('clerk-a')).toMatchObject({ role: 'service', storeId: null });
    expect(await probe(token2)).toBe('SESSION_REVOKED');
    expect((await lastAudit()).action).toBe('staff.role');

    expect(await cli('role', 'clerk-a', 'clerk', '--store', 'Q')).toMatchObject({ code: 1, stderr: 'staff: no store with code "Q"' });
    expect((await cli('store', 'marketing', 'A')).stderr).toContain('STAFF_STORE_RULE');
    await t.services.stores.update({ staffId: null, username: 'cli:tester', role: null, storeId: null, ip: 'cli', requestId: 'x-1' }, (await t.services.stores.idOf('A'))!, { closed: true });
    expect(await cli('role', 'clerk-a', 'clerk', '--store', 'A')).toMatchObject({ code: 1, stderr: expect.stringContaining('STORE_CLOSED_NO_CLERKS') });
    expect(await cli('role', 'clerk-a', 'clerk', '--store', 'b')).toMatchObject({ code: 0 });
    expect(await row('clerk-a')).toMatchObject({ role: 'clerk' });
  });

  test('password: generated and printed once, or the one given (never echoed); the old one and the session stop', async () => {
    const token = await staffToken(t, 'clerk-b');
    const gen = await cli('password', 'clerk-b');
    expect(gen.code).toBe(0);
    const password = /^password: (\S+)$/m.exec(gen.stdout)?.[1];
    expect(password!.length).toBeGreaterThanOrEqual(12);
    expect(await probe(token)).toBe('SESSION_REVOKED');
    expect((await t.request('POST', '/api/v1/auth/staff', { body: { username: 'clerk-b', password: TEST_PASSWORD } })).status).toBe(401);
    expect((await t.request('POST', '/api/v1/auth/staff', { body: { username: 'clerk-b', password } })).status).toBe(200);
    const given = await cli('password', 'clerk-b', '--password', 'chosen-pass-9');
    expect(given.code).toBe(0);
    expect(given.stdout).not.toContain('chosen-pass-9');
    expect((await t.request('POST', '/api/v1/auth/staff', { body: { username: 'clerk-b', password: 'chosen-pass-9' } })).status).toBe(200);
    expect((await lastAudit()).action).toBe('staff.password_reset');
    expect(JSON.stringify(await t.ds.query('SELECT * FROM audit_log'))).not.toMatch(/chosen-pass-9|scrypt/);
  });

  test('the last enabled admin cannot be disabled or demoted (exit 1); with a second admin it can', async () => {
    expect(await cli('disable', 'admin')).toMatchObject({ code: 1, stderr: expect.stringContaining('LAST_ADMIN') });
    expect(await cli('role', 'admin', 'marketing')).toMatchObject({ code: 1, stderr: expect.stringContaining('LAST_ADMIN') });
    expect((await row('admin')).disabled).toBe(false);
    expect((await cli('add', '--username', 'root2', '--role', 'admin', '--password', 'second-admin-1')).code).toBe(0);
    expect((await cli('disable', 'admin')).code).toBe(0);
    expect(await cli('disable', 'root2')).toMatchObject({ code: 1, stderr: expect.stringContaining('LAST_ADMIN') });
  });

  test('add (service role too) and list; a taken name or unknown store exits 1 and writes nothing', async () => {
    const added = await cli('add', '--username', 'kefu', '--role', 'service', '--password', 'chosen-pass-1', '--name', '客服小张');
    expect(added.code).toBe(0);
    expect(added.stdout).not.toContain('chosen-pass-1');
    expect((await t.request('POST', '/api/v1/auth/staff', { body: { username: 'kefu', password: 'chosen-pass-1' } })).body.staff).toMatchObject({ role: 'service', storeId: null });
    expect(await row('kefu')).toMatchObject({ displayName: '客服小张' });
    const list = await cli('list');
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/clerk-a\tclerk\tA 国贸旗舰店\tactive/);
    expect(list.stdout).toMatch(/kefu\tservice\t-\tactive/);
    expect(list.stdout).not.toContain('scrypt');
    const before = await countRows(t, 'staff');
    expect(await cli('add', '--username', 'x2', '--role', 'clerk', '--store', 'Q')).toMatchObject({ code: 1, stderr: expect.stringContaining('no store') });
    expect(await cli('add', '--username', 'kefu', '--role', 'admin')).toMatchObject({ code: 1, stderr: expect.stringContaining('taken') });
    expect(await cli('password', 'nobody')).toMatchObject({ code: 1, stderr: 'staff: no staff account "nobody"' });
    expect(await countRows(t, 'staff')).toBe(before);
  });

  test('bad usage is refused before anything opens', () => {
    const bad: string[][] = [
      [],
      ['frobnicate'],
      ['list', 'extra'],
      ['add', '--username', 'x1', '--role', 'boss'],
      ['add', '--username', 'x1', '--role', 'clerk'],
      ['add', '--username', 'x1', '--role', 'admin', '--store', 'A'],
      ['add', '--username', 'x1', '--role', 'admin', '--password', 'short'],
      ['add', '--username', 'x1', '--role', 'admin', '--colour', 'red'],
      ['add', '--username', 'X 1', '--role', 'admin'],
      ['disable'],
      ['disable', 'a1', 'b1'],
      ['enable', '--force', 'a1'],
      ['role', 'clerk-a'],
      ['role', 'clerk-a', 'boss'],
      ['role', 'clerk-a', 'clerk'],
      ['role', 'clerk-a', 'admin', '--store', 'A'],
      ['store', 'clerk-a'],
      ['password', 'clerk-a', '--password', 'short'],
      ['password'],
    ];
    const outcome = (args: string[]) => {
      try {
        parseStaffCommand(args);
        return 'parsed';
      } catch (e) {
        return e instanceof UsageError ? 'usage' : String(e);
      }
    };
    for (const args of bad) expect([args, outcome(args)]).toEqual([args, 'usage']);
    expect(parseStaffCommand(['role', 'clerk-a', 'clerk', '--store', 'B'])).toEqual({ kind: 'role', username: 'clerk-a', role: 'clerk', storeCode: 'B' });
  });
});
