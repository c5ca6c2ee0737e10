import type { EntityManager } from 'typeorm';
import {
  applyRulesPatch,
  compensationFor,
  describeRuleChanges,
  formatLocal,
  liabilityFen,
  type CompensationPolicy,
  type MemberValueChange,
  type MemberValueChangesResponse,
  type RulesConfig,
  type RulesPatch,
  type SimulationResponse,
  type ValueChangeDto,
  type ValueChangeRequest,
} from '@jifen/shared';
import { AppError, invariant } from '../errors';
import { CompensationEntity, MemberAccountEntity, NotificationEntity, ValueChangeEntity, type ValueChange } from '../db/entities';
import type { TxRunner } from '../db/transaction';
import type { Clock } from '../clock';
import type { Actor, AuditService } from './audit.service';
import type { LedgerService } from './ledger.service';
import type { RulesVersionService } from './rules-version.service';
import { notifyAllMembers } from './outbox';

const DAY_MS = 86_400_000;
/** What the job stores beside the policy when it switches the rules: the anchors the compensation is computed between. */
type StoredCompensation = CompensationPolicy & { anchorBefore?: RulesConfig['anchor']; anchorAfter?: RulesConfig['anchor'] };

export interface ValueChangeRunResult {
  changesApplied: number;
  membersCompensated: number;
  compensationPoints: number;
}

/**
 * Value changes with notice and compensation (issue 10.5). Publishing tells every member at once; at
 * effectiveAt the job switches the rules version and credits each member's COMPENSATION in bounded
 * batches, once per member and change (a unique row), resuming where a stopped run left off.
 */
export class ValueChangesService {
  static readonly MEMBERS_PER_BATCH_MAX = 100;
  static readonly LIST_MAX = 50;

  constructor(
    private readonly tx: TxRunner,
    private readonly ledger: LedgerService,
    private readonly versions: RulesVersionService,
    private readonly audit: AuditService,
    private readonly rules: RulesConfig,
    private readonly clock: Clock,
  ) {}

  private patched(patch: RulesPatch): RulesConfig {
    const next = applyRulesPatch(this.rules, patch);
    if (!next.ok) throw new AppError('VALIDATION_FAILED', [{ path: 'rules', message: next.message }]);
    return next.rules;
  }

  /** From the real balances, without writing: balances grouped by value, so the work is bounded by distinct balances. */
  async simulate(input: ValueChangeRequest, m: EntityManager = this.tx.manager): Promise<SimulationResponse> {
    await this.versions.sync();
    const after = this.patched(input.rules as RulesPatch);
    const rows = await m
      .getRepository(MemberAccountEntity)
      .createQueryBuilder('a')
      .select('a.balance', 'balance')
      .addSelect('COUNT(*)', 'members')
      .where('a.balance > 0')
      .groupBy('a.balance')
      .getRawMany<{ balance: number | string; members: number | string }>();
    let members = 0;
    let points = 0;
    let comp = 0;
    for (const r of rows) {
      const n = Number(r.members);
      const b = Number(r.balance);
      members += n;
      points += b * n;
      comp += compensationFor(b, this.rules.anchor, after.anchor, input.compensation) * n;
    }
    invariant(Number.isSafeInteger(points + comp), 'simulation totals are safe integers');
    return {
      membersAffected: members,
      compensationPoints: comp,
      compensationFen: liabilityFen(comp, after.anchor),
      liabilityFenBefore: liabilityFen(points, this.rules.anchor),
      liabilityFenAfter: liabilityFen(points + comp, after.anchor),
      changes: describeRuleChanges(this.rules, after),
    };
  }

  /** Publishes a change at least valueChangeNoticeDays ahead (409 NOTICE_TOO_SHORT otherwise, nothing written) and tells every member. */
  async publish(input: ValueChangeRequest, actor: Actor): Promise<ValueChangeDto> {
    const now = this.clock().getTime();
    const effectiveAt = new Date(input.effectiveAt).getTime();
    const noticeDays = this.rules.valueChangeNoticeDays;
    if (effectiveAt - now < noticeDays * DAY_MS) {
      throw new AppError('NOTICE_TOO_SHORT', { noticeDays, earliestEffectiveAt: new Date(now + noticeDays * DAY_MS).toISOString() });
    }
    const simulation = await this.simulate(input);
    return this.tx.run(async (m) => {
      const row = {
        title: input.title,
        reason: input.reason,
        effectiveAt,
        rules: JSON.stringify(input.rules),
        compensation: JSON.stringify(input.compensation),
        simulation: JSON.stringify(simulation),
        status: 'scheduled' as const,
        afterMemberId: 0,
        membersCompensated: 0,
        compensationPoints: 0,
        rulesVersionId: null,
        createdBy: actor.username,
        createdAt: now,
        appliedAt: null,
      };
      const ins = await m.getRepository(ValueChangeEntity).insert(row);
      const id = Number(ins.identifiers[0]!.id);
      const date = formatLocal(new Date(effectiveAt), this.rules.timezone, 'YYYY年M月D日');
      const comp = input.compensation.mode === 'restore' ? '届时将按您的余额补偿积分,保证余额价值不变' : `届时将按您余额的 ${input.compensation.percent}% 补偿积分`;
      const body = `【规则变更预告】${input.title}:${date}起生效。${simulation.changes.join(';')}。原因:${input.reason}。${comp}。`.slice(0, 500);
      // Every member at once, in one statement (the in-app notice list is the outbox the push channel drains).
      await notifyAllMembers(m, { kind: 'VALUE_CHANGE', title: `规则变更预告:${input.title}`, body }, now);
      await this.audit.record(m, actor, { action: 'value_change.publish', targetType: 'value_change', targetId: id, after: { ...input, simulation } });
      return this.toDto({ ...row, id });
    });
  }

