import { Box, ScrollArea, Text, UnstyledButton } from '@mantine/core';
import type { CSSProperties } from 'react';
import { formatDate, formatDateTime } from '../../../shared/format/format';
import type { Consent } from '../api/consents.queries';
import { barGeometry, markerPosition, STATUS_COLORS, ticksFor, type BarGeometry, type TimeRange, type Zoom } from '../api/timeline';

const LABEL_WIDTH = 220;
const ROW_HEIGHT = 44;
const BAR_HEIGHT = 18;
const AXIS_HEIGHT = 28;

interface ConsentTimelineProps {
  consents: readonly Consent[];
  range: TimeRange;
  zoom: Zoom;
  now: number;
  selectedId?: string | null;
  onSelect: (consent: Consent) => void;
}

/**
 * A Gantt-like view: one row per consent, a bar over its validity, coloured by status, cut where it
 * runs past the range, with a marker where it was withdrawn and a line for today. Positioned divs in
 * percentages, so the chart follows the container's width without measuring it.
 */
export function ConsentTimeline({ consents, range, zoom, now, selectedId, onSelect }: ConsentTimelineProps) {
  return (
    <ScrollArea type="auto" offsetScrollbars>
      <Box miw={720} pos="relative" role="group" aria-label="Consent timeline">
        <TimelineAxis range={range} zoom={zoom} />
        <Box pos="relative">
          <TrackOverlay range={range} zoom={zoom} now={now} />
          {consents.map((consent) => (
            <ConsentRow key={consent.id} consent={consent} range={range} selected={consent.id === selectedId} onSelect={onSelect} />
          ))}
        </Box>
      </Box>
    </ScrollArea>
  );
}

function TimelineAxis({ range, zoom }: { range: TimeRange; zoom: Zoom }) {
  return (
    <Box style={{ display: 'flex', height: AXIS_HEIGHT, borderBottom: '1px solid var(--mantine-color-gray-3)' }}>
      <Box w={LABEL_WIDTH} style={{ flexShrink: 0 }}>
        <Text size="xs" c="dimmed" pt={6}>
          Subject · purpose
        </Text>
      </Box>
      <Box pos="relative" style={{ flex: 1, overflow: 'hidden' }} data-testid="timeline-axis">
        {ticksFor(range, zoom).map((tick) => (
          <Text key={tick.time} size="xs" c="dimmed" pos="absolute" top={6} style={{ left: `${tick.left}%`, paddingLeft: 4, whiteSpace: 'nowrap' }}>
            {tick.label}
          </Text>
        ))}
      </Box>
    </Box>
  );
}

/** Gridlines and the today line, over every row's track; they never take a click. */
function TrackOverlay({ range, zoom, now }: { range: TimeRange; zoom: Zoom; now: number }) {
  const today = markerPosition(now, range);
  return (
    <Box pos="absolute" top={0} bottom={0} right={0} left={LABEL_WIDTH} style={{ pointerEvents: 'none', zIndex: 1 }}>
      {ticksFor(range, zoom).map((tick) => (
        <Box key={tick.time} pos="absolute" top={0} bottom={0} style={{ left: `${tick.left}%`, borderLeft: '1px solid var(--mantine-color-gray-2)' }} />
      ))}
      {today === null ? null : (
        <Box
          data-testid="today-line"
          aria-label={`Today, ${formatDate(new Date(now).toISOString())}`}
          role="img"
          pos="absolute"
          top={0}
          bottom={0}
          style={{ left: `${today}%`, borderLeft: '2px dashed var(--mantine-color-orange-6)', zIndex: 3 }}
        />
      )}
    </Box>
  );
}

interface ConsentRowProps {
  consent: Consent;
  range: TimeRange;
  selected: boolean;
  onSelect: (consent: Consent) => void;
}

function ConsentRow({ consent, range, selected, onSelect }: ConsentRowProps) {
  const bar = barGeometry(consent.validFrom, consent.validUntil, range);
  return (
    <Box
      data-consent-id={consent.id}
      style={{
        display: 'flex',
        height: ROW_HEIGHT,
        borderBottom: '1px solid var(--mantine-color-gray-2)',
        background: selected ? 'var(--mantine-color-indigo-0)' : undefined,
      }}
    >
      {/* The label opens the consent as its bar does: a larger target, and one a keyboard reaches in reading order. */}
      <UnstyledButton
        data-testid="consent-label"
        w={LABEL_WIDTH}
        pr="xs"
        onClick={() => onSelect(consent)}
        aria-label={`${consent.subjectRef}, ${consent.purpose}`}
        aria-pressed={selected}
        title={`${consent.subjectRef}, ${consent.purpose}: open the consent`}
        style={{ flexShrink: 0, display: 'flex', flexDirection: 'column', justifyContent: 'center', minWidth: 0 }}
      >
        <Text component="span" display="block" size="sm" fw={500} c="indigo.8" truncate="end">
          {consent.subjectRef}
        </Text>
        <Text component="span" display="block" size="xs" c="dimmed" truncate="end">
          {consent.purpose}
          {consent.version > 1 ? ` · v${consent.version}` : ''}
        </Text>
      </UnstyledButton>
      <Box pos="relative" style={{ flex: 1 }}>
        {bar.placement === 'inside' ? (
          <>
            <ConsentBar consent={consent} bar={bar} selected={selected} onSelect={onSelect} />
            <WithdrawalMarker consent={consent} bar={bar} range={range} />
          </>
        ) : (
          <OffWindowHint consent={consent} placement={bar.placement} onSelect={onSelect} />
        )}
      </Box>
    </Box>
  );
}

