import type { Schemas } from '@custos/api-client';
import { useMutation, useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../../shared/api/client';
import { filenameFromDisposition, saveApiFile } from '../../../shared/api/download';

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
  return filenameFromDisposition(contentDisposition) ?? `custos-subject-${subjectRef}.json`;
}

/** The API's own export file (not the report on screen re-serialised), saved under its name. */
function downloadSubjectExport(subjectRef: string): Promise<string> {
  const call = api.GET('/v1/subjects/{subjectRef}/export', { params: { path: { subjectRef } }, parseAs: 'blob' });
  return saveApiFile(call, exportFilename(null, subjectRef));
}

export function useSubjectExport(subjectRef: string) {
  return useMutation({ mutationFn: () => downloadSubjectExport(subjectRef) });
}
