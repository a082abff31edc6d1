import { Button, Group, SegmentedControl, Text } from '@mantine/core';
import { formatDate } from '../../../shared/format/format';
import { isZoom, ZOOMS, type TimeRange, type Zoom } from '../api/timeline';

interface TimelineControlsProps {
  zoom: Zoom;
  range: TimeRange;
  onZoom: (zoom: Zoom) => void;
  onShift: (direction: -1 | 1) => void;
  onToday: () => void;
}

export function TimelineControls({ zoom, range, onZoom, onShift, onToday }: TimelineControlsProps) {
  return (
    <Group justify="space-between" gap="sm" wrap="wrap">
      <SegmentedControl
        aria-label="Zoom"
        size="xs"
        value={zoom}
        onChange={(value) => {
          if (isZoom(value)) onZoom(value);
        }}
        data={ZOOMS.map((z) => ({ value: z.value, label: z.label }))}
      />
      <Group gap="xs" wrap="nowrap">
        <Button size="xs" variant="default" onClick={() => onShift(-1)} aria-label="Earlier">
          ◂ Earlier
        </Button>
        <Button size="xs" variant="default" onClick={onToday}>
          Today
        </Button>
        <Button size="xs" variant="default" onClick={() => onShift(1)} aria-label="Later">
          Later ▸
        </Button>
        <Text size="xs" c="dimmed" data-testid="timeline-range">
          {formatDate(new Date(range.start).toISOString())} – {formatDate(new Date(range.end).toISOString())}
        </Text>
      </Group>
    </Group>
  );
}
