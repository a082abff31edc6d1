import type { Schemas } from '@custos/api-client';
import { useMutation, useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../../shared/api/client';

export type SubjectReport = Schemas['SubjectReportResponse'];

export const subjectKeys = {
  all: ['subjects'] as const,
  report: (subjectRef: string) => [...subjectKeys.all, 'report', subjectRef] as const,
};

export function useSubjectReport(subjectRef: string) {
  return useQuery({
    queryKey: subjectKeys.report(subjectRef),
    queryFn: ({ signal }) => unwrap(api.GET('/v1/subjects/{subjectRef}', { params: { path: { subjectRef } }, signal })),
    enabled: subjectRef !== '',
  });
}

/** The name the API gives the file, else the one its contract promises. */
export function exportFilename(contentDisposition: string | null, subjectRef: string): string {
  const match = contentDisposition?.match(/filename="?([^";]+)"?/);
  return match?.[1] ?? `custos-subject-${subjectRef}.json`;
}

/** The API's own export file (not the report on screen re-serialised), saved under its name. */
async function downloadSubjectExport(subjectRef: string): Promise<string> {
  const call = api.GET('/v1/subjects/{subjectRef}/export', { params: { path: { subjectRef } }, parseAs: 'blob' });
  const blob = await unwrap(call);
  const { response } = await call;
  const filename = exportFilename(response.headers.get('Content-Disposition'), subjectRef);
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.click();
  URL.revokeObjectURL(url);
  return filename;
}

export function useSubjectExport(subjectRef: string) {
  return useMutation({ mutationFn: () => downloadSubjectExport(subjectRef) });
}
