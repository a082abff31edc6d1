import type { Schemas } from '@custos/api-client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../../shared/api/client';
import { useStoreSession } from '../../session/api/session.queries';

export type Invitation = Schemas['InvitationResponse'];
export type CreatedInvitation = Schemas['CreatedInvitationResponse'];
export type InvitationPreview = Schemas['InvitationPreviewResponse'];

export const invitationKeys = {
  all: ['invitations'] as const,
  pending: () => [...invitationKeys.all, 'pending'] as const,
  preview: (token: string) => [...invitationKeys.all, 'preview', token] as const,
};

/** The invitations still waiting for an answer. */
export function useInvitations(enabled = true) {
  return useQuery({
    queryKey: invitationKeys.pending(),
    queryFn: async ({ signal }) => (await unwrap(api.GET('/v1/invitations', { signal }))).items,
    enabled,
  });
}

function useInvalidateInvitations() {
  const queryClient = useQueryClient();
  return () => Promise.all([queryClient.invalidateQueries({ queryKey: invitationKeys.all }), queryClient.invalidateQueries({ queryKey: ['audit'] })]);
}

export function useInvite() {
  const invalidate = useInvalidateInvitations();
  return useMutation({ mutationFn: (body: Schemas['CreateInvitationDto']) => unwrap(api.POST('/v1/invitations', { body })), onSuccess: invalidate });
}

export function useRevokeInvitation() {
  const invalidate = useInvalidateInvitations();
  return useMutation({
    mutationFn: (id: string) => unwrap(api.DELETE('/v1/invitations/{id}', { params: { path: { id } } })),
    onSuccess: invalidate,
  });
}

/** What the link invites to; a dead link (unknown, expired, revoked, used) is a 404, not worth retrying. */
export function useInvitationPreview(token: string | null) {
  return useQuery({
    queryKey: invitationKeys.preview(token ?? ''),
    queryFn: ({ signal }) => unwrap(api.GET('/v1/invitations/{token}', { params: { path: { token: token! } }, signal })),
    enabled: token !== null,
    retry: false,
    staleTime: Infinity,
  });
}

/** Accepting signs the person in: the answer is their session. */
export function useAcceptInvitation(token: string) {
  const store = useStoreSession();
  return useMutation({
    mutationFn: (body: Schemas['AcceptInvitationDto']) => unwrap(api.POST('/v1/invitations/{token}/accept', { params: { path: { token } }, body })),
    onSuccess: store,
  });
}

/** The token of an accept link: in the fragment (`#token=…`), which the browser never sends to a server. */
export function invitationTokenOf(hash: string): string | null {
  const token = new URLSearchParams(hash.replace(/^#/, '')).get('token');
  return token && /^cinv_[A-Za-z0-9_-]{20,100}$/.test(token) ? token : null;
}
