export default definePageConfig({ navigationBarTitleText: '收银积分' })
