import { z } from 'zod';
import { cleanText } from './clean-text';

/**
 * Surveys created by marketing (issue 8.5): only their ids earn, once per member, with the answers stored.
 * A question is free text, or a choice among 2-8 options; every question must be answered.
 */
export const SURVEY_QUESTIONS_MAX = 20;
export const SURVEY_ANSWER_MAX = 500;
export const SURVEY_POINTS_MAX = 1000;

export const surveyQuestionSchema = z.strictObject({
  text: cleanText({ max: 200 }),
  options: z.array(cleanText({ max: 50 })).min(2).max(8).optional(),
});
export type SurveyQuestion = z.infer<typeof surveyQuestionSchema>;

export const surveyCreateRequest = z
  .strictObject({
    title: cleanText({ max: 100 }),
    questions: z.array(surveyQuestionSchema).min(1).max(SURVEY_QUESTIONS_MAX),
    points: z.number().int().min(0).max(SURVEY_POINTS_MAX),
    startsAt: z.iso.datetime({ offset: true }),
    endsAt: z.iso.datetime({ offset: true }),
  })
  .refine((s) => Date.parse(s.endsAt) > Date.parse(s.startsAt), { path: ['endsAt'], message: 'endsAt must be after startsAt' });
export type SurveyCreateRequest = z.infer<typeof surveyCreateRequest>;

export const surveySchema = z.object({
  id: z.number().int(),
  title: z.string(),
  questions: z.array(z.object({ text: z.string(), options: z.array(z.string()).optional() })),
  points: z.number().int(),
  startsAt: z.string(),
  endsAt: z.string(),
  responses: z.number().int(),
  createdAt: z.string(),
});
export type SurveyDto = z.infer<typeof surveySchema>;
export const surveyListResponse = z.object({ surveys: z.array(surveySchema) });
export const surveyResponse = z.object({ survey: surveySchema });

/** A survey as a member sees it: open now, and whether they have already answered it. */
export const memberSurveySchema = surveySchema.omit({ responses: true, createdAt: true }).extend({ done: z.boolean() });
export const memberSurveyListResponse = z.object({ surveys: z.array(memberSurveySchema) });
export type MemberSurveyDto = z.infer<typeof memberSurveySchema>;
