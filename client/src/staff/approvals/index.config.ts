export default definePageConfig({ navigationBarTitleText: '调整审批' })
