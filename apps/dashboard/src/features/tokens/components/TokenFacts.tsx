import { Anchor, Code, Group, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { ActorName } from '../../../shared/components/ActorName';
import { Fact } from '../../../shared/components/Fact';
import { formatCountry, formatDateTime, formatDuration, formatRelative } from '../../../shared/format/format';
import { GEO_MODE_OPTIONS, geoModeLabel } from '../api/geofence';
import { describeRateLimit } from '../api/rate-limit';
import { tokenEnd } from '../api/token-end';
import type { Token } from '../api/tokens.queries';
import { TokenSteward } from './TokenSteward';

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Paper withBorder p="md" radius="md">
      <Title order={2} size="h5" mb="sm">
        {title}
      </Title>
      {children}
    </Paper>
  );
}

const when = (iso: string | null) => (iso ? `${formatDateTime(iso)} (${formatRelative(iso)})` : '—');

/** Everything the API tells about a token, grouped the way people ask about it. */
export function TokenFacts({ token, serviceName }: { token: Token; serviceName: string | undefined }) {
  const end = tokenEnd(token);
  return (
    <Stack>
      <Section title="Details">
        <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }} spacing="sm">
          <Fact label="Token">
            <Code>{token.hint}</Code>
          </Fact>
          <Fact label="Lookup id">
            <Code>{token.lookupId}</Code>
          </Fact>
          <Fact label="Environment">{token.environment}</Fact>
          <Fact label="Owner service">{token.ownerServiceId ? (serviceName ?? token.ownerServiceId) : '—'}</Fact>
          <TokenSteward token={token} />
          <Fact label="Created">{when(token.createdAt)}</Fact>
          <Fact label="Created by">
            <ActorName id={token.createdBy} actor={token.createdByActor} /> via {token.createdVia}
          </Fact>
          {end.label === 'Revoked' ? null : <Fact label={end.label}>{when(end.at)}</Fact>}
          {token.status === 'rotating' ? <Fact label="Expires">{when(token.expiresAt)}</Fact> : null}
          <Fact label="Last used">{token.lastUsedAt ? `${when(token.lastUsedAt)} from ${token.lastUsedIp ?? 'unknown'}` : 'never'}</Fact>
          <Fact label="Uses">{token.useCount.toLocaleString()}</Fact>
          {token.revokedAt ? (
            <Fact label="Revoked">
              {when(token.revokedAt)} by <ActorName id={token.revokedBy} actor={token.revokedByActor} none="the system" />
              {token.revokedReason ? ` — “${token.revokedReason}”` : ''}
            </Fact>
          ) : null}
          {token.suspendedAt ? <Fact label="Suspended">{`${when(token.suspendedAt)} (${token.suspendedReason ?? 'manual'})`}</Fact> : null}
        </SimpleGrid>
      </Section>
      <Section title="Scopes">
        {token.scopes.length === 0 ? (
          <Text size="sm" c="dimmed">
            No scopes
          </Text>
        ) : (
          <Group gap={6}>
            {token.scopes.map((s) => (
              <Code key={s}>{s}</Code>
            ))}
          </Group>
        )}
      </Section>
      {token.consentId !== null || token.dataCategories.length > 0 ? <ConsentSection token={token} /> : null}
      <Section title="Restrictions">
        <SimpleGrid cols={{ base: 1, sm: 2, md: 4 }} spacing="sm">
          <Fact label="Allowed IP ranges">{token.allowedCidrs.length > 0 ? token.allowedCidrs.join(', ') : 'any address'}</Fact>
          <Fact label="Uses left">{token.maxUses === null ? 'unlimited' : `${token.remainingUses ?? 0} of ${token.maxUses}`}</Fact>
          <Fact label="Rate limit">{describeRateLimit(token.rateLimit)}</Fact>
          <Fact label="Not before">{when(token.notBefore)}</Fact>
        </SimpleGrid>
      </Section>
      <GeofenceSection token={token} />
      <Section title="Rotation">
        <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
          <Fact label="Every">{token.rotationIntervalSeconds ? formatDuration(token.rotationIntervalSeconds) : 'not scheduled'}</Fact>
          <Fact label="Grace period">{token.gracePeriodSeconds !== null ? formatDuration(token.gracePeriodSeconds) : 'policy default'}</Fact>
          <Fact label="Next rotation">{when(token.nextRotationAt)}</Fact>
        </SimpleGrid>
      </Section>
      {Object.keys(token.metadata).length > 0 ? (
        <Section title="Metadata">
          <Code block>{JSON.stringify(token.metadata, null, 2)}</Code>
        </Section>
      ) : null}
    </Stack>
  );
}

/** The consent the token acts under: it verifies only while that consent is valid and not withdrawn. */
function ConsentSection({ token }: { token: Token }) {
  return (
    <Section title="Consent">
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
        <Fact label="Bound to">
          {token.consentId ? (
            <Anchor component={Link} to={`/consents?consent=${encodeURIComponent(token.consentId)}`}>
              {token.consentId}
            </Anchor>
          ) : (
            'no consent'
          )}
        </Fact>
        <Fact label="Data categories">
          {token.dataCategories.length > 0 ? (
            <Group gap={6}>
              {token.dataCategories.map((c) => (
                <Code key={c}>{c}</Code>
              ))}
            </Group>
          ) : (
            'all the consent covers'
          )}
        </Fact>
      </SimpleGrid>
    </Section>
  );
}

/**
 * Where the token's data belong, where it may be used from (the geofence applies to the observed country),
 * and where its VALID uses came from.
 */
function GeofenceSection({ token }: { token: Token }) {
  const fenced = token.allowedRegions.length > 0 || token.allowedCountries.length > 0;
  return (
    <Section title="Residency and geofence">
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
        <Fact label="Geo mode">
          {geoModeLabel(token.geoMode)}
          <Text size="xs" c="dimmed" component="span" display="block">
            {GEO_MODE_OPTIONS.find((o) => o.value === token.geoMode)?.description}
          </Text>
        </Fact>
        <Fact label="Residency region">{token.residencyRegion ?? 'none'}</Fact>
        <Fact label="Allowed regions">{token.allowedRegions.length > 0 ? token.allowedRegions.join(', ') : fenced ? 'none' : 'anywhere'}</Fact>
        <Fact label="Allowed countries">
          {token.allowedCountries.length > 0 ? token.allowedCountries.map((c) => formatCountry(c)).join(', ') : fenced ? 'none' : 'anywhere'}
        </Fact>
        <Fact label="Last used from">{token.lastUsedCountry ? formatCountry(token.lastUsedCountry) : token.lastUsedAt ? 'an unknown country' : 'not used yet'}</Fact>
        <Fact label="Regions seen">{token.regionsSeen.length > 0 ? token.regionsSeen.join(', ') : 'none yet'}</Fact>
        <Fact label="Last cross-border use">{token.lastCrossBorderAt ? when(token.lastCrossBorderAt) : token.residencyRegion ? 'never' : 'none: no residency region'}</Fact>
      </SimpleGrid>
    </Section>
  );
}
