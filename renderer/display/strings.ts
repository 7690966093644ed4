/** The call display's words in Chinese and English; the hall chooses one or both (`?lang=zh|en|both`). */
import { screenStrings } from '../i18n/index.ts';

const zh = {
  connecting: '正在连接叫号系统…',
  linkDown: '连接中断，正在重连…',
  soundOn: '播报声音：开',
  soundOff: '播报声音：关',
  noVoice: '语音播报未启用：{{reason}}',
  soundBlocked: '浏览器阻止了声音，叫号不会播报。',
  enableSound: '开启声音',
  callsTitle: '请以下号码到窗口办理',
  number: '号码',
  window: '窗口',
  noCalls: '暂无呼叫',
  waitingTitle: '等候人数',
  aboutMinutes: '约{{count}}分钟',
  recentTitle: '最近呼叫',
  follow: {
    notFound: '没有找到这张排队号（离线取号的号码会在网络恢复后出现）',
    unavailable: '暂时无法查询',
    loading: '正在查询…',
    waiting: '前面还有 {{ahead}} 人，预计等候约 {{minutes}} 分钟',
    called: '请到 {{window}} 窗口办理',
    serving: '正在 {{window}} 窗口办理',
    done: '已办结，感谢您的耐心',
    'no-show': '已过号，请到服务台咨询',
    windows: '办理窗口：{{windows}}',
    listSeparator: '、',
  },
};

export const strings = screenStrings(zh, {
  connecting: 'Connecting to the queue system…',
  linkDown: 'Connection lost, reconnecting…',
  soundOn: 'Announcements: on',
  soundOff: 'Announcements: off',
  noVoice: 'Spoken announcements are off: {{reason}}',
  soundBlocked: 'The browser is blocking sound: calls will not be announced.',
  enableSound: 'Turn sound on',
  callsTitle: 'Now serving',
  number: 'Number',
  window: 'Window',
  noCalls: 'No calls yet',
  waitingTitle: 'Waiting',
  aboutMinutes: 'about {{count}} min',
  recentTitle: 'Recent calls',
  follow: {
    notFound: 'Ticket not found (tickets taken offline appear once the network is back)',
    unavailable: 'Cannot look this up right now',
    loading: 'Looking up…',
    waiting: '{{ahead}} ahead of you, about {{minutes}} min to wait',
    called: 'Please go to window {{window}}',
    serving: 'Being served at window {{window}}',
    done: 'Done, thank you for your patience',
    'no-show': 'Missed; please ask at the service desk',
    windows: 'Windows: {{windows}}',
    listSeparator: ', ',
  },
});

/** What the hall shows: one language, or both with English under the Chinese. */
export type Shown = 'zh' | 'en' | 'both';

export function shownFromUrl(): Shown {
  const v = new URLSearchParams(location.search).get('lang');
  return v === 'en' || v === 'both' ? v : 'zh';
}
