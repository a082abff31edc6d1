import type { ConsentListParams, ConsentStatus } from './consents.queries';
import { CONSENT_STATUSES, DEFAULT_ZOOM, isZoom, type Zoom } from './timeline';

const CONSENT_PAGE_SIZE = 100;

/** URL keys of the consents page: filters, the view (zoom, centre) and the consent open in the drawer. */
export type ConsentSearchKey = 'purpose' | 'subjectRef' | 'status' | 'zoom' | 'at' | 'consent';

const isStatus = (v: string | null): v is ConsentStatus => v !== null && (CONSENT_STATUSES as readonly string[]).includes(v);

/**
 * The filters live in the URL like the inventory's, so a view can be shared and survives the log-in
 * detour; unknown values are dropped rather than sent to be refused.
 */
export function consentParamsFromSearch(search: URLSearchParams): ConsentListParams {
  const params: ConsentListParams = { limit: CONSENT_PAGE_SIZE };
  const purpose = search.get('purpose')?.trim();
  if (purpose) params.purpose = purpose;
  const subjectRef = search.get('subjectRef')?.trim();
  if (subjectRef) params.subjectRef = subjectRef;
  const status = search.get('status');
  if (isStatus(status)) params.status = status;
  return params;
}

export function zoomFromSearch(search: URLSearchParams): Zoom {
  const zoom = search.get('zoom');
  return isZoom(zoom) ? zoom : DEFAULT_ZOOM;
}

/** The instant the timeline is centred on: `at` when it is a date, else now. */
export function centerFromSearch(search: URLSearchParams, now: number): number {
  const at = search.get('at');
  const parsed = at ? Date.parse(at) : Number.NaN;
  return Number.isNaN(parsed) ? now : parsed;
}

/** Sets or clears (null, empty) the given keys, leaving the others. */
export function withConsentSearch(search: URLSearchParams, update: Partial<Record<ConsentSearchKey, string | null>>): URLSearchParams {
  const next = new URLSearchParams(search);
  for (const [key, value] of Object.entries(update)) {
    if (value === null || value === undefined || value === '') next.delete(key);
    else next.set(key, value);
  }
  return next;
}
