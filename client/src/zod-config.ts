import { config } from 'zod'

// WeChat mini-programs forbid `new Function` (developers.weixin.qq.com/miniprogram/dev/framework/runtime/js-support.html),
// which zod v4 uses to compile object parsers. Turn that off everywhere so weapp and h5 parse the same way. Zod decides
// when a schema is constructed, so app.ts imports this module before anything that loads @jifen/shared.
config({ jitless: true })
