import { parse } from 'csv-parse/sync';
import { IMPORT_ROWS_MAX } from '@jifen/shared';
import { AppError } from '../errors';

/** One CSV record with the file line it starts on (what Excel shows as the row number). */
export interface CsvRecord {
  line: number;
  cells: string[];
}

/**
 * The bytes of an uploaded CSV as text. UTF-8 with or without BOM (Excel's "CSV UTF-8"); a file that is not
 * valid UTF-8 is read as GB18030, which is what Excel's plain "CSV" saves on a Chinese Windows.
 */
export function decodeCsv(bytes: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return new TextDecoder('gb18030').decode(bytes);
  }
}

/**
 * Parses CSV with csv-parse (quoted fields, "" escapes, CRLF or LF, a BOM if one is left). Blank lines are
 * skipped; a broken file (an unclosed quote) is 400 naming the line. At most IMPORT_ROWS_MAX + 1 records
 * (a header may come first), else IMPORT_TOO_LARGE.
 */
export function parseCsv(text: string): CsvRecord[] {
  let out: { record: string[]; info: { lines: number } }[];
  try {
    out = parse(text, {
      bom: true,
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      skip_records_with_empty_values: true,
      trim: true,
      to: IMPORT_ROWS_MAX + 2,
    }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (e) {
    const line = (e as { lines?: number }).lines;
    throw new AppError('VALIDATION_FAILED', [{ path: line ? `line ${line}` : 'body', message: 'not a readable CSV (check quotes)' }]);
  }
  if (out.length > IMPORT_ROWS_MAX + 1) throw new AppError('IMPORT_TOO_LARGE', { rowsMax: IMPORT_ROWS_MAX });
  // info.lines is the line the record ends on; a quoted field spanning lines is rare here, and then the
  // record's last line is still a line of that record.
  return out.map((r) => ({ line: r.info.lines, cells: r.record }));
}

/** Whether a cell reads as an integer number of points ("1000", "-50", "+20", "1,000"). */
export function pointsCell(cell: string): number | null {
  const s = cell.replace(/[,\s]/g, '');
  if (!/^[+-]?\d{1,12}$/.test(s)) return null;
  return Number(s);
}

/** A header row is one whose points column is not a number (手机号/会员号, 积分, 原因). */
export function isHeader(r: CsvRecord): boolean {
  return r.cells.length >= 2 && pointsCell(r.cells[1] ?? '') === null;
}

/**
 * A CSV cell for Excel: quoted when needed, and a text cell that starts like a formula (= + - @) gets a
 * leading apostrophe so a spreadsheet shows it instead of running it.
 */
export function csvCell(v: string | number | null): string {
  if (v === null) return '';
  if (typeof v === 'number') return String(v);
  const safe = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
