/** Alert rules in PostgreSQL: the defaults seeded once, rules people write, edits. */
import type { PrismaClient } from '../../../generated/prisma/client';
import { ServiceError } from '../errors';
import { DEFAULT_RULES } from '../../../shared/defaultAlertRules';
import {
  createRuleInput,
  ruleParams,
  ruleScope,
  updateRuleInput,
  type AlertRule,
  type CreateRuleInput,
  type Severity,
  type UpdateRuleInput,
} from '../../../shared/schemas/alertRules';

type RuleModel = Awaited<ReturnType<PrismaClient['alertRule']['findFirstOrThrow']>>;

const toRule = (r: RuleModel): AlertRule => ({
  id: r.id,
  builtin: r.builtin,
  name: r.name,
  severity: r.severity as Severity,
  enabled: r.enabled,
  // Stored through these same schemas; parsing again fills defaults added since.
  scope: ruleScope.parse(r.scope),
  params: ruleParams.parse(r.params),
  createdAt: r.createdAt,
  updatedAt: r.updatedAt,
});

const notFound = (id: number) => new ServiceError('NOT_FOUND', `Alert rule ${id} not found`);

export class RuleStore {
  constructor(private readonly prisma: PrismaClient) {}

  /** Creates the default rules that do not exist yet; edits made to existing ones stay. */
  async seedDefaults(): Promise<void> {
    await this.prisma.alertRule.createMany({
      data: DEFAULT_RULES.map(({ builtin, ...input }) => {
        const rule = createRuleInput.parse(input);
        return {
          builtin,
          name: rule.name,
          kind: rule.params.kind,
          severity: rule.severity,
          scope: rule.scope,
          params: rule.params,
        };
      }),
      skipDuplicates: true,
    });
  }

  async list(): Promise<AlertRule[]> {
    const rows = await this.prisma.alertRule.findMany({ orderBy: { id: 'asc' } });
    return rows.map(toRule);
  }

  async create(input: CreateRuleInput): Promise<AlertRule> {
    const rule = createRuleInput.parse(input);
    const row = await this.prisma.alertRule.create({
      data: {
        name: rule.name,
        kind: rule.params.kind,
        severity: rule.severity,
        enabled: rule.enabled,
        scope: rule.scope,
        params: rule.params,
      },
    });
    return toRule(row);
  }

  async update(input: UpdateRuleInput): Promise<AlertRule> {
    const change = updateRuleInput.parse(input);
    const existing = await this.prisma.alertRule.findUnique({ where: { id: change.id } });
    if (!existing) throw notFound(change.id);
    if (change.params && change.params.kind !== existing.kind) {
      throw new ServiceError(
        'BAD_REQUEST',
        `params.kind: this rule is a ${existing.kind} rule; create a new rule for another kind`,
      );
    }
    const row = await this.prisma.alertRule.update({
      where: { id: change.id },
      data: {
        ...(change.name !== undefined ? { name: change.name } : {}),
        ...(change.severity !== undefined ? { severity: change.severity } : {}),
        ...(change.enabled !== undefined ? { enabled: change.enabled } : {}),
        ...(change.scope !== undefined ? { scope: change.scope } : {}),
        ...(change.params !== undefined ? { params: change.params } : {}),
      },
    });
    return toRule(row);
  }

  /** Default rules are turned off, not deleted (a start would create them again). */
  async delete(id: number): Promise<void> {
    const existing = await this.prisma.alertRule.findUnique({ where: { id } });
    if (!existing) throw notFound(id);
    if (existing.builtin) throw new ServiceError('BAD_REQUEST', `id: rule ${id} is a default rule; turn it off instead`);
    await this.prisma.alertRule.delete({ where: { id } });
  }
}