function describeConsent(consent: Consent): string {
  return `${consent.subjectRef}, ${consent.purpose}: ${consent.status}, ${formatDate(consent.validFrom)} to ${formatDate(consent.validUntil)}`;
}

function ConsentBar({ consent, bar, selected, onSelect }: { consent: Consent; bar: BarGeometry; selected: boolean; onSelect: (c: Consent) => void }) {
  const color = STATUS_COLORS[consent.status];
  // A cut edge is square: the consent goes on beyond what is shown.
  const style: CSSProperties = {
    position: 'absolute',
    left: `${bar.left}%`,
    width: `${bar.width}%`,
    minWidth: 4,
    top: (ROW_HEIGHT - BAR_HEIGHT) / 2,
    height: BAR_HEIGHT,
    background: `var(--mantine-color-${color}-6)`,
    borderTopLeftRadius: bar.startsBefore ? 0 : 4,
    borderBottomLeftRadius: bar.startsBefore ? 0 : 4,
    borderTopRightRadius: bar.endsAfter ? 0 : 4,
    borderBottomRightRadius: bar.endsAfter ? 0 : 4,
    outline: selected ? '2px solid var(--mantine-color-dark-6)' : undefined,
    outlineOffset: 1,
    zIndex: 2,
  };
  return (
    <UnstyledButton
      data-testid="consent-bar"
      data-status={consent.status}
      data-color={color}
      aria-label={describeConsent(consent)}
      aria-pressed={selected}
      title={describeConsent(consent)}
      style={style}
      onClick={() => onSelect(consent)}
    />
  );
}

/**
 * Where the withdrawal happened, and the part of the validity it cut off shown faded: the consent was
 * granted until then, and bound tokens stopped at the marker.
 */
function WithdrawalMarker({ consent, bar, range }: { consent: Consent; bar: BarGeometry; range: TimeRange }) {
  const at = markerPosition(consent.withdrawnAt, range);
  if (at === null || consent.withdrawnAt === null) return null;
  const barEnd = bar.left + bar.width;
  const cutFrom = Math.max(at, bar.left);
  return (
    <>
      {barEnd > cutFrom ? (
        <Box
          data-testid="withdrawn-remainder"
          pos="absolute"
          top={(ROW_HEIGHT - BAR_HEIGHT) / 2}
          h={BAR_HEIGHT}
          style={{
            left: `${cutFrom}%`,
            width: `${barEnd - cutFrom}%`,
            background: 'repeating-linear-gradient(135deg, rgba(255,255,255,0.65) 0 4px, rgba(255,255,255,0.25) 4px 8px)',
            pointerEvents: 'none',
            zIndex: 2,
          }}
        />
      ) : null}
      <Box
        data-testid="withdrawal-marker"
        role="img"
        aria-label={`Withdrawn ${formatDateTime(consent.withdrawnAt)}`}
        title={`Withdrawn ${formatDateTime(consent.withdrawnAt)}${consent.withdrawnReason ? `: ${consent.withdrawnReason}` : ''}`}
        pos="absolute"
        top={(ROW_HEIGHT - BAR_HEIGHT) / 2 - 5}
        h={BAR_HEIGHT + 10}
        w={4}
        style={{ left: `${at}%`, transform: 'translateX(-50%)', background: 'var(--mantine-color-red-9)', borderRadius: 2, zIndex: 3 }}
      />
    </>
  );
}

/** A consent wholly before or after the range still has its row: a hint says where it is. */
function OffWindowHint({ consent, placement, onSelect }: { consent: Consent; placement: 'before' | 'after'; onSelect: (c: Consent) => void }) {
  const text = placement === 'before' ? `◂ ended ${formatDate(consent.validUntil)}` : `starts ${formatDate(consent.validFrom)} ▸`;
  return (
    <UnstyledButton
      data-testid="consent-off-range"
      aria-label={describeConsent(consent)}
      onClick={() => onSelect(consent)}
      pos="absolute"
      top={(ROW_HEIGHT - 20) / 2}
      style={placement === 'before' ? { left: 4 } : { right: 4 }}
    >
      <Text size="xs" c={`${STATUS_COLORS[consent.status]}.7`}>
        {text}
      </Text>
    </UnstyledButton>
  );
}