  async list(): Promise<ValueChangeDto[]> {
    const rows = await this.tx.manager.getRepository(ValueChangeEntity).find({ order: { id: 'DESC' }, take: ValueChangesService.LIST_MAX });
    return rows.map((r) => this.toDto(r));
  }

  private toDto(r: ValueChange): ValueChangeDto {
    const c = JSON.parse(r.compensation) as StoredCompensation;
    const simulation = JSON.parse(r.simulation) as SimulationResponse;
    return {
      id: r.id,
      title: r.title,
      reason: r.reason,
      effectiveAt: new Date(r.effectiveAt).toISOString(),
      announcedAt: new Date(r.createdAt).toISOString(),
      status: r.status,
      rules: JSON.parse(r.rules) as Record<string, unknown>,
      compensation: c.mode === 'percent' ? { mode: 'percent', percent: c.percent } : { mode: 'restore' },
      changes: simulation.changes,
      simulation,
      membersCompensated: r.membersCompensated,
      compensationPoints: r.compensationPoints,
      rulesVersion: r.rulesVersionId,
      appliedAt: r.appliedAt === null ? null : new Date(r.appliedAt).toISOString(),
      createdBy: r.createdBy,
    };
  }

  /** The member's view: upcoming changes with what they mean for this balance, and the history with what was credited. */
  async forMember(memberId: number): Promise<MemberValueChangesResponse> {
    const m = this.tx.manager;
    const rows = await m.getRepository(ValueChangeEntity).find({ order: { effectiveAt: 'DESC', id: 'DESC' }, take: ValueChangesService.LIST_MAX });
    const account = await m.getRepository(MemberAccountEntity).findOne({ where: { memberId } });
    const balance = Math.max(0, account?.balance ?? 0);
    const paid = await m.getRepository(CompensationEntity).find({ where: { memberId } });
    const upcoming: MemberValueChange[] = [];
    const history: MemberValueChange[] = [];
    for (const r of rows) {
      const d = this.toDto(r);
      const base = { id: d.id, title: d.title, reason: d.reason, effectiveAt: d.effectiveAt, announcedAt: d.announcedAt, status: d.status, changes: d.changes, compensation: d.compensation };
      if (r.status === 'scheduled') {
        const next = applyRulesPatch(this.rules, JSON.parse(r.rules) as RulesPatch);
        const after = next.ok ? next.rules.anchor : this.rules.anchor;
        const estimate = compensationFor(balance, this.rules.anchor, after, d.compensation);
        upcoming.push({
          ...base,
          balanceWorthFenNow: liabilityFen(balance, this.rules.anchor),
          balanceWorthFenAfter: liabilityFen(balance + estimate, after),
          compensationPointsEstimate: estimate,
          compensationPointsReceived: null,
        });
      } else {
        const got = paid.find((p) => p.valueChangeId === r.id);
        history.push({ ...base, balanceWorthFenNow: null, balanceWorthFenAfter: null, compensationPointsEstimate: null, compensationPointsReceived: got?.points ?? 0 });
      }
    }
    upcoming.sort((a, b) => a.effectiveAt.localeCompare(b.effectiveAt));
    return { upcoming, history };
  }

  /**
   * The job (interval in the server, `npm run economics` by hand): every change due switches the rules
   * version once, then pays compensation in batches of MEMBERS_PER_BATCH_MAX members, at most batchesMax
   * batches per run; a later run resumes after the last member paid.
   */
  async applyDue(opts: { batchesMax?: number; actor?: string } = {}): Promise<ValueChangeRunResult> {
    const out: ValueChangeRunResult = { changesApplied: 0, membersCompensated: 0, compensationPoints: 0 };
    let batchesLeft = opts.batchesMax ?? 1000;
    const actor = opts.actor ?? 'job:value-change';
    const due = await this.tx.manager
      .getRepository(ValueChangeEntity)
      .createQueryBuilder('c')
      .where("c.status IN ('scheduled', 'applying') AND c.effective_at <= :now", { now: this.clock().getTime() })
      .orderBy('c.effective_at', 'ASC')
      .addOrderBy('c.id', 'ASC')
      .getMany();
    for (const change of due) {
      if (change.status === 'scheduled') await this.switchRules(change.id);
      for (;;) {
        if (batchesLeft-- <= 0) return out;
        const batch = await this.compensateBatch(change.id, actor);
        out.membersCompensated += batch.members;
        out.compensationPoints += batch.points;
        if (batch.done) {
          out.changesApplied += 1;
          break;
        }
      }
    }
    return out;
  }

