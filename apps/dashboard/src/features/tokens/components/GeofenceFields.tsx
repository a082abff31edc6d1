import { MultiSelect, Select, SimpleGrid, Stack, TagsInput, Text } from '@mantine/core';
import type { GetInputPropsReturnType } from '@mantine/form';
import type { ReactNode } from 'react';
import { useCan } from '../../../shared/auth/permissions';
import { countryName } from '../../../shared/format/format';
import { RadioChoices } from '../../../shared/forms/RadioChoices';
import { useRegions } from '../../usage/api/usage.queries';
import {
  GEO_MODE_OPTIONS,
  geoModeLabel,
  isOpenFence,
  normalizeCountries,
  POLICY_DEFAULT,
  regionOptions,
  type GeoDefaults,
  type GeofenceValues,
  type GeoModeChoice,
} from '../api/geofence';

interface GeofenceFieldsProps {
  values: GeofenceValues<GeoModeChoice>;
  /** The form's input props of each field, with its error (the form's own or the API's). */
  inputProps: (field: keyof GeofenceValues) => GetInputPropsReturnType;
  /** Editing: a set residency can be changed (by an owner or admin) but not cleared. */
  residencyClearable?: boolean;
  /** What editing may do, under the section's title. */
  description?: ReactNode;
  /**
   * Issuing: "Policy default" is offered as a geo mode (sending none), and these are the policy's defaults
   * it stands for; undefined while the policy is not known.
   */
  policyDefaults?: { defaults: GeoDefaults | undefined };
}

/**
 * Residency, geo mode, allowed regions and countries. Regions come from GET /v1/regions; the allowed
 * set is the countries of the regions plus the countries named, and empty means anywhere.
 */
export function GeofenceFields({ values, inputProps, residencyClearable = true, description, policyDefaults }: GeofenceFieldsProps) {
  const can = useCan();
  const regions = useRegions(can('custos:policy:read'));
  const options = regionOptions(regions.data);
  const countries = inputProps('allowedCountries');
  const named = values.allowedCountries.filter((c) => /^[A-Z]{2}$/.test(c)).map(countryName);
  const defaults = policyDefaults?.defaults;
  const modes = policyDefaults
    ? [
        {
          value: POLICY_DEFAULT,
          label: 'Policy default',
          description: defaults ? `Your organization's default: ${geoModeLabel(defaults.defaultMode)}.` : "Your organization's default geo mode.",
        },
        ...GEO_MODE_OPTIONS,
      ]
    : GEO_MODE_OPTIONS;
  const defaultResidency = policyDefaults && values.residencyRegion === null ? (defaults?.defaultResidencyRegion ?? null) : null;

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
      <RadioChoices label="Geo mode" options={modes} inputProps={inputProps('geoMode')} />
      {isOpenFence(values) ? (
        <Text size="xs" c="orange" data-testid="open-geofence">
          With no allowed region or country, {values.geoMode === 'enforce' ? 'enforcing' : 'monitoring'} lets every country through: pick where the token may be used.
        </Text>
      ) : null}
      <SimpleGrid cols={{ base: 1, sm: 3 }}>
        <Select
          label="Residency region"
          description="A use from outside it counts as a cross-border transfer"
          placeholder={defaultResidency ? `Policy default: ${defaultResidency}` : 'None'}
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
