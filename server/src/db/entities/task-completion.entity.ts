import { EntitySchema } from 'typeorm';
import { int, ms, pk, str } from '../columns';

/** Non-purchase earning events; unique (member_id, task, task_key) enforces once-per-order/once/per-day limits. */
export interface TaskCompletion {
  id: number;
  memberId: number;
  task: string;
  taskKey: string;
  month: string;
  points: number;
  entryId: number | null;
  createdAt: number;
}

export const TaskCompletionEntity = new EntitySchema<TaskCompletion>({
  name: 'TaskCompletion',
  tableName: 'task_completion',
  columns: {
    id: pk,
    memberId: { ...int, name: 'member_id' },
    task: str(16),
    taskKey: { ...str(64), name: 'task_key' },
    month: str(7),
    points: int,
    entryId: { type: 'int', nullable: true, name: 'entry_id' },
    createdAt: { ...ms, name: 'created_at' },
  },
});
