export default definePageConfig({ navigationBarTitleText: '概览' })
