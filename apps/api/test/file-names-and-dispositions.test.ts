import { describe, expect, it } from 'vitest';
import { attachmentDisposition } from '../src/download/content-disposition.js';
import { sanitiseFileName } from '../src/upload/file-name.js';

describe('stored file names', () => {
  it('keeps only the base name', () => {
    expect(sanitiseFileName('../../etc/passwd')).toBe('passwd');
    expect(sanitiseFileName('C:\\Users\\me\\scan.png')).toBe('scan.png');
  });

  it('drops control characters and leading dots', () => {
    expect(sanitiseFileName('.hidden\u0000name\n.png')).toBe('hiddenname.png');
    expect(sanitiseFileName('..')).toBe('upload');
  });

  it('falls back to a name when nothing is left', () => {
    expect(sanitiseFileName(undefined)).toBe('upload');
    expect(sanitiseFileName('   ')).toBe('upload');
  });

  it('shortens a long name but keeps its extension and whole characters', () => {
    const name = sanitiseFileName(`${'😀'.repeat(300)}.png`);
    expect(name.endsWith('😀.png')).toBe(true);
    expect(Array.from(name)).toHaveLength(200);
  });
});

describe('Content-Disposition for downloads', () => {
  it('gives an ASCII fallback and the exact UTF-8 name', () => {
    expect(attachmentDisposition('résumé "v2".pdf')).toBe(`attachment; filename="r_sum_ _v2_.pdf"; filename*=UTF-8''r%C3%A9sum%C3%A9%20%22v2%22.pdf`);
  });

  it('never lets a name break out of the header value or name a path', () => {
    const value = attachmentDisposition('../a\\b";\r\nSet-Cookie: x=1');
    expect(value).not.toMatch(/[\r\n]/);
    expect(value).toMatch(/^attachment; filename="[^"]*"; filename\*=UTF-8''[A-Za-z0-9%._~!-]*$/);
  });

  it('percent-encodes the characters RFC 5987 reserves', () => {
    expect(attachmentDisposition("it's (1)*.txt")).toContain(`filename*=UTF-8''it%27s%20%281%29%2A.txt`);
  });
});
