import { inflateSync } from 'node:zlib';

/** One piece of text drawn at one place: pdfkit draws each line of a `text()` call as one. */
export interface PdfTextRun {
  /** 0-based, in the order of the pages' content streams. */
  page: number;
  x: number;
  y: number;
  text: string;
}

const STREAM = /<<((?:(?!>>)[^])*)>>\s*stream\r?\n/g;
const TEXT_OBJECT = /BT\n([^]*?)\nET/g;
const WIN_ANSI = new TextDecoder('windows-1252');

/**
 * The text of a PDF written by pdfkit with its standard fonts, run by run, to read back what a renderer
 * drew. Not a PDF reader: it knows pdfkit's output only (Flate-compressed content streams, one per page;
 * each line a BT…ET object with a `Tm` position and WinAnsi hex strings in `TJ` arrays).
 */
export function pdfTextRuns(pdf: Buffer): PdfTextRun[] {
  const file = pdf.toString('latin1');
  const runs: PdfTextRun[] = [];
  let page = 0;
  for (const stream of file.matchAll(STREAM)) {
    const length = Number(/\/Length (\d+)/.exec(stream[1]!)?.[1]);
    const start = stream.index + stream[0].length;
    const bytes = pdf.subarray(start, start + length);
    const content = (/\/FlateDecode/.test(stream[1]!) ? inflateSync(bytes) : bytes).toString('latin1');
    const objects = [...content.matchAll(TEXT_OBJECT)];
    if (objects.length === 0) continue;
    for (const [, body] of objects) {
      const at = /1 0 0 1 (-?[\d.]+) (-?[\d.]+) Tm/.exec(body!);
      const text = [...body!.matchAll(/\[([^\]]*)\] TJ/g)]
        .flatMap(([, array]) => [...array!.matchAll(/<([0-9a-f]*)>/gi)].map(([, hex]) => WIN_ANSI.decode(Buffer.from(hex!, 'hex'))))
        .join('');
      runs.push({ page, x: Number(at?.[1]), y: Number(at?.[2]), text });
    }
    page++;
  }
  return runs;
}
