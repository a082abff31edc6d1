import { MultiSelect, Select, SimpleGrid, TagsInput } from '@mantine/core';
import { normalizeCountries } from '../../tokens/api/geofence';
import { newRule, type GeoRuleValues } from '../api/policy-form';
import { PolicyList, PolicyListRow, type PolicyListFieldsProps } from './PolicyList';

const MODES = [
  { value: 'monitor', label: 'Monitor: flag uses from elsewhere' },
  { value: 'enforce', label: 'Enforce: refuse them (GEO_BLOCKED)' },
];

interface GeoRulesFieldsProps extends PolicyListFieldsProps<GeoRuleValues> {
  rules: readonly GeoRuleValues[];
  /** The regions a rule may allow: built-in and the tenant's own, as the form has them. */
  regionOptions: Array<{ value: string; label: string }>;
}

/**
 * The policy's rules by data category, one row each: the categories it is for, its mode, the regions
 * and countries it allows. A token reaching one of the categories must stay inside every enforced rule.
 */
export function GeoRulesFields({ rules, regionOptions, field, error, onAdd, onRemove, writable }: GeoRulesFieldsProps) {
  return (
    <PolicyList
      title="Rules by data category"
      description="Applied with each token’s own geofence, to every token reaching one of a rule’s categories: the narrowest wins, a rule never widens a token’s fence."
      error={error('geo.rules')}
      empty="No rules: each token’s own geofence applies alone."
      count={rules.length}
      addLabel="Add rule"
      onAdd={() => onAdd(newRule())}
      writable={writable}
    >
      {rules.map((rule, i) => {
        const at = `geo.rules.${i}`;
        const countries = field(`${at}.allowedCountries`);
        // A region the rule names that the list no longer has (a group removed below) still shows, to be removed.
        const options = [...regionOptions, ...rule.allowedRegions.filter((r) => !regionOptions.some((o) => o.value === r)).map((r) => ({ value: r, label: r }))];
        return (
          <PolicyListRow key={rule.key} label={`Rule ${i + 1}`} error={error(at)} removeLabel="Remove rule" onRemove={() => onRemove(i)} writable={writable}>
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <TagsInput
                label="Data categories"
                description="Tokens reaching any of these, e.g. health"
                placeholder="Add a category"
                splitChars={[',', ' ']}
                {...field(`${at}.dataCategories`)}
              />
              <Select label="Mode" data={MODES} allowDeselect={false} {...field(`${at}.mode`)} />
              <MultiSelect label="Allowed regions" placeholder="None" data={options} searchable clearable {...field(`${at}.allowedRegions`)} />
              <TagsInput
                label="Allowed countries"
                description="Two-letter codes, e.g. CH"
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
