import { Anchor } from '@mantine/core';
import { Link } from 'react-router';
import { EmptyState } from '../shared/components/states';

export function NotFoundPage() {
  return (
    <EmptyState title="No such page">
      <Anchor component={Link} to="/overview">
        Go to the overview
      </Anchor>
    </EmptyState>
  );
}
