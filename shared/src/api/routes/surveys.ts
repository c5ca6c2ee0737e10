import { memberSurveyListResponse, surveyCreateRequest, surveyListResponse, surveyResponse } from '../../schemas/surveys';
import type { RouteSpec } from '../contract';

const MARKETING = ['marketing', 'admin'] as const;

/** Surveys (issue 8.5): marketing publishes them; members list the open ones and answer via POST /me/tasks/survey. */
export const SURVEY_ROUTES: RouteSpec[] = [
  { method: 'GET', path: '/me/surveys', access: 'member', tag: 'tasks', summary: 'Surveys open now, each with whether this member has answered it.', response: memberSurveyListResponse },
  { method: 'GET', path: '/admin/surveys', access: MARKETING, tag: 'admin: surveys', summary: 'Surveys, newest first, with their response counts.', response: surveyListResponse },
  {
    method: 'POST',
    path: '/admin/surveys',
    access: MARKETING,
    tag: 'admin: surveys',
    summary: 'Publishes a survey (title, questions, points, active window); only published ids earn. Audited.',
    body: surveyCreateRequest,
    status: 201,
    response: surveyResponse,
    example: {
      request: {
        title: '门店服务满意度',
        questions: [{ text: '您对本次服务满意吗?', options: ['满意', '一般', '不满意'] }, { text: '还有什么建议?' }],
        points: 10,
        startsAt: '2026-12-01T00:00:00+08:00',
        endsAt: '2027-01-01T00:00:00+08:00',
      },
    },
  },
];
