import { Button, Group } from '@mantine/core';

/** What the button needs of an infinite query (TanStack Query's useInfiniteQuery result). */
export interface NextPages {
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  fetchNextPage: () => Promise<unknown>;
}

/** "Load more" under a keyset-paged list, while the list has another page. */
export function LoadMore({ pages }: { pages: NextPages }) {
  if (!pages.hasNextPage) return null;
  return (
    <Group justify="center">
      <Button variant="default" loading={pages.isFetchingNextPage} onClick={() => void pages.fetchNextPage()}>
        Load more
      </Button>
    </Group>
  );
}
