// A real OpenID provider on loopback for palmgov's identity tests, the CLI's
// `login --dev` and the demo: npm `oidc-provider` (OpenID certified), set up
// the way a region's provider is for the app: a native public client, PKCE
// required, DPoP, refresh-token rotation, revocation and introspection.
//
//   node tests/oidc/provider.mjs [--port N] [--access-ttl SECONDS]
//
// Prints one line `palmgov test provider on http://127.0.0.1:PORT` once it
// listens, then serves until killed. Its keys and grants live in memory only.
//
// Logins are headless: any name is accepted. Besides the stock dev
// interactions, POST /palmgov-test/login/{uid} (form fields `login` and
// optionally `acr`) finishes a login at a chosen assurance level, which the
// stock pages cannot do.
import http from 'node:http';
import { generateKeyPairSync } from 'node:crypto';
import { parseArgs } from 'node:util';
import Provider from 'oidc-provider';

const { values: args } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    'access-ttl': { type: 'string', default: '600' },
  },
});

const CLIENT_ID = 'palmgov-app';
const REDIRECT_URIS = [
  'org.palmgov.app:/oauth2redirect',
  'https://app.palmgov.example/oauth2redirect',
];
const LEVELS = [2, 3, 4, 5].map((n) => `urn:palmgov:loa:${n}`);

// Test accounts whose name starts with `child` are ten years old.
function birthdateOf(sub) {
  if (!String(sub).startsWith('child')) return '1990-01-01';
  const d = new Date();
  return `${d.getUTCFullYear() - 10}-01-01`;
}

const signingKey = (type, options) => ({
  ...generateKeyPairSync(type, options).privateKey.export({ format: 'jwk' }),
});

const server = http.createServer();
await new Promise((resolve) => server.listen(Number(args.port), '127.0.0.1', resolve));
const issuer = `http://127.0.0.1:${server.address().port}`;

// The app's client, and copies of it whose ID tokens use each other
// algorithm the core accepts, so RS256, PS256 and EdDSA are verified against
// a real peer's keys too.
const nativeClient = (clientId, alg) => ({
  client_id: clientId,
  application_type: 'native',
  token_endpoint_auth_method: 'none',
  grant_types: ['authorization_code', 'refresh_token'],
  response_types: ['code'],
  redirect_uris: REDIRECT_URIS,
  id_token_signed_response_alg: alg,
  post_logout_redirect_uris: REDIRECT_URIS,
  // So every ID token states its acr, as unified-identity providers do.
  default_acr_values: LEVELS,
});

const provider = new Provider(issuer, {
  clients: [
    nativeClient(CLIENT_ID, 'ES256'),
    nativeClient(`${CLIENT_ID}-rs256`, 'RS256'),
    nativeClient(`${CLIENT_ID}-ps256`, 'PS256'),
    nativeClient(`${CLIENT_ID}-eddsa`, 'EdDSA'),
    {
      // The reference backend: a resource server that introspects tokens.
      client_id: 'palmgov-backend',
      client_secret: 'palmgov-backend-secret',
      grant_types: [],
      response_types: [],
      redirect_uris: [],
    },
  ],
  jwks: {
    keys: [
      { ...signingKey('ec', { namedCurve: 'P-256' }), alg: 'ES256', use: 'sig', kid: 'es256-1' },
      // No `alg`: the one RSA key signs RS256 and PS256.
      { ...signingKey('rsa', { modulusLength: 2048 }), use: 'sig', kid: 'rsa-1' },
      { ...signingKey('ed25519'), use: 'sig', kid: 'ed25519-1' },
    ],
  },
  acrValues: LEVELS,
  claims: {
    openid: ['sub'],
    profile: [
      'name', 'birthdate', 'phone_number', 'palmgov_id_number',
      'palmgov_account_type', 'palmgov_org_name',
    ],
    acr: null,
    auth_time: null,
  },
  // Profile claims in the ID token too, as unified-identity providers issue
  // them: the app shows the name and the organisation offline.
  conformIdTokenClaims: false,
  scopes: ['openid', 'offline_access', 'profile'],
  async findAccount(_ctx, sub) {
    return {
      accountId: sub,
      async claims() {
        return {
          sub,
          name: `Test ${sub}`,
          birthdate: birthdateOf(sub),
          // For form prefill: the GB 11643 worked example, and a test mobile.
          phone_number: '13800138000',
          palmgov_id_number: '11010519491231002X',
          // Agents (经办人) of a legal person (法人) sign in as `org-…`.
          ...(String(sub).startsWith('org-')
            ? { palmgov_account_type: 'legal', palmgov_org_name: '西湖示例科技有限公司' }
            : { palmgov_account_type: 'natural' }),
        };
      },
    };
  },
  // The backend learns the assurance level and birth date by introspection
  // (opaque tokens carry these as `extra`): the level for its own checks,
  // the birth date because a person under 14 needs a guardian's consent
  // before a face check.
  async extraTokenClaims(ctx, token) {
    const { AuthorizationCode: code, RefreshToken: refresh } = ctx.oidc.entities;
    const acr = (code || refresh)?.acr;
    return { ...(acr ? { acr } : {}), birthdate: birthdateOf(token.accountId) };
  },
  features: {
    devInteractions: { enabled: true },
    dPoP: { enabled: true },
    revocation: {
      enabled: true,
      // The app may revoke its own tokens.
      async allowedPolicy(_ctx, client, token) { return token.clientId === client.clientId; },
    },
    introspection: {
      enabled: true,
      // Only the backend (a confidential client) may introspect.
      async allowedPolicy(_ctx, client) { return client.clientId === 'palmgov-backend'; },
    },
    rpInitiatedLogout: { enabled: true },
  },
  // Rotate every refresh token, DPoP-bound or not, so replay detection is tested.
  rotateRefreshToken: true,
  // A refresh token for every native login, as a region's provider issues them.
  async issueRefreshToken(_ctx, client) {
    return client.grantTypeAllowed('refresh_token');
  },
  ttl: {
    AccessToken: Number(args['access-ttl']),
    IdToken: 3600,
    RefreshToken: 14 * 24 * 3600,
  },
  pkce: { required: () => true },
  // The core checks clocks itself; keep the provider strict.
  clockTolerance: 5,
});

provider.on('server_error', (_ctx, error) => console.error('server_error', error));

const handler = provider.callback();
const loginRoute = /^\/palmgov-test\/login\/([A-Za-z0-9_-]+)$/;

server.on('request', async (req, res) => {
  const match = req.method === 'POST' && loginRoute.exec(req.url);
  if (!match) {
    handler(req, res);
    return;
  }
  try {
    let body = '';
    for await (const chunk of req) body += chunk;
    const form = new URLSearchParams(body);
    const acr = form.get('acr') || LEVELS[1];
    if (!LEVELS.includes(acr)) throw new Error('unknown acr');
    // interactionFinished reads the interaction from the cookie; the uid in
    // the path must match it, which the provider checks.
    req.url = `/interaction/${match[1]}`;
    await provider.interactionFinished(req, res, {
      login: { accountId: form.get('login') || 'alice', acr, amr: ['pwd'] },
    }, { mergeWithLastSubmission: false });
  } catch (error) {
    res.statusCode = 400;
    res.end(String(error.message));
  }
});

console.log(`palmgov test provider on ${issuer}`);
