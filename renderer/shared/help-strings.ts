/** What 一键求助 says to the citizen, the same on the kiosk and the robot (each screen's strings take it in). */
export const helpStrings = {
  zh: {
    button: '一键求助',
    sending: '正在呼叫工作人员…',
    queued: '已呼叫工作人员：网络恢复后立即送达，请在此稍候。',
    told: '已通知工作人员，请在此稍候。',
    coming: '工作人员马上到，请在此稍候。',
    stay: '您可以继续办理，工作人员会到本机旁找您。',
    failed: '暂时无法呼叫，请到咨询导办台求助。',
    close: '关闭',
  },
  en: {
    button: 'Help',
    sending: 'Calling a member of staff…',
    queued: 'Staff have been called: the call goes out as soon as the network is back. Please wait here.',
    told: 'Staff have been told. Please wait here.',
    coming: 'A member of staff is on the way. Please wait here.',
    stay: 'You can carry on; staff will come to this machine.',
    failed: 'The call could not be made. Please ask at the help desk.',
    close: 'Close',
  },
};
