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
  offline: 'Connecting…',
  restart: 'Start over',
  metres: '{{count}} m',
});
