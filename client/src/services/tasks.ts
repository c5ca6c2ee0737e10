import { taskCenterResponse, taskResponse, type TaskCenterResponse, type TaskResponse } from '@jifen/shared'
import { request } from './request'

export type { TaskCenterResponse, TaskResponse }

/** GET /me/tasks: every channel with its state now. */
export function getTaskCenter(): Promise<TaskCenterResponse> {
  return request({ path: '/me/tasks', auth: 'member', schema: taskCenterResponse })
}

/** POST /me/tasks/review: an own order (storeId when the number exists at two stores). */
export function reviewOrder(orderNo: string, storeId: number, text: string): Promise<TaskResponse> {
  return request({ method: 'POST', path: '/me/tasks/review', body: { orderNo, storeId, text }, auth: 'member', schema: taskResponse })
}

/** POST /me/tasks/bind-card: the number is checked and not stored. */
export function bindCard(cardNo: string): Promise<TaskResponse> {
  return request({ method: 'POST', path: '/me/tasks/bind-card', body: { cardNo }, auth: 'member', schema: taskResponse })
}

/** POST /me/tasks/survey: one answer per question, in order. */
export function takeSurvey(surveyId: number, answers: string[]): Promise<TaskResponse> {
  return request({ method: 'POST', path: '/me/tasks/survey', body: { surveyId, answers }, auth: 'member', schema: taskResponse })
}

/** POST /me/tasks/share. */
export function shared(): Promise<TaskResponse> {
  return request({ method: 'POST', path: '/me/tasks/share', body: {}, auth: 'member', schema: taskResponse })
}
