import PDFDocument from 'pdfkit';
import type { TokenImpactView } from './breach-impact';

const MARGIN = 50;

/**
 * A token's breach impact as a PDF (A4): the clock first, since it is what a data protection officer
 * acts on, then the exposure, what the token could and did reach, whose data, and its alerts. The bytes
 * are signed as they come out, like every report's.
 */
export function impactPdf(v: TokenImpactView): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margin: MARGIN, info: { Title: `Custos breach impact: ${v.token.id}`, Producer: 'Custos', Creator: 'Custos' } });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const heading = (text: string) => doc.moveDown(0.8).font('Helvetica-Bold').fontSize(13).text(text).moveDown(0.2).font('Helvetica').fontSize(10);
  const fact = (label: string, value: string) => doc.font('Helvetica-Bold').text(`${label}: `, { continued: true }).font('Helvetica').text(value);
  const list = (rows: readonly { value: string; count: number }[], none: string) =>
    rows.length === 0 ? doc.text(none) : rows.forEach((r) => doc.text(`${r.value}: ${r.count}`));

  doc.font('Helvetica-Bold').fontSize(22).text('Breach impact');
  doc.moveDown(0.3).font('Helvetica').fontSize(12).text(`${v.token.name} (${v.token.id}), generated ${v.generatedAt}`);
  heading('The clock');
  fact('Known at', v.clock.knownAt ?? 'no alert yet');
  fact('Notify by (72 hours)', v.clock.notifyBy ?? '-');
  heading('Exposure window');
  fact('From', `${v.exposure.from} (${v.exposure.startedBy})`);
  fact('To', `${v.exposure.to} (${v.exposure.endedBy})`);
  fact('Token status', v.token.status + (v.token.revokedReason ? `, ${v.token.revokedReason}` : ''));
  heading('What it could reach');
  fact('Scopes', v.couldReach.scopes.join(', ') || '-');
  fact('Data categories', v.couldReach.dataCategories.join(', ') || '-');
  fact('Owner service', v.couldReach.ownerServiceId ?? '-');
  const r = v.couldReach.restrictions;
  fact('Allowed networks', r.allowedCidrs.join(', ') || 'any');
  fact('Geofence', `${r.geoMode}${r.allowedRegions.length + r.allowedCountries.length > 0 ? ` (${[...r.allowedRegions, ...r.allowedCountries].join(', ')})` : ''}`);
  fact('Residency region', r.residencyRegion ?? '-');
  heading('What it did reach');
  fact('Uses', `${v.didReach.uses} (${Object.entries(v.didReach.byOutcome).map(([k, n]) => `${k} ${n}`).join(', ') || 'none'})`);
  fact('First and last use', `${v.didReach.firstUseAt ?? '-'} to ${v.didReach.lastUseAt ?? '-'}`);
  fact('Uses after the leak report', v.didReach.usesAfterLeakReport === null ? 'no leak reported' : String(v.didReach.usesAfterLeakReport));
  doc.moveDown(0.3).font('Helvetica-Bold').text('Resources').font('Helvetica');
  list(v.didReach.resources, 'none recorded');
  doc.moveDown(0.3).font('Helvetica-Bold').text('Countries').font('Helvetica');
  list(v.didReach.countries, 'none located');
  doc.moveDown(0.3).font('Helvetica-Bold').text('Networks (prefixes, never addresses)').font('Helvetica');
  list(v.didReach.networks, 'none');
  heading('Whose data');
  if (v.dataSubjects.length === 0) doc.text('The token was bound to no consent.');
  for (const s of v.dataSubjects) doc.text(`${s.subjectRef}: consent ${s.consentId}, ${s.purpose} (${s.dataCategories.join(', ')}), ${s.lawfulBasis}, ${s.jurisdiction}`);
  heading('Alerts');
  if (v.alerts.length === 0) doc.text('None.');
  for (const a of v.alerts) doc.text(`${a.firstSeenAt}  ${a.rule} (${a.severity}, ${a.status})${a.remediation ? `, remediation: ${a.remediation}` : ''}  ${a.id}`);
  doc.end();
  return ended;
}
