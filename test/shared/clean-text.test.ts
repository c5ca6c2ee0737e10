import { cleanText, stripUnsafeText } from '@jifen/shared';

describe('stripUnsafeText / cleanText (staff-typed names and texts)', () => {
  test.each([
    ['plain', '王小明', '王小明'],
    ['trimmed', '  望京店 ', '望京店'],
    ['C0 controls', 'a\u0000b\u0007c\u001Fd', 'abcd'],
    ['DEL and C1', 'a\u007Fb\u0085c\u009Fd', 'abcd'],
    ['bidi override hides a reversed tail', 'invoice\u202Egpj.exe', 'invoicegpj.exe'],
    ['bidi embeddings and isolates', '\u202A\u202B\u202C\u202D\u2066\u2067\u2068\u2069x', 'x'],
    ['marks and zero-width space', 'a\u200Eb\u200Fc\u061Cd\u200Be\uFEFF', 'abcde'],
    ['ZWJ kept for emoji', '👩\u200D💻', '👩\u200D💻'],
    ['line breaks and tabs become spaces', 'a\nb\tc\r\nd', 'a b c  d'],
  ])('%s', (_name, input, expected) => {
    expect(stripUnsafeText(input)).toBe(expected);
  });

  test('multi-line text keeps its line breaks', () => {
    expect(stripUnsafeText('line 1\nline\u202E 2', { multiline: true })).toBe('line 1\nline 2');
  });

  test('cleanText counts characters after cleaning', () => {
    const name = cleanText({ max: 3 });
    expect(name.parse(' 王\u202E小明 ')).toBe('王小明');
    expect(name.safeParse('王小明店').success).toBe(false);
    expect(name.safeParse('\u202E\u0007').success).toBe(false); // nothing left
    expect(cleanText({ min: 0, max: 3 }).parse('\u202E')).toBe('');
    expect(name.safeParse('x'.repeat(1000)).success).toBe(false);
  });
});
