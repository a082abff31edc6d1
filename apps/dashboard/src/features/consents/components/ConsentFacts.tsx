import { Anchor, Code, Group, SimpleGrid } from '@mantine/core';
import { Link } from 'react-router';
import { Fact } from '../../../shared/components/Fact';
import { formatDateTime, formatRelative } from '../../../shared/format/format';
import type { Consent } from '../api/consents.queries';
import { LAWFUL_BASIS_LABELS } from '../api/consent-form';

const when = (iso: string) => `${formatDateTime(iso)} (${formatRelative(iso)})`;

/** A consent's recorded fields; the subject links to everything else held about it. */
export function ConsentFacts({ consent, linkSubject = true }: { consent: Consent; linkSubject?: boolean }) {
  return (
    <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
      <Fact label="Subject">
        {linkSubject ? (
          <Anchor component={Link} to={`/subjects/${encodeURIComponent(consent.subjectRef)}`}>
            {consent.subjectRef}
          </Anchor>
        ) : (
          consent.subjectRef
        )}
      </Fact>
      <Fact label="Purpose">{consent.purpose}</Fact>
      <Fact label="Data categories">
        <Group gap={4}>
          {consent.dataCategories.map((c) => (
            <Code key={c}>{c}</Code>
          ))}
        </Group>
      </Fact>
      <Fact label="Lawful basis">{LAWFUL_BASIS_LABELS[consent.lawfulBasis]}</Fact>
      <Fact label="Jurisdiction">{consent.jurisdiction}</Fact>
      <Fact label="Source">{consent.source ?? '—'}</Fact>
      <Fact label="Valid from">{when(consent.validFrom)}</Fact>
      <Fact label="Valid until">{when(consent.validUntil)}</Fact>
      <Fact label="Version">{consent.version === 1 ? '1 (never renewed)' : consent.version}</Fact>
      <Fact label="Recorded">{formatDateTime(consent.createdAt)}</Fact>
      {consent.withdrawnAt ? (
        <Fact label="Withdrawn">
          {when(consent.withdrawnAt)}
          {consent.withdrawnReason ? ` — “${consent.withdrawnReason}”` : ''}
        </Fact>
      ) : null}
      <Fact label="Bound tokens">{consent.boundTokens.toLocaleString()}</Fact>
    </SimpleGrid>
  );
}
