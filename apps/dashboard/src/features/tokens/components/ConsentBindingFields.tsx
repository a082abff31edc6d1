import { Anchor, SimpleGrid, TagsInput, Text, TextInput } from '@mantine/core';
import type { UseFormReturnType } from '@mantine/form';
import { useDebouncedValue } from '@mantine/hooks';
import { Link } from 'react-router';
import { useCan } from '../../../shared/auth/permissions';
import { useConsent } from '../../consents/api/consents.queries';
import { CONSENT_ID_PATTERN, type IssueTokenValues } from '../api/issue-token.form';

/**
 * Binding a token to a consent makes it work only while the consent does, and only for the data
 * categories given here (all the consent's when empty). The consent, when readable, says what it covers.
 */
export function ConsentBindingFields({ form }: { form: UseFormReturnType<IssueTokenValues> }) {
  const can = useCan();
  const [consentId] = useDebouncedValue(form.values.consentId.trim(), 300);
  const lookup = CONSENT_ID_PATTERN.test(consentId) && can('custos:consents:read');
  const consent = useConsent(lookup ? consentId : null);
  const covered = lookup ? consent.data?.dataCategories : undefined;

  return (
    <SimpleGrid cols={{ base: 1, sm: 2 }}>
      <TextInput
        label="Consent"
        description={
          consent.data && lookup ? (
            <>
              {consent.data.subjectRef}, “{consent.data.purpose}” ({consent.data.status}) ·{' '}
              <Anchor component={Link} to={`/consents?consent=${encodeURIComponent(consentId)}`} size="xs">
                view
              </Anchor>
            </>
          ) : (
            'Optional: the id of the consent the token acts under, e.g. cns_…'
          )
        }
        placeholder="None"
        {...form.getInputProps('consentId')}
      />
      <TagsInput
        label="Data categories"
        description={covered ? `The consent covers: ${covered.join(', ')}` : 'Empty: all the consent covers'}
        placeholder="Add a category"
        data={covered ?? []}
        splitChars={[',', ' ']}
        {...form.getInputProps('dataCategories')}
      />
      {consent.isError && lookup ? (
        <Text size="xs" c="red">
          No consent with this id can be read.
        </Text>
      ) : null}
    </SimpleGrid>
  );
}
