import { SimpleGrid, TagsInput, TextInput } from '@mantine/core';
import { countryName } from '../../../shared/format/format';
import { COUNTRY_CODE, normalizeCountries } from '../../tokens/api/geofence';
import { newRegionGroup, type RegionGroupValues } from '../api/policy-form';
import { PolicyList, PolicyListRow, type PolicyListFieldsProps } from './PolicyList';

interface RegionGroupsFieldsProps extends PolicyListFieldsProps<RegionGroupValues> {
  groups: readonly RegionGroupValues[];
}

/**
 * The tenant's own region groups (code, name, countries), usable wherever a region is: tokens' residency
 * and geofences, the rules above, the inventory's "Used in". One with a built-in code replaces that group.
 */
export function RegionGroupsFields({ groups, field, error, onAdd, onRemove, writable }: RegionGroupsFieldsProps) {
  return (
    <PolicyList
      title="Your region groups"
      description="Groups of countries of your own (e.g. DACH: DE, AT, CH), usable wherever a region is. One with a built-in code (EU, US, …) replaces that group for your organization."
      error={error('geo.regionGroups')}
      empty="None: the built-in groups only."
      count={groups.length}
      addLabel="Add region group"
      onAdd={() => onAdd(newRegionGroup())}
      writable={writable}
    >
      {groups.map((group, i) => {
        const at = `geo.regionGroups.${i}`;
        const code = field(`${at}.code`);
        const countries = field(`${at}.countries`);
        const named = group.countries.filter((c) => COUNTRY_CODE.test(c)).map(countryName);
        return (
          <PolicyListRow key={group.key} label={`Region group ${i + 1}`} error={error(at)} removeLabel="Remove group" onRemove={() => onRemove(i)} writable={writable}>
            <SimpleGrid cols={{ base: 1, sm: 3 }}>
              <TextInput
                label="Code"
                description="e.g. DACH"
                maxLength={32}
                {...code}
                onChange={(event) => code.onChange(event.currentTarget.value.toUpperCase().replace(/\s/g, ''))}
              />
              <TextInput label="Name" description="Optional" placeholder="Germany, Austria, Switzerland" maxLength={100} {...field(`${at}.name`)} />
              <TagsInput
                label="Countries"
                description={named.length > 0 ? named.join(', ') : 'Two-letter codes; Enter after each'}
                placeholder="Add a country code"
                splitChars={[',', ' ']}
                {...countries}
                onChange={(codes: string[]) => countries.onChange(normalizeCountries(codes))}
              />
            </SimpleGrid>
          </PolicyListRow>
        );
      })}
    </PolicyList>
  );
}
