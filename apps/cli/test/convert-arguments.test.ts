import { describe, expect, it } from 'vitest';
import { defaultOutputName, parseConvertArguments, UsageError } from '../src/convert/convert-arguments.js';

const parse = (argv: string[], env: NodeJS.ProcessEnv = {}) => parseConvertArguments(argv, env);

describe('conveyor convert arguments', () => {
  it('takes the file, the target and every option, typing numbers and booleans', () => {
    expect(parse(['photo.HEIC', '--to', '.JPEG', '--option', 'quality=82', '--option', 'preserve_metadata=true', '--option', 'background=#fff'])).toEqual({
      inputPath: 'photo.HEIC',
      targetFormat: 'jpeg',
      preset: undefined,
      options: { quality: 82, preserve_metadata: true, background: '#fff' },
      outputPath: 'photo.jpeg',
      force: false,
      serverUrl: 'http://127.0.0.1:8080',
      apiKey: undefined,
    });
  });

  it('lets --option override --options, and takes the preset, output, force, server and key', () => {
    const parsed = parse(['in/report.docx', '--to', 'pdf', '--options', '{"pdfProfile":"standard","x":1}', '--option', 'pdfProfile=pdfa', '--preset', 'pdfa', '-o', 'out.pdf', '--force', '--server', 'http://conveyor:8080/'], {
      CONVEYOR_URL: 'http://ignored',
      CONVEYOR_API_KEY: 'key-1',
    });
    expect(parsed).toMatchObject({ options: { pdfProfile: 'pdfa', x: 1 }, preset: 'pdfa', outputPath: 'out.pdf', force: true, serverUrl: 'http://conveyor:8080', apiKey: 'key-1' });
    expect(parse(['a.png', '--to', 'webp'], { CONVEYOR_URL: 'http://elsewhere:9000' })).toMatchObject({ serverUrl: 'http://elsewhere:9000' });
  });

  it('names the output after the input, with the target extension', () => {
    expect(defaultOutputName('/tmp/holiday.png', 'webp')).toBe('holiday.webp');
    expect(defaultOutputName('archive.tar.gz', 'zip')).toBe('archive.tar.zip');
    expect(defaultOutputName('README', 'pdf')).toBe('README.pdf');
    expect(defaultOutputName('.png', 'webp')).toBe('.png.webp');
  });

  it('answers help for --help and -h', () => {
    expect(parse(['--help'])).toBe('help');
    expect(parse(['-h'])).toBe('help');
  });

  const refusals: Array<[string, string[], RegExp]> = [
    ['no file', ['--to', 'webp'], /name the file/],
    ['two files', ['a.png', 'b.png', '--to', 'webp'], /one file at a time/],
    ['no target', ['a.png'], /--to/],
    ['an option without a value', ['a.png', '--to', 'webp', '--option', 'quality'], /name=value/],
    ['options that are not JSON', ['a.png', '--to', 'webp', '--options', '{quality:1}'], /not JSON/],
    ['options that are not an object', ['a.png', '--to', 'webp', '--options', '[1]'], /JSON object/],
    ['an unknown flag', ['a.png', '--to', 'webp', '--qualty', '5'], /qualty/],
  ];
  for (const [what, argv, message] of refusals) {
    it(`refuses ${what}`, () => {
      expect(() => parse(argv)).toThrow(UsageError);
      expect(() => parse(argv)).toThrow(message);
    });
  }
});
