/**
 * The bodies sent to webhooks. The generic body carries every field and a `text` line, which
 * is all a Slack or Mattermost incoming webhook reads. Feishu (Lark) custom bots, DingTalk
 * custom robots and WeCom group robots each take their own text message shape.
 */
import type { AlertInfo } from './alertTypes';

export const WEBHOOK_FORMATS = ['generic', 'feishu', 'dingtalk', 'wecom'] as const;
export type WebhookFormat = (typeof WEBHOOK_FORMATS)[number];

export type DeliveryEvent = 'raised' | 'resolved';

/** Tells the Chinese team chats apart by their webhook hosts; anything else is generic. */
export function detectFormat(url: string): WebhookFormat {
  const host = new URL(url).hostname;
  if (/(^|\.)(feishu\.cn|larksuite\.com)$/.test(host)) return 'feishu';
  if (/(^|\.)dingtalk\.com$/.test(host)) return 'dingtalk';
  if (host === 'qyapi.weixin.qq.com') return 'wecom';
  return 'generic';
}

const SEVERITY_MARK = { info: 'ℹ️', warning: '⚠️', critical: '🔴' } as const;

export function alertText(alert: AlertInfo, event: DeliveryEvent, link: string): string {
  const mark = event === 'resolved' ? '✅' : SEVERITY_MARK[alert.severity];
  const what = alert.run ? `run ${alert.run}` : alert.host ? `host ${alert.host}` : alert.subject;
  const head = event === 'resolved' ? `Resolved: ${alert.ruleName} (${what})` : `${alert.ruleName} (${what})`;
  return `${mark} ${head}: ${alert.message}\n${link}`;
}

export function webhookBody(format: WebhookFormat, alert: AlertInfo, event: DeliveryEvent, baseUrl: string): unknown {
  const link = new URL(alert.link, baseUrl).toString();
  const text = alertText(alert, event, link);
  switch (format) {
    case 'feishu':
      return { msg_type: 'text', content: { text } };
    case 'dingtalk':
      return { msgtype: 'text', text: { content: text } };
    case 'wecom':
      return { msgtype: 'text', text: { content: text } };
    case 'generic':
      return {
        text,
        event,
        alert_id: alert.id,
        rule: { id: alert.ruleId, name: alert.ruleName, kind: alert.kind },
        severity: alert.severity,
        subject: alert.subject,
        run: alert.run,
        host: alert.host,
        message: alert.message,
        // JSON has no NaN: a non-finite value travels as its name ("NaN", "Infinity").
        value: alert.value === null || Number.isFinite(alert.value) ? alert.value : String(alert.value),
        time: (event === 'resolved' ? (alert.resolvedAt ?? alert.triggeredAt) : alert.triggeredAt).toISOString(),
        raised_at: alert.raisedAt.toISOString(),
        link,
      };
  }
}
