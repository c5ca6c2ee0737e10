import { surveyListResponse, surveyResponse, type SurveyCreateRequest, type SurveyDto } from '@jifen/shared'
import { request } from './request'

export type { SurveyDto }

/** GET /admin/surveys: newest first, with response counts. */
export async function listSurveys(): Promise<SurveyDto[]> {
  return (await request({ path: '/admin/surveys', auth: 'staff', schema: surveyListResponse })).surveys
}

/** POST /admin/surveys: publishes a survey; only published ids earn (issue 8.5). */
export async function createSurvey(body: SurveyCreateRequest): Promise<SurveyDto> {
  return (await request({ method: 'POST', path: '/admin/surveys', body, auth: 'staff', schema: surveyResponse })).survey
}
