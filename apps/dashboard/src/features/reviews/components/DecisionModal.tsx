import { Button, Checkbox, Group, Modal, Stack, Text, Textarea } from '@mantine/core';
import { useState } from 'react';
import { ProblemAlert } from '../../../shared/components/ProblemAlert';
import { defaultNarrowScopes } from '../api/review-format';
import type { Decision, DecisionRequest, ReviewItem } from '../api/reviews.queries';

/** The API's limit on a decision's comment. */
export const COMMENT_MAX = 2000;

const TITLES: Readonly<Record<Decision, (name: string) => string>> = {
  keep: (name) => `Keep "${name}"?`,
  narrow: (name) => `Narrow "${name}"`,
  revoke: (name) => `Revoke "${name}"?`,
};

const EXPLAINED: Readonly<Record<Decision, string>> = {
  keep: 'The token keeps every scope it has. Your comment is kept with the decision in the audit trail.',
  narrow: 'The token keeps only the scopes ticked below; the others are removed from it at once.',
  revoke: 'The token is revoked at once: every verify of it fails from now on. This cannot be undone.',
};

const CONFIRM: Readonly<Record<Decision, string>> = { keep: 'Keep', narrow: 'Narrow', revoke: 'Revoke' };

interface DecisionModalProps {
  /** The item being decided, with the decision; null when closed. */
  target: { item: ReviewItem; decision: Decision } | null;
  pending: boolean;
  error: unknown;
  onConfirm: (body: DecisionRequest) => void;
  onClose: () => void;
}

/** Keep, narrow or revoke one reviewed token; each asks for a comment, narrow for the scopes to keep. */
export function DecisionModal({ target, pending, error, onConfirm, onClose }: DecisionModalProps) {
  return (
    <Modal opened={target !== null} onClose={onClose} title={target ? <Text fw={600}>{TITLES[target.decision](target.item.tokenName)}</Text> : null} centered>
      {/* Keyed by the item and decision: each opening starts with an empty comment and the default scopes. */}
      {target ? <DecisionForm key={`${target.item.id}:${target.decision}`} {...target} pending={pending} error={error} onConfirm={onConfirm} onClose={onClose} /> : null}
    </Modal>
  );
}

interface DecisionFormProps {
  item: ReviewItem;
  decision: Decision;
  pending: boolean;
  error: unknown;
  onConfirm: (body: DecisionRequest) => void;
  onClose: () => void;
}

function DecisionForm({ item, decision, pending, error, onConfirm, onClose }: DecisionFormProps) {
  const [comment, setComment] = useState('');
  const [scopes, setScopes] = useState<string[]>(() => defaultNarrowScopes(item));
  const missingComment = comment.trim() === '';
  const noScopes = decision === 'narrow' && scopes.length === 0;
  const keepsAll = decision === 'narrow' && scopes.length === item.tokenScopes.length;

  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        if (missingComment || noScopes) return;
        onConfirm({ decision, comment: comment.trim(), ...(decision === 'narrow' ? { scopes } : {}) });
      }}
    >
      <Stack>
        <Text size="sm">{EXPLAINED[decision]}</Text>
        {decision === 'narrow' ? (
          <Checkbox.Group
            label="Scopes to keep"
            description="Ticked: used in the last 90 days. At least one; to take them all away, revoke the token."
            value={scopes}
            onChange={setScopes}
            error={noScopes ? 'Keep at least one scope' : undefined}
          >
            <Stack gap={6} mt={6}>
              {item.tokenScopes.map((scope) => (
                <Checkbox key={scope} value={scope} label={item.scopesUsed90d.includes(scope) ? scope : `${scope} (unused 90 days)`} />
              ))}
            </Stack>
          </Checkbox.Group>
        ) : null}
        {keepsAll ? (
          <Text size="xs" c="dimmed">
            Every scope is ticked: nothing would be removed.
          </Text>
        ) : null}
        <Textarea
          label="Comment"
          description="Why: kept with the decision and in the audit trail."
          required
          maxLength={COMMENT_MAX}
          autosize
          minRows={2}
          value={comment}
          onChange={(event) => setComment(event.currentTarget.value)}
          data-autofocus
        />
        {error ? <ProblemAlert error={error} shownFields={[]} /> : null}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose} disabled={pending}>
            Cancel
          </Button>
          <Button type="submit" color={decision === 'revoke' ? 'red' : undefined} loading={pending} disabled={missingComment || noScopes}>
            {CONFIRM[decision]}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
