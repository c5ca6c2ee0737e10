import { EntitySchema } from 'typeorm';
import { int, ms, pk, str, text } from '../columns';

/** A survey marketing published (issue 8.5): only these ids earn, inside [startsAt, endsAt). */
export interface Survey {
  id: number;
  title: string;
  questions: string; // JSON SurveyQuestion[]
  points: number;
  startsAt: number;
  endsAt: number;
  createdBy: number;
  createdAt: number;
}

export const SurveyEntity = new EntitySchema<Survey>({
  name: 'Survey',
  tableName: 'survey',
  columns: {
    id: pk,
    title: str(100),
    questions: text,
    points: int,
    startsAt: { ...ms, name: 'starts_at' },
    endsAt: { ...ms, name: 'ends_at' },
    createdBy: { ...int, name: 'created_by' },
    createdAt: { ...ms, name: 'created_at' },
  },
});

/** A member's answers to a survey; unique (survey_id, member_id): once per member. */
export interface SurveyResponse {
  id: number;
  surveyId: number;
  memberId: number;
  answers: string; // JSON string[]
  createdAt: number;
}

export const SurveyResponseEntity = new EntitySchema<SurveyResponse>({
  name: 'SurveyResponse',
  tableName: 'survey_response',
  columns: {
    id: pk,
    surveyId: { ...int, name: 'survey_id' },
    memberId: { ...int, name: 'member_id' },
    answers: text,
    createdAt: { ...ms, name: 'created_at' },
  },
});
