/** The robot screen's own labels, in Chinese and English; answers themselves come from the host's templates. */
import { screenStrings } from '../i18n/index.ts';

const zh = {
  name: '小今',
  placeholder: '请输入您的问题',
  ask: '问小今',
  thinking: '小今在想…',
  listening: '您好，我是小今',
  hint: '点一下下面的问题，或者直接输入',
  clarify: '请选择',
  language: 'EN',
  guide: { leading: '请跟我来', arrived: '到了', returning: '小今回去啦', docked: '' },
  stop: '停下',
  lead: '带我去',
  estop: '紧急停止',
  resume: '恢复工作',
  battery: '电量 {{count}}%',
  state: { 'at-post': '在岗', guiding: '引导中', arrived: '已到达', returning: '返回中', docking: '去充电', charging: '充电中', fault: '故障', stopped: '已停止' },
  offline: '正在连接服务…',
  restart: '重新开始',
  metres: '{{count}} 米',
};

export const strings = screenStrings(zh, {
  name: 'Xiaojin',
  placeholder: 'Type your question',
  ask: 'Ask',
  thinking: 'Thinking…',
  listening: "Hello, I'm Xiaojin",
  hint: 'Tap a question below or type your own',
  clarify: 'Please choose',
  language: '中文',
  guide: { leading: 'Follow me', arrived: 'We are here', returning: 'Going back', docked: '' },
  stop: 'Stop',
  lead: 'Take me there',
  estop: 'Emergency stop',
  resume: 'Resume',
  battery: 'Battery {{count}}%',
  state: { 'at-post': 'At post', guiding: 'Guiding', arrived: 'Arrived', returning: 'Returning', docking: 'Going to charge', charging: 'Charging', fault: 'Fault', stopped: 'Stopped' },
  offline: 'Connecting…',
  restart: 'Start over',
  metres: '{{count}} m',
});
