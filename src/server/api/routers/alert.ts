import { z } from 'zod';
import { createRuleInput, ruleId, updateRuleInput } from '../../../shared/schemas/alertRules';
import { createWebhookInput, updateWebhookInput } from '../../services/alerts/webhookStore';
import { adminProcedure, createTRPCRouter, publicProcedure } from '../trpc';

const listInput = z
  .object({
    limit: z.number().int().min(1).max(500).default(50),
    unreadOnly: z.boolean().optional(),
    openOnly: z.boolean().optional(),
  })
  .default({ limit: 50 });

export const alertRouter = createTRPCRouter({
  /** Alerts, newest first. */
  list: publicProcedure.input(listInput).query(({ ctx, input }) => ctx.services.alerts.list(input)),

  unreadCount: publicProcedure.query(({ ctx }) => ctx.services.alerts.unreadCount()),

  /** Marks the given alerts read, or all of them. */
  markRead: publicProcedure
    .input(z.object({ ids: z.array(z.number().int().positive()).max(1000).optional() }))
    .mutation(async ({ ctx, input }) => ({ marked: await ctx.services.alerts.markRead(input.ids) })),

  /** Alerts as they are raised, resolved or read, by any instance. */
  live: publicProcedure.subscription(async function* ({ ctx, signal }) {
    yield* ctx.services.alerts.live(signal);
  }),

  rules: publicProcedure.query(({ ctx }) => ctx.services.alerts.listRules()),
  createRule: publicProcedure.input(createRuleInput).mutation(({ ctx, input }) => ctx.services.alerts.createRule(input)),
  /** Turn a rule on or off, or tune it (default rules included). */
  updateRule: publicProcedure.input(updateRuleInput).mutation(({ ctx, input }) => ctx.services.alerts.updateRule(input)),
  deleteRule: publicProcedure.input(ruleId).mutation(async ({ ctx, input }) => {
    await ctx.services.alerts.deleteRule(input.id);
    return { deleted: input.id };
  }),

  // Webhook URLs carry their own credentials (a bot's token): admin only.
  webhooks: adminProcedure.query(({ ctx }) => ctx.services.alerts.listWebhooks()),
  createWebhook: adminProcedure.input(createWebhookInput).mutation(({ ctx, input }) => ctx.services.alerts.createWebhook(input)),
  setWebhookEnabled: adminProcedure
    .input(updateWebhookInput)
    .mutation(({ ctx, input }) => ctx.services.alerts.setWebhookEnabled(input.id, input.enabled)),
  deleteWebhook: adminProcedure.input(ruleId).mutation(async ({ ctx, input }) => {
    await ctx.services.alerts.deleteWebhook(input.id);
    return { deleted: input.id };
  }),

  /** The delivery log: each message to each webhook, its attempts and outcome. */
  deliveries: adminProcedure
    .input(z.object({ limit: z.number().int().min(1).max(500).default(100) }).default({ limit: 100 }))
    .query(({ ctx, input }) => ctx.services.alerts.deliveries(input.limit)),
});
