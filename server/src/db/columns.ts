import type { EntitySchemaColumnOptions } from 'typeorm';

/** Epoch milliseconds as BIGINT; mysql2 returns BIGINT as a string, so read it back as a number. */
const toNumber = { to: (v: unknown) => v, from: (v: unknown) => (v === null || v === undefined ? v : Number(v)) };

export const pk: EntitySchemaColumnOptions = { type: 'integer', primary: true, generated: 'increment' };
export const int: EntitySchemaColumnOptions = { type: 'int' };
export const intNull: EntitySchemaColumnOptions = { type: 'int', nullable: true };
export const ms: EntitySchemaColumnOptions = { type: 'bigint', transformer: toNumber };
export const msNull: EntitySchemaColumnOptions = { type: 'bigint', nullable: true, transformer: toNumber };
export const str = (length: number): EntitySchemaColumnOptions => ({ type: 'varchar', length });
export const strNull = (length: number): EntitySchemaColumnOptions => ({ type: 'varchar', length, nullable: true });
export const text: EntitySchemaColumnOptions = { type: 'text' };
export const textNull: EntitySchemaColumnOptions = { type: 'text', nullable: true };
export const bool: EntitySchemaColumnOptions = { type: 'boolean', transformer: { to: (v: unknown) => v, from: (v: unknown) => Boolean(v) } };
