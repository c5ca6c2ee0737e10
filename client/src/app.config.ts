export default defineAppConfig({
  pages: [
    'pages/home/index',
    'pages/shelf/index',
    'pages/ledger/index',
    'pages/profile/index',
    'pages/login/index',
    'pages/code/index',
    'pages/redemptions/index',
  ],
  // Staff pages live in a subpackage so the member's main package stays small (DESIGN §5).
  subPackages: [
    {
      root: 'staff',
      pages: [
        'login/index',
        'clerk/index',
        'refund/index',
        'fulfil/index',
        'campaigns/index',
        'campaign-edit/index',
        'report/index',
        'dashboard/index',
        'accounts/index',
        'stores/index',
        'audit/index',
        'members/index',
        'member/index',
        'approvals/index',
        'imports/index',
        'surveys/index',
      ],
    },
  ],
  window: {
    backgroundTextStyle: 'light',
    navigationBarBackgroundColor: '#E8541E',
    navigationBarTitleText: '积分',
    navigationBarTextStyle: 'white',
    backgroundColor: '#F7F4F2',
  },
  tabBar: {
    color: '#8A8580',
    selectedColor: '#E8541E',
    backgroundColor: '#FFFFFF',
    borderStyle: 'black',
    list: [
      { pagePath: 'pages/home/index', text: '首页', iconPath: 'assets/tab/home.png', selectedIconPath: 'assets/tab/home-active.png' },
      { pagePath: 'pages/shelf/index', text: '兑换', iconPath: 'assets/tab/shelf.png', selectedIconPath: 'assets/tab/shelf-active.png' },
      { pagePath: 'pages/ledger/index', text: '明细', iconPath: 'assets/tab/ledger.png', selectedIconPath: 'assets/tab/ledger-active.png' },
      { pagePath: 'pages/profile/index', text: '我的', iconPath: 'assets/tab/profile.png', selectedIconPath: 'assets/tab/profile-active.png' },
    ],
  },
})
