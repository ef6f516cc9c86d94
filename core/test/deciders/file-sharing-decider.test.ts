import type { FileEvent } from '@conveyor/contracts';
import { describe, it } from 'vitest';
import { CommandRejectedError } from '../../src/deciders/decider.js';
import { fileDecider } from '../../src/deciders/file-decider.js';
import { deciderSpec, fixedNow } from '../support/decider-spec.js';

const at = fixedNow.toISOString();
const spec = deciderSpec(fileDecider);
const upload = {
  blob_key: 'org/o/files/f1', size: 3, sha256: 'b'.repeat(64), format: 'png', mime: 'image/png', name: 'cat.png',
  visibility: 'private' as const, uploaded_at: at, source: { kind: 'upload' as const },
};
const uploaded: FileEvent = { type: 'FileUploaded', data: upload };
const share = (visibility: 'private' | 'org' | 'public' | 'restricted', share_token_id: string | null, expires_at: string | null = null) => ({
  type: 'ShareFile' as const,
  data: { visibility, share_token_id, expires_at, actor: 'u1' },
});

describe('file decider: sharing', () => {
  it('shares a file publicly under the token id the command brings', () => {
    spec([uploaded]).when(share('public', 's1')).then([{ type: 'FileShared', data: { visibility: 'public', share_token_id: 's1', expires_at: null, actor: 'u1', shared_at: at } }]);
  });

  it('shares a file restricted until a time', () => {
    const until = '2026-11-26T10:00:00.000Z';
    spec([uploaded]).when(share('restricted', 's2', until)).then([{ type: 'FileShared', data: { visibility: 'restricted', share_token_id: 's2', expires_at: until, actor: 'u1', shared_at: at } }]);
  });

  it('makes a file private or org-only with no token, which revokes every link', () => {
    const shared: FileEvent = { type: 'FileShared', data: { visibility: 'public', share_token_id: 's1', expires_at: null, actor: 'u1', shared_at: at } };
    spec([uploaded, shared]).when(share('private', null)).then([{ type: 'FileShared', data: { visibility: 'private', share_token_id: null, expires_at: null, actor: 'u1', shared_at: at } }]);
    spec([uploaded, shared]).when(share('org', null)).then([{ type: 'FileShared', data: { visibility: 'org', share_token_id: null, expires_at: null, actor: 'u1', shared_at: at } }]);
  });

  it('refuses a public or restricted share without a token id, and a private or org one with a token or an expiry', () => {
    spec([uploaded]).when(share('public', null)).thenThrows(CommandRejectedError, 'invalid_parameter');
    spec([uploaded]).when(share('restricted', null, at)).thenThrows(CommandRejectedError, 'invalid_parameter');
    spec([uploaded]).when(share('private', 's1')).thenThrows(CommandRejectedError, 'invalid_parameter');
    spec([uploaded]).when(share('org', null, at)).thenThrows(CommandRejectedError, 'invalid_parameter');
  });

  it('refuses to share a file that does not exist or was deleted', () => {
    spec([]).when(share('public', 's1')).thenThrows(CommandRejectedError, 'not_found');
    spec([uploaded, { type: 'FileDeleted', data: { actor: 'u1', deleted_at: at } }]).when(share('public', 's1')).thenThrows(CommandRejectedError, 'not_found');
  });
});
