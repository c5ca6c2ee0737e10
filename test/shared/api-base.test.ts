import { DEV_WEAPP_API_BASE, resolveApiBase } from '../../client/config/api-base';

/** The API origin compiled into the client (issue 12): JIFEN_API_BASE, refused for a release weapp when local or http. */
describe('JIFEN_API_BASE for the client builds', () => {
  test.each([
    ['weapp', undefined, false, DEV_WEAPP_API_BASE],
    ['h5', undefined, false, ''],
    ['h5', undefined, true, ''],
    ['weapp', 'http://192.0.2.10:3000', false, 'http://192.0.2.10:3000'],
    ['weapp', 'https://jifen.example.com/', true, 'https://jifen.example.com'],
    ['h5', 'https://api.example.com', true, 'https://api.example.com'],
  ] as const)('%s, JIFEN_API_BASE=%s, release=%s → %s', (platform, value, release, expected) => {
    expect(resolveApiBase({ platform, value, release })).toBe(expected);
  });

  test.each([
    [undefined, 'set JIFEN_API_BASE to the https address'],
    ['http://localhost:3000', 'points at this machine (localhost)'],
    ['https://127.0.0.1', 'points at this machine (127.0.0.1)'],
    ['https://[::1]:3000', 'points at this machine'],
    ['http://jifen.example.com', 'must use https'],
  ])('a release weapp refuses JIFEN_API_BASE=%s', (value, message) => {
    expect(() => resolveApiBase({ platform: 'weapp', value, release: true })).toThrow(message);
  });

  test.each([
    ['jifen.example.com', 'must be an absolute URL'],
    ['ftp://jifen.example.com', 'http(s) URL'],
    ['https://jifen.example.com/api/v1', 'origin only'],
  ])('a malformed JIFEN_API_BASE=%s is refused in any build', (value, message) => {
    expect(() => resolveApiBase({ platform: 'weapp', value, release: false })).toThrow(message);
  });
});
