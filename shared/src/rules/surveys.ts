import type { SurveyQuestion } from '../schemas/surveys';

/** Whether a survey takes answers at nowMs: inside [startsAt, endsAt). */
export function surveyOpen(s: { startsAt: number; endsAt: number }, nowMs: number): boolean {
  return s.startsAt <= nowMs && nowMs < s.endsAt;
}

/**
 * Answers against the questions (issue 8.5): one per question, in order, none empty; a choice question's answer is
 * one of its options. Returns the first problem as a validation issue, or null when the answers fit.
 */
export function checkSurveyAnswers(questions: SurveyQuestion[], answers: string[]): { path: string; message: string } | null {
  if (answers.length !== questions.length) return { path: 'answers', message: `${questions.length} answers expected, one per question` };
  for (let i = 0; i < questions.length; i++) {
    const a = answers[i]!;
    const q = questions[i]!;
    if (a.length === 0) return { path: `answers.${i}`, message: 'every question needs an answer' };
    if (q.options && !q.options.includes(a)) return { path: `answers.${i}`, message: 'not one of the options' };
  }
  return null;
}
