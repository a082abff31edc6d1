// A real OpenID Provider for the SSO tests: panva's oidc-provider (ESM only, so a process of its own,
// started by test-idp.ts). Usage: node oidc-idp.mjs '<json options>'; prints {"issuer": …} once listening.
//
// Options: { clientId, clientSecret, redirectUris: string[] }. Every login is accepted with any password
// (oidc-provider's development interactions): the login is the person's e-mail, and their claims follow
// from it: groups ["custos-admins"] for logins starting with "admin", ["custos-operators"] for "op",
// ["staff"] otherwise; email_verified false when the login contains "+unverified".
import { createServer } from 'node:http';
import Provider from 'oidc-provider';

const options = JSON.parse(process.argv[2] ?? '{}');

function claimsOf(login) {
  const local = login.split('@')[0] ?? '';
  const groups = local.startsWith('admin') ? ['custos-admins', 'staff'] : local.startsWith('op') ? ['custos-operators'] : ['staff'];
  return { sub: `sub-${login}`, email: login, email_verified: !login.includes('+unverified'), name: `Test ${local}`, groups };
}

const server = createServer();
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address();
  const issuer = `http://127.0.0.1:${port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: options.clientId,
        client_secret: options.clientSecret,
        redirect_uris: options.redirectUris,
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    async findAccount(_ctx, id) {
      return { accountId: id, claims: async () => claimsOf(id) };
    },
    claims: { openid: ['sub', 'groups'], email: ['email', 'email_verified'], profile: ['name'] },
    // Every claim in the ID token, as many IdPs do for these scopes.
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    features: { devInteractions: { enabled: true } },
    // No consent screen: the test client is trusted.
    async loadExistingGrant(ctx) {
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
      grant.addOIDCScope('openid email profile');
      await grant.save();
      return grant;
    },
    cookies: { keys: ['custos-test-idp-only'] },
  });
  provider.on('server_error', (_ctx, error) => process.stderr.write(`idp server_error: ${error.stack}\n`));
  server.on('request', provider.callback());
  process.stdout.write(`${JSON.stringify({ issuer })}\n`);
});

process.on('SIGTERM', () => server.close(() => process.exit(0)));
