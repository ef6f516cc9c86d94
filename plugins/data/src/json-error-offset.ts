/**
 * Where a JSON text stops being valid, as a character offset. V8's JSON.parse messages give a
 * position for some errors only ("Unexpected token '}', … is not valid JSON" has none), so on
 * failure the text is scanned again by this small validator to find the spot.
 *
 * @example jsonErrorOffset('{"a":}') // 5
 */
export function jsonErrorOffset(text: string): number | undefined {
  let index = 0;
  const stop = () => {
    throw new InvalidAt(index);
  };
  const skipWhitespace = () => {
    while (index < text.length && ' \t\n\r'.includes(text[index]!)) index++;
  };
  const expect = (literal: string) => {
    for (const character of literal) {
      if (text[index] !== character) stop();
      index++;
    }
  };
  const string = () => {
    expect('"');
    for (;;) {
      if (index >= text.length) stop();
      const character = text[index]!;
      if (character === '"') return void index++;
      if (character < ' ') stop();
      if (character === '\\') {
        index++;
        const escaped = text[index];
        if (escaped === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(index + 1, index + 5))) stop();
          index += 5;
        } else if (escaped !== undefined && '"\\/bfnrt'.includes(escaped)) index++;
        else stop();
      } else index++;
    }
  };
  const number = () => {
    const match = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(index, index + 400));
    if (!match || match[0] === '' || match[0] === '-') stop();
    index += match![0].length;
  };
  const value = (): void => {
    skipWhitespace();
    const character = text[index];
    if (character === '{') {
      index++;
      skipWhitespace();
      if (text[index] === '}') return void index++;
      for (;;) {
        skipWhitespace();
        string();
        skipWhitespace();
        expect(':');
        value();
        skipWhitespace();
        if (text[index] === ',') index++;
        else return expect('}');
      }
    }
    if (character === '[') {
      index++;
      skipWhitespace();
      if (text[index] === ']') return void index++;
      for (;;) {
        value();
        skipWhitespace();
        if (text[index] === ',') index++;
        else return expect(']');
      }
    }
    if (character === '"') return string();
    if (character === 't') return expect('true');
    if (character === 'f') return expect('false');
    if (character === 'n') return expect('null');
    return number();
  };
  try {
    value();
    skipWhitespace();
    if (index < text.length) stop();
    return undefined;
  } catch (error) {
    if (error instanceof InvalidAt) return error.offset;
    // Nesting deep enough to overflow the stack: no position, the parser's message stands alone.
    return undefined;
  }
}

class InvalidAt {
  constructor(readonly offset: number) {}
}
