import { pyFloat, pyLiteral, pyString } from '../../constructs';

describe('Python literals', () => {
  test.each([
    ['plain', '"plain"'],
    ['say "hi"', '"say \\"hi\\""'],
    ["it's", '"it\'s"'],
    ['back\\slash', '"back\\\\slash"'],
    ['two\nlines', '"two\\nlines"'],
    ['tab\there', '"tab\\there"'],
    ['GiB → 2³⁰', '"GiB \\u2192 2\\xb3\\u2070"'],
    ['🚀', '"\\U0001f680"'],
    ['"); import os; os.system("id") #', '"\\"); import os; os.system(\\"id\\") #"'],
  ])('pyString(%j) = %s', (input, expected) => {
    expect(pyString(input)).toBe(expected);
  });

  test('a string literal is always one line, quoted at both ends, with no unescaped quote inside', () => {
    const out = pyString('a"b\\"c\r\n\u2028"');
    expect(out).not.toMatch(/[\r\n\u2028]/);
    expect(out.slice(1, -1).replace(/\\\\/g, '').replace(/\\"/g, '')).not.toContain('"');
  });

  test('floats keep a decimal point; literals map JSON to Python', () => {
    expect([pyFloat(4), pyFloat(1.5), pyFloat(1e21)]).toEqual(['4.0', '1.5', '1e+21']);
    expect(pyLiteral({ a: [1, true, false, null], 'b"': 'x', skip: undefined })).toBe('{"a": [1, True, False, None], "b\\"": "x"}');
  });
});
