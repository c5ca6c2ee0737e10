import type { EntityManager } from 'typeorm';
import { surveyOpen, type MemberSurveyDto, type SurveyCreateRequest, type SurveyDto, type SurveyQuestion } from '@jifen/shared';
import { SurveyEntity, SurveyResponseEntity, type Survey } from '../db/entities';
import type { TxRunner } from '../db/transaction';
import type { Clock } from '../clock';
import type { Actor, AuditService } from './audit.service';

/**
 * Surveys created by marketing (issue 8.5): title, questions, points and an active window. Members list the open
 * ones (GET /me/surveys) and answer through POST /me/tasks/survey (TasksService), once each. A survey is never
 * edited once published: members' stored answers refer to its questions by position.
 */
export class SurveysService {
  /** Surveys listed at most (newest first): marketing keeps a handful open at a time. */
  static readonly LIST_MAX = 100;

  constructor(
    private readonly tx: TxRunner,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async create(actor: Actor, input: SurveyCreateRequest): Promise<SurveyDto> {
    return this.tx.run(async (m) => {
      const row = {
        title: input.title,
        questions: JSON.stringify(input.questions.map((q) => (q.options ? { text: q.text, options: q.options } : { text: q.text }))),
        points: input.points,
        startsAt: Date.parse(input.startsAt),
        endsAt: Date.parse(input.endsAt),
        createdBy: actor.staffId ?? 0, // 0: a command-line actor
        createdAt: this.clock().getTime(),
      };
      const ins = await m.getRepository(SurveyEntity).insert(row);
      const created: Survey = { ...row, id: Number(ins.identifiers[0]!.id) };
      await this.audit.record(m, actor, { action: 'survey.create', targetType: 'survey', targetId: created.id, before: null, after: { title: row.title, points: row.points, startsAt: input.startsAt, endsAt: input.endsAt, questions: input.questions.length } });
      return toDto(created, 0);
    });
  }

  async list(): Promise<SurveyDto[]> {
    const m = this.tx.manager;
    const rows = await m.getRepository(SurveyEntity).find({ order: { id: 'DESC' }, take: SurveysService.LIST_MAX });
    const counts = await responseCounts(m, rows.map((r) => r.id));
    return rows.map((r) => toDto(r, counts.get(r.id) ?? 0));
  }

  /** The surveys open now, with whether this member already answered each. */
  async openFor(memberId: number): Promise<MemberSurveyDto[]> {
    const m = this.tx.manager;
    const now = this.clock().getTime();
    const rows = (
      await m
        .getRepository(SurveyEntity)
        .createQueryBuilder('s')
        .where('s.starts_at <= :now AND s.ends_at > :now', { now })
        .orderBy('s.ends_at', 'ASC')
        .take(SurveysService.LIST_MAX)
        .getMany()
    ).filter((s) => surveyOpen(s, now));
    const done = new Set(
      rows.length === 0 ? [] : (await m.getRepository(SurveyResponseEntity).createQueryBuilder('r').where('r.member_id = :memberId AND r.survey_id IN (:...ids)', { memberId, ids: rows.map((r) => r.id) }).getMany()).map((r) => r.surveyId),
    );
    return rows.map((r) => {
      const { responses: _r, createdAt: _c, ...rest } = toDto(r, 0);
      return { ...rest, done: done.has(r.id) };
    });
  }
}

async function responseCounts(m: EntityManager, ids: number[]): Promise<Map<number, number>> {
  if (ids.length === 0) return new Map();
  const rows = await m
    .getRepository(SurveyResponseEntity)
    .createQueryBuilder('r')
    .select('r.survey_id', 'surveyId')
    .addSelect('COUNT(*)', 'n')
    .where('r.survey_id IN (:...ids)', { ids })
    .groupBy('r.survey_id')
    .getRawMany<{ surveyId: number | string; n: number | string }>();
  return new Map(rows.map((r) => [Number(r.surveyId), Number(r.n)]));
}

function toDto(s: Survey, responses: number): SurveyDto {
  return {
    id: s.id,
    title: s.title,
    questions: JSON.parse(s.questions) as SurveyQuestion[],
    points: s.points,
    startsAt: new Date(s.startsAt).toISOString(),
    endsAt: new Date(s.endsAt).toISOString(),
    responses,
    createdAt: new Date(s.createdAt).toISOString(),
  };
}
