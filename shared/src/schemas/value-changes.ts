import { z } from 'zod';

/** Value changes (issue 10.5): announced at least valueChangeNoticeDays ahead, compensated at effectiveAt. */
export const compensationPolicySchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('restore') }),
  z.object({ mode: z.literal('percent'), percent: z.number().int().min(1).max(100) }),
]);

export const valueChangeRequest = z.object({
  title: z.string().trim().min(1).max(64),
  reason: z.string().trim().min(1).max(500),
  effectiveAt: z.iso.datetime({ offset: true }),
  /** A partial of config/rules.json with the same keys, e.g. {"anchor": {"points": 100, "fen": 90}}. */
  rules: z.record(z.string(), z.unknown()).refine((r) => Object.keys(r).length > 0, 'name at least one rule'),
  compensation: compensationPolicySchema,
});
export type ValueChangeRequest = z.infer<typeof valueChangeRequest>;

export const simulationResponse = z.object({
  membersAffected: z.number().int(),
  compensationPoints: z.number().int(),
  compensationFen: z.number().int(),
  liabilityFenBefore: z.number().int(),
  liabilityFenAfter: z.number().int(),
  /** What changes, in the words members read. */
  changes: z.array(z.string()),
});
export type SimulationResponse = z.infer<typeof simulationResponse>;

export const valueChangeDto = z.object({
  id: z.number().int(),
  title: z.string(),
  reason: z.string(),
  effectiveAt: z.string(),
  announcedAt: z.string(),
  status: z.enum(['scheduled', 'applying', 'applied']),
  rules: z.record(z.string(), z.unknown()),
  compensation: compensationPolicySchema,
  changes: z.array(z.string()),
  /** The simulation at publishing. */
  simulation: simulationResponse,
  membersCompensated: z.number().int(),
  compensationPoints: z.number().int(),
  rulesVersion: z.number().int().nullable(),
  appliedAt: z.string().nullable(),
  createdBy: z.string(),
});
export type ValueChangeDto = z.infer<typeof valueChangeDto>;
export const valueChangeListResponse = z.object({ items: z.array(valueChangeDto), noticeDays: z.number().int() });

/** What a change means for one member: upcoming ones with an estimate, past ones with what was credited. */
export const memberValueChange = z.object({
  id: z.number().int(),
  title: z.string(),
  reason: z.string(),
  effectiveAt: z.string(),
  announcedAt: z.string(),
  status: z.enum(['scheduled', 'applying', 'applied']),
  changes: z.array(z.string()),
  compensation: compensationPolicySchema,
  /** Upcoming: what the member's balance is worth now and after, and the compensation it would get today. */
  balanceWorthFenNow: z.number().int().nullable(),
  balanceWorthFenAfter: z.number().int().nullable(),
  compensationPointsEstimate: z.number().int().nullable(),
  /** Applied: the COMPENSATION credited to this member (0 when nothing was due). */
  compensationPointsReceived: z.number().int().nullable(),
});
export type MemberValueChange = z.infer<typeof memberValueChange>;
export const memberValueChangesResponse = z.object({ upcoming: z.array(memberValueChange), history: z.array(memberValueChange) });
export type MemberValueChangesResponse = z.infer<typeof memberValueChangesResponse>;
