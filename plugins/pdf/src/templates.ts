import { PDFDocument, StandardFonts, rgb } from 'pdf-lib';

/** A one-page A6 PDF with a line of text: small, valid, and something to look at. */
export async function makePdfTemplate(format: string): Promise<Uint8Array | undefined> {
  if (format !== 'pdf') return undefined;
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  const page = pdf.addPage([298, 420]);
  page.drawText('Conveyor sample PDF', { x: 36, y: 370, size: 16, font, color: rgb(0.1, 0.1, 0.3) });
  pdf.setTitle('Conveyor sample PDF');
  // A fixed date keeps the template the same bytes on every call.
  pdf.setCreationDate(new Date(0));
  pdf.setModificationDate(new Date(0));
  return pdf.save();
}
