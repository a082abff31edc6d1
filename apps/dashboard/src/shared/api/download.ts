import { unwrap } from './client';

/** What the generated client answers for a request made with `parseAs: 'blob'`. */
interface BlobResult {
  data?: Blob;
  error?: unknown;
  response: Response;
}

/** The file name a `Content-Disposition: attachment; filename="…"` header gives, if any. */
export function filenameFromDisposition(contentDisposition: string | null): string | undefined {
  return contentDisposition?.match(/filename="?([^";]+)"?/)?.[1];
}

/**
 * Saves the file the API answered with, byte for byte, under the name the API gave it (else
 * `fallbackName`), and returns that name. The API's own bytes matter: reports are signed over them and
 * audit bundles are verified line by line.
 */
export async function saveApiFile(call: Promise<BlobResult>, fallbackName: string): Promise<string> {
  const blob = await unwrap(call);
  const { response } = await call;
  const filename = filenameFromDisposition(response.headers.get('Content-Disposition')) ?? fallbackName;
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.click();
  URL.revokeObjectURL(url);
  return filename;
}
