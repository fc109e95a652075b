/**
 * The alert service of one instance: rules, alerts, webhooks and the delivery log, the
 * evaluator fed from the bus and a tick, the live feed and the outbox worker. The routers
 * only translate to these methods.
 */
import type { Database } from '../../db/database';
import type { Logger } from '../../../lib/logger';
import type { BusMessage, EventBus } from '../eventBus';
import type { EventStore } from '../eventStore';
import { liveItems } from '../liveQueue';
import type { SystemService } from '../systemService';
import { AlertFeed } from './alertFeed';
import { AlertStore } from './alertStore';
import type { AlertInfo } from './alertTypes';
import { DeliveryWorker } from './delivery';
import { AlertEvaluator } from './evaluator';
import { RuleStore } from './ruleStore';
import type { CreateRuleInput, UpdateRuleInput } from '../../../shared/schemas/alertRules';
import { readRunningRuns } from './runLiveness';
import { WebhookStore, type CreateWebhookInput } from './webhookStore';
import type { WebhookFormat } from './webhookFormats';

export interface AlertServiceOptions {
  /** Off: nothing is evaluated or sent (rules and alerts can still be read and edited). */
  enabled: boolean;
  baseUrl: string;
  throttleSeconds: number;
  webhookUrl?: string;
  webhookFormat: WebhookFormat | 'auto';
  tickMs?: number;
}

/** Rules edited on another instance are picked up this often. */
const RULES_REFRESH_MS = 5_000;

export class AlertService {
  readonly rules: RuleStore;
  readonly webhooks: WebhookStore;
  private readonly store: AlertStore;
  private readonly feed: AlertFeed;
  private readonly delivery: DeliveryWorker;
  private readonly evaluator: AlertEvaluator;
  private readonly timers: NodeJS.Timeout[] = [];
  private unsubscribe: (() => void)[] = [];
  private ticking = false;

  constructor(
    private readonly db: Database,
    private readonly bus: EventBus,
    private readonly events: EventStore,
    private readonly system: SystemService,
    private readonly log: Logger,
    private readonly options: AlertServiceOptions,
  ) {
    this.rules = new RuleStore(db.prisma);
    this.webhooks = new WebhookStore(db.prisma);
    this.store = new AlertStore(db.pool, () => options.throttleSeconds * 1000);
    this.feed = new AlertFeed(this.store, log);
    this.delivery = new DeliveryWorker(db.pool, this.store, log, { baseUrl: options.baseUrl });
    this.evaluator = new AlertEvaluator(this.store, log, (alert) => {
      this.feed.announce(alert);
      this.delivery.kick();
    });
    this.feed.subscribe((a) => this.evaluator.seeOpen(a.ruleId, a.subject, a.resolvedAt === null));
  }

  async start(): Promise<void> {
    await this.rules.seedDefaults();
    await this.webhooks.syncFromEnv(this.options.webhookUrl, this.options.webhookFormat);
    if (!this.options.enabled) return;
    await this.reloadRules();
    for (const k of await this.store.openKeys()) this.evaluator.seeOpen(k.ruleId, k.subject, true);
    // The one place alerts listen to the bus: every run's events and every host's samples.
    this.unsubscribe = [this.bus.subscribeAllSessions((m) => this.onBus(m)), this.bus.subscribeSystem((m) => this.onBus(m))];
    this.feed.start();
    this.delivery.start();
    const every = (ms: number, fn: () => void) => {
      const t = setInterval(fn, ms);
      t.unref();
      this.timers.push(t);
    };
    every(this.options.tickMs ?? 500, () => void this.tick());
    every(RULES_REFRESH_MS, () => void this.reloadRules().catch(() => {}));
  }

  async close(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    for (const u of this.unsubscribe) u();
    this.feed.close();
    await this.evaluator.settled().catch(() => {});
    await this.delivery.close();
  }

  // Rules -------------------------------------------------------------------------------

  listRules = () => this.rules.list();

  async createRule(input: CreateRuleInput) {
    const rule = await this.rules.create(input);
    await this.reloadRules();
    return rule;
  }

  async updateRule(input: UpdateRuleInput) {
    const rule = await this.rules.update(input);
    await this.reloadRules();
    return rule;
  }

  async deleteRule(id: number) {
    await this.rules.delete(id);
    await this.reloadRules();
  }

  // Alerts ------------------------------------------------------------------------------

  list = (query: { limit: number; unreadOnly?: boolean; openOnly?: boolean }) => this.store.list(query);
  unreadCount = () => this.store.unreadCount();
  markRead = (ids?: number[]) => this.store.markRead(ids);

  /** Alerts raised, resolved or read from now on, by any instance. */
  live(signal?: AbortSignal): AsyncGenerator<AlertInfo> {
    return liveItems<AlertInfo>((push) => this.feed.subscribe(push), signal);
  }

  // Webhooks and the delivery log --------------------------------------------------------

  listWebhooks = () => this.webhooks.list();
  createWebhook = (input: CreateWebhookInput) => this.webhooks.create(input);
  setWebhookEnabled = (id: number, enabled: boolean) => this.webhooks.setEnabled(id, enabled);
  deleteWebhook = (id: number) => this.webhooks.delete(id);
  deliveries = (limit: number) => this.delivery.deliveryLog(limit);

  /** Resolves once the alerts this instance is writing are written (tests). */
  settled = () => this.evaluator.settled();

  // Internals ---------------------------------------------------------------------------

  private async reloadRules(): Promise<void> {
    this.evaluator.setRules(await this.rules.list());
  }

  private onBus(m: BusMessage): void {
    if (m.kind === 'events') this.evaluator.onRunEvents(m.experimentId, m.events);
    else if (m.kind === 'system') this.evaluator.onSample(m.sample);
    else if (m.kind === 'events-ref') {
      // Too large to travel in a notification: read back, as the streams do.
      void this.events
        .readRange(m.sessionId, m.fromSeq, m.toSeq)
        .then((events) => this.evaluator.onRunEvents(m.experimentId, events))
        .catch((error: Error) => this.log.warn('could not read events for alerts', { error: error.message }));
    }
  }

  private async tick(): Promise<void> {
    if (this.ticking) return;
    this.ticking = true;
    try {
      const now = Date.now();
      const runs = await readRunningRuns(this.db.pool, now);
      this.evaluator.onTick(now, runs, this.system.hosts(now));
    } catch (error) {
      this.log.warn('alert tick failed', { error: (error as Error).message });
    } finally {
      this.ticking = false;
    }
  }
}
