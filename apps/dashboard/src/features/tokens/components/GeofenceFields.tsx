import { Group, MultiSelect, Radio, Select, SimpleGrid, Stack, TagsInput, Text } from '@mantine/core';
import type { GetInputPropsReturnType } from '@mantine/form';
import type { ReactNode } from 'react';
import { useCan } from '../../../shared/auth/permissions';
import { countryName } from '../../../shared/format/format';
import { useRegions } from '../../usage/api/usage.queries';
import { GEO_MODE_OPTIONS, isOpenFence, normalizeCountries, regionOptions, type GeofenceValues } from '../api/geofence';

interface GeofenceFieldsProps {
  values: GeofenceValues;
  /** The form's input props of each field, with its error (the form's own or the API's). */
  inputProps: (field: keyof GeofenceValues) => GetInputPropsReturnType;
  /** Editing: a set residency can be changed (by an owner or admin) but not cleared. */
  residencyClearable?: boolean;
  /** What editing may do, under the section's title. */
  description?: ReactNode;
}

/**
 * Residency, geo mode, allowed regions and countries. Regions come from GET /v1/regions; the allowed
 * set is the countries of the regions plus the countries named, and empty means anywhere.
 */
export function GeofenceFields({ values, inputProps, residencyClearable = true, description }: GeofenceFieldsProps) {
  const can = useCan();
  const regions = useRegions(can('custos:policy:read'));
  const options = regionOptions(regions.data);
  const countries = inputProps('allowedCountries');
  const named = values.allowedCountries.filter((c) => /^[A-Z]{2}$/.test(c)).map(countryName);

  return (
    <Stack gap="sm" role="group" aria-label="Residency and geofence">
      <div>
        <Text fw={600} size="sm">
          Residency and geofence
        </Text>
        <Text size="xs" c="dimmed">
          {description ?? 'Where the token’s data belong, and where it may be used from: judged by the country of the address it is used from.'}
        </Text>
      </div>
      <Radio.Group label="Geo mode" {...inputProps('geoMode')}>
        <Group gap="xl" mt={6} align="flex-start" wrap="wrap">
          {GEO_MODE_OPTIONS.map((mode) => (
            <Radio key={mode.value} value={mode.value} label={mode.label} description={mode.description} maw={250} />
          ))}
        </Group>
      </Radio.Group>
      {isOpenFence(values) ? (
        <Text size="xs" c="orange" data-testid="open-geofence">
          With no allowed region or country, {values.geoMode === 'enforce' ? 'enforcing' : 'monitoring'} lets every country through: pick where the token may be used.
        </Text>
      ) : null}
      <SimpleGrid cols={{ base: 1, sm: 3 }}>
        <Select
          label="Residency region"
          description="A use from outside it counts as a cross-border transfer"
          placeholder="None"
          data={options}
          clearable={residencyClearable}
          searchable
          {...inputProps('residencyRegion')}
        />
        <MultiSelect label="Allowed regions" description="Empty with no countries: anywhere" placeholder="Any" data={options} searchable clearable {...inputProps('allowedRegions')} />
        <TagsInput
          label="Allowed countries"
          description={named.length > 0 ? named.join(', ') : 'Two-letter codes, e.g. CH; Enter after each'}
          placeholder="Add a country code"
          splitChars={[',', ' ']}
          {...countries}
          onChange={(codes: string[]) => countries.onChange(normalizeCountries(codes))}
        />
      </SimpleGrid>
    </Stack>
  );
}
