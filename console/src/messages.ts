/**
 * Every string the console shows, in one catalogue (Simplified Chinese). Components never hard-code text:
 * they call `t('key')`, so a reviewer reads every word in one place and a test can check none is missing.
 */
export const messages = {
  'app.title': 'Helix 运营控制台',
  'app.loading': '加载中…',
  'app.signOut': '退出登录',
  'app.signedInAs': '当前用户：{name}（{role}{branch}）',
  'app.skipToContent': '跳到正文',
  'role.admin': '管理员',
  'role.ops': '运营',
  'role.compliance': '合规',
  'role.rm': '客户经理',
  'nav.overview': '概览',
  'nav.channels': '渠道活码',
  'nav.calendar': '内容日历',
  'nav.clients': '客户',
  'nav.content': '内容库',
  'nav.faq': '问答知识库',
  'nav.handoffs': '转人工',
  'nav.queues': '任务队列',
  'nav.apiDocs': '接口文档',
  'nav.main': '主导航',
  'error.generic': '出错了：',
  'error.network': '无法连接 Helix，请检查网络后重试。',
  'error.forbidden': '你的角色无权查看此页面。',
  'error.notFound': '没有这个页面。',
  'overview.heading': '今日概览',
  'overview.occurrencesToday': '今日日历推送',
  'overview.openHandoffs': '待接手的转人工',
  'overview.failedToday': '今日失败推送',
  'overview.deflection': '今日机器人自助解答率',
  'overview.noData': '暂无数据',
  'overview.todayList': '今日推送安排',
  'channels.heading': '渠道活码',
  'channels.create': '新建渠道',
  'channels.id': '渠道编号',
  'channels.idHint': '小写字母、数字和短横线',
  'channels.name': '渠道名称',
  'channels.state': '渠道参数 state',
  'channels.stateHint': '最多 30 个字母、数字、短横线或下划线',
  'channels.rms': '接待客户经理（userid，用逗号分隔）',
  'channels.cost': '渠道成本（元）',
  'channels.submit': '创建并生成活码',
  'channels.submitting': '正在创建…',
  'channels.created': '渠道已创建，活码如下：',
  'channels.qrAlt': '渠道活码：',
  'channels.download': '下载活码',
  'channels.clients': '来客数',
  'channels.empty': '还没有渠道。',
  'channels.list': '渠道列表',
  'channels.noQr': '无活码',
  'calendar.heading': '内容日历',
  'calendar.week': '本周',
  'calendar.prevWeek': '上一周',
  'calendar.nextWeek': '下一周',
  'calendar.empty': '本周没有推送安排。',
  'calendar.weekOf': '周视图：',
  'status.running': '发送中',
  'status.done': '已完成',
  'status.failed': '失败',
  'status.skipped': '已跳过',
  'status.missed': '已错过',
  'status.scheduled': '待发送',
  'status.will_skip': '将跳过',
  'channel.single': '一对一群发',
  'channel.group': '客户群群发',
  'channel.moment': '朋友圈',
  'channel.app': '应用消息',
  'channel.robot': '群机器人',
  // ── clients page (pages/Clients.tsx): keys start with 'clients.' ──
  'clients.heading': '客户',
  // ── end of clients page ──

  // ── content page (pages/Content.tsx): keys start with 'content.' ──
  'content.heading': '内容库',
  // ── end of content page ──

  // ── faq page (pages/Faq.tsx): keys start with 'faq.' ──
  'faq.heading': '问答知识库',
  // ── end of faq page ──

  // ── hand-offs page (pages/Handoffs.tsx): keys start with 'handoffs.' ──
  'handoffs.heading': '转人工',
  // ── end of hand-offs page ──

  'weekday.0': '周日',
  'weekday.1': '周一',
  'weekday.2': '周二',
  'weekday.3': '周三',
  'weekday.4': '周四',
  'weekday.5': '周五',
  'weekday.6': '周六',
} as const;

export type MessageKey = keyof typeof messages;

/** The text for `key`, with `{name}` placeholders filled from `vars`. */
export function t(key: MessageKey, vars: Record<string, string | number> = {}): string {
  return messages[key].replace(/\{(\w+)\}/g, (_m, name: string) => String(vars[name] ?? ''));
}
