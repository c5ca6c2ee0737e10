export default definePageConfig({ navigationBarTitleText: '规则变更' })
