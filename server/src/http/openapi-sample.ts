/**
 * Example values for the API reference, made from a JSON Schema when a route gives no example of its own:
 * the first enum value, the lower bound of a number, a string that matches the schema's pattern and
 * length. Deterministic, so the generated document is stable between builds.
 */
type Json = Record<string, any>;

const DEPTH_MAX = 12;

export function sampleOf(schema: unknown, depth = 0): unknown {
  if (!schema || typeof schema !== 'object' || depth > DEPTH_MAX) return null;
  const s = schema as Json;
  if (s.examples?.length) return s.examples[0];
  if (s.const !== undefined) return s.const;
  if (s.default !== undefined) return s.default;
  if (Array.isArray(s.enum) && s.enum.length) return s.enum[0];
  for (const k of ['anyOf', 'oneOf'] as const) {
    if (Array.isArray(s[k]) && s[k].length) {
      const nonNull = s[k].find((x: Json) => x?.type !== 'null') ?? s[k][0];
      return sampleOf(nonNull, depth + 1);
    }
  }
  if (Array.isArray(s.allOf)) return Object.assign({}, ...s.allOf.map((x: unknown) => sampleOf(x, depth + 1)));
  const type = Array.isArray(s.type) ? s.type.find((t: string) => t !== 'null') : s.type;
  switch (type) {
    case 'object': {
      const out: Json = {};
      for (const [name, prop] of Object.entries((s.properties ?? {}) as Json)) out[name] = sampleOf(namedHint(name, prop as Json), depth + 1);
      return out;
    }
    case 'array': {
      if (Array.isArray(s.prefixItems)) return s.prefixItems.map((x: unknown) => sampleOf(x, depth + 1));
      const n = Math.max(1, s.minItems ?? 1);
      return Array.from({ length: Math.min(n, 3) }, () => sampleOf(s.items, depth + 1));
    }
    case 'integer':
    case 'number':
      return numberSample(s);
    case 'boolean':
      return true;
    case 'null':
      return null;
    case 'string':
      return stringSample(s);
    default:
      return s.properties ? sampleOf({ ...s, type: 'object' }, depth) : null;
  }
}

/** A plain string property named like a time or a date gets that format (`expiresAt`, `birthday`). */
function namedHint(name: string, s: Json): Json {
  if (s && Array.isArray(s.anyOf)) return { ...s, anyOf: s.anyOf.map((o: Json) => namedHint(name, o)) };
  const isString = s && (s.type === 'string' || (Array.isArray(s.type) && s.type.includes('string')));
  if (!isString || s.format || s.pattern || s.enum || s.const !== undefined) return s;
  if (/(At|Until)$/.test(name)) return { ...s, format: 'date-time' };
  if (/(^date|Date$|^birthday$)/.test(name)) return { ...s, format: 'date' };
  return s;
}

function numberSample(s: Json): number {
  const min = typeof s.minimum === 'number' ? s.minimum : typeof s.exclusiveMinimum === 'number' ? s.exclusiveMinimum + 1 : null;
  const max = typeof s.maximum === 'number' ? s.maximum : typeof s.exclusiveMaximum === 'number' ? s.exclusiveMaximum - 1 : null;
  let v = 1;
  if (min !== null && v < min) v = min;
  if (max !== null && v > max) v = max;
  return v;
}

function stringSample(s: Json): string {
  switch (s.format) {
    case 'date-time':
      return '2026-06-15T04:00:00.000Z';
    case 'date':
      return '2026-06-15';
    case 'email':
      return 'someone@example.com';
    case 'uri':
    case 'url':
      return 'https://example.com/';
  }
  const minLength = s.minLength ?? 1;
  const maxLength = s.maxLength ?? Number.MAX_SAFE_INTEGER;
  if (typeof s.pattern === 'string') {
    for (let open = 1; open <= 40; open++) {
      const v = fromPattern(s.pattern, open);
      if (v === null) break;
      if (v.length >= minLength && v.length <= maxLength) return v;
    }
  }
  return 'string'.padEnd(Math.min(minLength, 64), 'x').slice(0, Math.max(1, Math.min(maxLength, 64)));
}

/**
 * A string matching a simple regular expression (anchors, literals, escapes \d \w \s, character classes
 * with ranges, groups with alternatives, quantifiers ? * + {n} {n,m}); `open` is how many times an
 * unbounded quantifier repeats. Null for constructs it does not handle (the caller falls back).
 */
export function fromPattern(pattern: string, open = 1): string | null {
  let i = 0;
  const src = pattern;
  function alternatives(): string | null {
    const first = sequence();
    while (src[i] === '|') {
      i++;
      if (sequence() === null) return null; // parse and drop the other alternatives
    }
    return first;
  }
  function sequence(): string | null {
    let out = '';
    while (i < src.length && src[i] !== '|' && src[i] !== ')') {
      const atom = atomSample();
      if (atom === null) return null;
      const [lo, hi] = quantifier();
      const n = hi === null ? Math.max(lo, open) : Math.max(lo, Math.min(hi, lo === 0 ? 1 : lo));
      out += atom.repeat(n);
    }
    return out;
  }
  function atomSample(): string | null {
    const c = src[i++];
    if (c === '^' || c === '$') return '';
    if (c === '(') {
      if (src.startsWith('?:', i)) i += 2;
      const v = alternatives();
      if (src[i++] !== ')') return null;
      return v;
    }
    if (c === '[') {
      const negate = src[i] === '^';
      if (negate) return null;
      let first: string | null = null;
      while (i < src.length && src[i] !== ']') {
        let ch = src[i++]!;
        if (ch === '\\') {
          const e = src[i++]!;
          ch = e === 'd' ? '1' : e === 'w' ? 'a' : e;
        }
        first ??= ch;
        if (src[i] === '-' && src[i + 1] !== ']') i += 2; // a range: keep its first character
      }
      i++;
      return first;
    }
    if (c === '\\') {
      const e = src[i++];
      return e === 'd' ? '1' : e === 'w' ? 'a' : e === 's' ? ' ' : (e ?? null);
    }
    if (c === '.') return 'a';
    return c ?? null;
  }
  function quantifier(): [number, number | null] {
    const c = src[i];
    if (c === '?') return i++, [0, 1];
    if (c === '*') return i++, [0, null];
    if (c === '+') return i++, [1, null];
    if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(src.slice(i));
      if (m) {
        i += m[0].length;
        const lo = Number(m[1]);
        return [lo, m[2] === undefined ? lo : m[3] ? Number(m[3]) : null];
      }
    }
    return [1, 1];
  }
  const v = alternatives();
  return i >= src.length ? v : null;
}
