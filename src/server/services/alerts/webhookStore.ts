/** Webhooks alerts are sent to: those added in Settings and the one from ALERT_WEBHOOK_URL. */
import { z } from 'zod';
import type { PrismaClient } from '../../../generated/prisma/client';
import { ServiceError } from '../errors';
import { detectFormat, WEBHOOK_FORMATS, type WebhookFormat } from './webhookFormats';

export const createWebhookInput = z.object({
  name: z.string().trim().min(1, 'must not be empty').max(128),
  url: z.url({ protocol: /^https?$/, error: 'must be an http or https URL' }).max(2048),
  /** Left out: told from the URL (Feishu, DingTalk and WeCom hosts), otherwise generic. */
  format: z.enum(WEBHOOK_FORMATS).optional(),
});
export type CreateWebhookInput = z.input<typeof createWebhookInput>;

export const updateWebhookInput = z.object({ id: z.number().int().positive(), enabled: z.boolean() });

export interface AlertWebhook {
  id: number;
  name: string;
  url: string;
  format: WebhookFormat;
  enabled: boolean;
  fromEnv: boolean;
  createdAt: Date;
}

type WebhookModel = Awaited<ReturnType<PrismaClient['alertWebhook']['findFirstOrThrow']>>;
const toWebhook = (w: WebhookModel): AlertWebhook => ({ ...w, format: w.format as WebhookFormat });

export class WebhookStore {
  constructor(private readonly prisma: PrismaClient) {}

  /** Keeps the row of ALERT_WEBHOOK_URL in step with the environment (or removes it). */
  async syncFromEnv(url: string | undefined, format: WebhookFormat | 'auto'): Promise<void> {
    await this.prisma.alertWebhook.deleteMany({ where: { fromEnv: true, ...(url ? { url: { not: url } } : {}) } });
    if (!url) return;
    const resolved = format === 'auto' ? detectFormat(url) : format;
    await this.prisma.alertWebhook.upsert({
      where: { url },
      create: { name: 'ALERT_WEBHOOK_URL', url, format: resolved, fromEnv: true },
      update: { format: resolved, fromEnv: true },
    });
  }

  async list(): Promise<AlertWebhook[]> {
    return (await this.prisma.alertWebhook.findMany({ orderBy: { id: 'asc' } })).map(toWebhook);
  }

  async create(input: CreateWebhookInput): Promise<AlertWebhook> {
    const w = createWebhookInput.parse(input);
    const exists = await this.prisma.alertWebhook.findUnique({ where: { url: w.url } });
    if (exists) throw new ServiceError('CONFLICT', 'url: this webhook is configured already');
    const row = await this.prisma.alertWebhook.create({
      data: { name: w.name, url: w.url, format: w.format ?? detectFormat(w.url) },
    });
    return toWebhook(row);
  }

  async setEnabled(id: number, enabled: boolean): Promise<AlertWebhook> {
    const { count } = await this.prisma.alertWebhook.updateMany({ where: { id }, data: { enabled } });
    if (count === 0) throw new ServiceError('NOT_FOUND', `Webhook ${id} not found`);
    return toWebhook(await this.prisma.alertWebhook.findUniqueOrThrow({ where: { id } }));
  }

  /** The one from the environment is changed there, not here. */
  async delete(id: number): Promise<void> {
    const w = await this.prisma.alertWebhook.findUnique({ where: { id } });
    if (!w) throw new ServiceError('NOT_FOUND', `Webhook ${id} not found`);
    if (w.fromEnv) throw new ServiceError('BAD_REQUEST', 'id: this webhook comes from ALERT_WEBHOOK_URL; unset it there');
    await this.prisma.alertWebhook.delete({ where: { id } });
  }
}
