/**
 * H5 (and any non-weapp build): no silent sign-in; a member without a token is sent to the login screen by
 * request(). The weapp build uses reauth.weapp.ts instead (Taro's platform file resolution).
 */
export const silentLogin = false
