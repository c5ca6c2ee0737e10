export default definePageConfig({ navigationBarTitleText: '积分健康报告' })
