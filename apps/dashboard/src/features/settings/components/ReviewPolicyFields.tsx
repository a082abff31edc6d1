import { NumberInput, Select, SimpleGrid, Switch } from '@mantine/core';
import type { GetInputPropsReturnType } from '@mantine/form';
import { OVERDUE_OPTIONS } from '../../reviews/api/review-format';
import { REVIEW_DUE_MAX_DAYS, REVIEW_INTERVAL_MAX_DAYS, type ReviewPolicyValues } from '../api/review-policy-form';

/** How often campaigns open on their own, how long reviewers get, the reminder, what overdue does, and separation of duties. */
export function ReviewPolicyFields({ values, field }: { values: ReviewPolicyValues; field: (path: string) => GetInputPropsReturnType }) {
  const separation = field('reviews.separationOfDuties');
  return (
    <>
      <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
        <NumberInput
          label="Open a campaign every (days)"
          description="Over all active tokens, each reviewed by its steward. Blank: only campaigns opened by hand."
          placeholder="No scheduled campaigns"
          min={1}
          max={REVIEW_INTERVAL_MAX_DAYS}
          allowDecimal={false}
          clampBehavior="none"
          {...field('reviews.intervalDays')}
        />
        <NumberInput label="Due after (days)" description="How long reviewers get." min={1} max={REVIEW_DUE_MAX_DAYS} allowDecimal={false} clampBehavior="none" {...field('reviews.dueInDays')} />
        <NumberInput
          label="Remind before the due date (days)"
          description="The review.reminder webhook; 0 for none."
          min={0}
          max={REVIEW_DUE_MAX_DAYS}
          allowDecimal={false}
          clampBehavior="none"
          {...field('reviews.remindBeforeDays')}
        />
      </SimpleGrid>
      <Select label="At the due date, undecided tokens" description="Unless a campaign says otherwise." data={OVERDUE_OPTIONS} allowDeselect={false} maw={420} {...field('reviews.onOverdue')} />
      <Switch
        label="Separation of duties"
        description="Nobody reviews a token they issued to themselves: an owner or admin does."
        checked={values.separationOfDuties}
        onChange={(event) => separation.onChange(event.currentTarget.checked)}
        error={separation.error}
      />
    </>
  );
}
