import { unzipSync } from 'fflate';
import sharp from 'sharp';
import { expect } from 'vitest';
import { runPluginConformance } from '../../../test/plugin-conformance/index.js';
import { pdfPlugin } from '../src/index.js';
import { fixtureHeight, fixtureWidth, makeImage, makeTextPdf, pageSizes, pageTexts, pixelsAt, samplePageSizes, samplePageTexts } from './pdf-fixtures.js';

const defaultDpi = 150;

runPluginConformance(pdfPlugin, {
  samples: {
    pdf: () => makeTextPdf(),
    png: () => makeImage('png'),
    jpeg: () => makeImage('jpeg'),
    webp: () => makeImage('webp'),
    tiff: () => makeImage('tiff'),
  },
  verifyOutput: async ({ from, to, bytes }) => {
    switch (to) {
      case 'pdf': {
        // pdf → pdf without options rewrites the document; an image becomes one page its size.
        const sizes = await pageSizes(bytes);
        if (from === 'pdf') {
          expect(sizes).toEqual(samplePageSizes);
          expect(pageTexts(bytes)).toEqual(samplePageTexts);
        } else {
          expect(sizes).toEqual([[fixtureWidth, fixtureHeight]]);
        }
        return;
      }
      case 'png':
      case 'jpeg':
      case 'webp': {
        const metadata = await sharp(bytes).metadata();
        expect(metadata.format).toBe(to);
        const [width, height] = samplePageSizes[0]!;
        expect([metadata.width, metadata.height]).toEqual([pixelsAt(width, defaultDpi), pixelsAt(height, defaultDpi)]);
        return;
      }
      case 'zip': {
        const entries = unzipSync(bytes);
        expect(Object.keys(entries)).toEqual(['page-001.pdf', 'page-002.pdf', 'page-003.pdf']);
        const pages = Object.values(entries);
        for (const [index, page] of pages.entries()) {
          expect(await pageSizes(page)).toEqual([samplePageSizes[index]]);
          expect(pageTexts(page)).toEqual([samplePageTexts[index]]);
        }
        return;
      }
      case 'txt': {
        const text = new TextDecoder().decode(bytes);
        expect(text.split('\f').map((page) => page.trim())).toEqual(samplePageTexts);
        return;
      }
      default:
        throw new Error(`the pdf plugin converted to ${to}, a format it does not declare`);
    }
  },
});