  /** scheduled -> applying, once (a conditional update claims it): the new rules version and the anchors to compensate between. */
  private async switchRules(id: number): Promise<void> {
    await this.tx.run(async (m) => {
      const claimed = await m.getRepository(ValueChangeEntity).update({ id, status: 'scheduled' }, { status: 'applying' });
      if (claimed.affected !== 1) return;
      const change = await m.getRepository(ValueChangeEntity).findOneOrFail({ where: { id } });
      await this.versions.sync(m);
      const before = structuredClone(this.rules);
      const next = applyRulesPatch(before, JSON.parse(change.rules) as RulesPatch);
      // Validated at publishing; a rule edited since can make it invalid: then the rules stay and members keep their compensation.
      const after = next.ok ? next.rules : before;
      const versionId = await this.versions.newVersion(m, { kind: 'VALUE_CHANGE', reason: `${change.title}:${change.reason}`, rules: after, valueChangeId: id });
      const policy = JSON.parse(change.compensation) as StoredCompensation;
      await m
        .getRepository(ValueChangeEntity)
        .update({ id }, { rulesVersionId: versionId, compensation: JSON.stringify({ ...policy, anchorBefore: before.anchor, anchorAfter: after.anchor }) });
    });
  }

  /** One batch in one transaction: the next members by id with a positive balance, locked, each paid at most once. */
  private async compensateBatch(id: number, actor: string): Promise<{ members: number; points: number; done: boolean }> {
    return this.tx.run(async (m) => {
      const change = await m.getRepository(ValueChangeEntity).findOneOrFail({ where: { id } });
      if (change.status === 'applied') return { members: 0, points: 0, done: true };
      const policy = JSON.parse(change.compensation) as StoredCompensation;
      invariant(policy.anchorBefore && policy.anchorAfter, `value change ${id} switched before paying`);
      const ids = (
        await m
          .getRepository(MemberAccountEntity)
          .createQueryBuilder('a')
          .select('a.member_id', 'memberId')
          .where('a.member_id > :after AND a.balance > 0', { after: change.afterMemberId })
          .orderBy('a.member_id', 'ASC')
          .limit(ValueChangesService.MEMBERS_PER_BATCH_MAX)
          .getRawMany<{ memberId: number | string }>()
      ).map((r) => Number(r.memberId));
      const now = this.clock().getTime();
      if (ids.length === 0) {
        await m.getRepository(ValueChangeEntity).update({ id }, { status: 'applied', appliedAt: now });
        return { members: 0, points: 0, done: true };
      }
      const accounts = await this.ledger.lockAccounts(m, ids);
      const paid = new Set((await m.getRepository(CompensationEntity).createQueryBuilder('c').where('c.value_change_id = :id AND c.member_id IN (:...ids)', { id, ids }).getMany()).map((c) => c.memberId));
      let members = 0;
      let points = 0;
      for (const memberId of ids) {
        const account = accounts.get(memberId)!;
        if (paid.has(memberId) || account.balance <= 0) continue;
        const due = compensationFor(account.balance, policy.anchorBefore, policy.anchorAfter, policy);
        const balanceBefore = account.balance;
        let entryId: number | null = null;
        if (due > 0) {
          const e = await this.ledger.credit(m, account, due, { code: 'COMPENSATION', reason: `规则变更补偿:${change.title}`, actor, refType: 'value_change', refId: `${id}:${memberId}` });
          entryId = e.id;
          await m.getRepository(NotificationEntity).insert({
            memberId,
            kind: 'VALUE_CHANGE',
            title: `规则已生效:${change.title}`.slice(0, 100),
            body: `“${change.title}”已生效,已为您补偿 ${due} 积分,当前余额 ${account.balance} 积分。`,
            dedupeKey: `value_change:${id}:${memberId}`,
            createdAt: now,
            readAt: null,
          });
        }
        await m.getRepository(CompensationEntity).insert({ valueChangeId: id, memberId, balanceBefore, points: due, entryId, createdAt: now });
        members += 1;
        points += due;
      }
      await m
        .createQueryBuilder()
        .update(ValueChangeEntity)
        .set({
          afterMemberId: ids[ids.length - 1]!,
          membersCompensated: () => `members_compensated + ${members}`,
          compensationPoints: () => `compensation_points + ${points}`,
        })
        .where('id = :id', { id })
        .execute();
      return { members, points, done: false };
    });
  }
}
