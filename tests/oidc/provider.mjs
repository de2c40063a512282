// A real OpenID provider on loopback for palmgov's identity tests, the CLI's
// `login --dev` and the demo: npm `oidc-provider` (OpenID certified), set up
// the way a region's provider is for the app: a native public client, PKCE
// required, DPoP, refresh-token rotation, revocation and introspection.
//
//   node tests/oidc/provider.mjs [--port N] [--access-ttl SECONDS] [--log-urls FILE]
//                                [--issuer URL] [--rotation strict|none] [--exit-with-stdin]
//                                [--introspection-path PATH] [--backend-client ID:SECRET]
//
// Prints one line `palmgov test provider listening http://127.0.0.1:PORT on ISSUER` once it
// listens, then serves until killed. Its keys and grants live in memory only.
//
// Logins are headless: any name is accepted. Besides the stock dev
// interactions, POST /palmgov-test/login/{uid} (form fields `login` and
// optionally `acr`) finishes a login at a chosen assurance level, which the
// stock pages cannot do.
import http from 'node:http';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import Provider from 'oidc-provider';

const { values: args } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    'access-ttl': { type: 'string', default: '600' },
    // Append every request line served to this file (tests look in it for
    // personal data that must never travel in a URL).
    'log-urls': { type: 'string' },
    // The issuer the provider names itself, when clients reach it through
    // a proxy (tests put one in front to lose replies or strip headers).
    issuer: { type: 'string' },
    // `strict` (default): every refresh rotates the token and a reused one
    // ends the grant. `none`: the refresh token stays valid, as a provider
    // with a reuse grace period behaves for a lost reply.
    rotation: { type: 'string', default: 'strict' },
    // Exit when stdin closes: the process that started us ended, however
    // it ended (palmgov's DevProvider keeps a pipe open for this).
    'exit-with-stdin': { type: 'boolean', default: false },
    // Serve introspection at another path than oidc-provider's default, as
    // other providers do: the backend must take it from discovery.
    'introspection-path': { type: 'string' },
    // The reference backend's client at this provider, `ID:SECRET`.
    'backend-client': { type: 'string', default: 'palmgov-backend:palmgov-backend-secret' },
  },
});

if (args['exit-with-stdin']) {
  process.stdin.on('end', () => process.exit(0));
  process.stdin.on('error', () => process.exit(0));
  process.stdin.resume();
}
const [BACKEND_ID, BACKEND_SECRET] = args['backend-client'].split(':');

const CLIENT_ID = 'palmgov-app';
const REDIRECT_URIS = [
  'org.palmgov.app:/oauth2redirect',
  'https://app.palmgov.example/oauth2redirect',
];
const LEVELS = [2, 3, 4, 5].map((n) => `urn:palmgov:loa:${n}`);

// Test people. Each has their own name, ID number, phone and birth date
// (the one their ID number encodes), as real accounts do: a test that mixes
// up whose data lands where must be able to fail. Grid workers are never
// the residents they serve (the roster's households are other people).
// A login not listed gets a person of its own, derived from the login.
// Logins starting `child` are ten years old; `org-…` are agents (经办人)
// of a legal person (法人).
const PEOPLE = {
  alice: { name: '陈丽华', division: '330106', born: '1987-03-15', seq: '022', phone: '13905710001' },
  bob: { name: '刘建国', division: '330102', born: '1979-08-21', seq: '013', phone: '13905710002' },
  'grid-7': { name: '周志强', division: '330110', born: '1983-11-02', seq: '031', phone: '13905710007' },
  'grid-9': { name: '吴海燕', division: '330106', born: '1985-06-18', seq: '044', phone: '13905710009' },
  'grid-worker': { name: '孙立军', division: '330106', born: '1980-01-09', seq: '057', phone: '13905710010' },
  'cli-worker': { name: '郑晓东', division: '330105', born: '1991-04-27', seq: '071', phone: '13905710011' },
  'resident-demo': { name: '马玉兰', division: '330106', born: '1962-09-30', seq: '082', phone: '13905710012' },
  worker1: { name: '何伟', division: '330108', born: '1988-12-05', seq: '093', phone: '13905710021' },
  worker2: { name: '罗静', division: '330108', born: '1990-07-14', seq: '104', phone: '13905710022' },
  worker3: { name: '高明', division: '330109', born: '1986-02-28', seq: '115', phone: '13905710023' },
  'org-zhang': { name: '张海涛', division: '330106', born: '1978-05-19', seq: '123', phone: '13905710031' },
};
const SURNAMES = '赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜';
const GIVEN = ['伟', '芳', '娜', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '娟', '涛', '明', '超', '秀兰', '霞', '平'];

// GB 11643: 17 digits and their check character.
function withCheck(first17) {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...first17].reduce((acc, d, i) => acc + Number(d) * weights[i], 0);
  return first17 + '10X98765432'[sum % 11];
}

function personOf(sub) {
  const login = String(sub);
  const h = createHash('sha256').update(login).digest();
  const pad = (n, w) => String(n).padStart(w, '0');
  const person = PEOPLE[login] ?? {
    name: SURNAMES[h[0] % SURNAMES.length] + GIVEN[h[1] % GIVEN.length],
    division: '330106',
    born: `${1950 + (h[2] % 50)}-${pad(1 + (h[3] % 12), 2)}-${pad(1 + (h[4] % 28), 2)}`,
    seq: pad(h.readUInt16BE(5) % 1000, 3),
    phone: `137${pad(h.readUInt32BE(7) % 100000000, 8)}`,
  };
  const born = login.startsWith('child')
    ? `${new Date().getUTCFullYear() - 10}-01-01`
    : person.born;
  const idNumber = withCheck(person.division + born.replaceAll('-', '') + person.seq);
  return { ...person, born, idNumber };
}

const signingKey = (type, options) => ({
  ...generateKeyPairSync(type, options).privateKey.export({ format: 'jwk' }),
});

const server = http.createServer();
await new Promise((resolve) => server.listen(Number(args.port), '127.0.0.1', resolve));
const listening = `http://127.0.0.1:${server.address().port}`;
const issuer = args.issuer ?? listening;

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
      client_id: BACKEND_ID,
      client_secret: BACKEND_SECRET,
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
        const person = personOf(sub);
        return {
          sub,
          name: person.name,
          birthdate: person.born,
          // For form prefill.
          phone_number: person.phone,
          palmgov_id_number: person.idNumber,
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
    const person = personOf(token.accountId);
    // What the unified identity platform verified, for the backend (the
    // wallet issues licences from it). Only in introspection: the access
    // tokens are opaque.
    return {
      ...(acr ? { acr } : {}),
      birthdate: person.born,
      name: person.name,
      palmgov_id_number: person.idNumber,
      ...(String(token.accountId).startsWith('org-')
        ? { palmgov_org_name: '西湖示例科技有限公司', palmgov_org_credit_code: '91330106MA2H0C1D18' }
        : {}),
    };
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
      async allowedPolicy(_ctx, client) { return client.clientId === BACKEND_ID; },
    },
    rpInitiatedLogout: { enabled: true },
  },
  // Rotate every refresh token, DPoP-bound or not, so replay detection is tested.
  rotateRefreshToken: args.rotation !== 'none',
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
  ...(args['introspection-path'] ? { routes: { introspection: args['introspection-path'] } } : {}),
  // The core checks clocks itself; keep the provider strict.
  clockTolerance: 5,
});

provider.on('server_error', (_ctx, error) => console.error('server_error', error));

const handler = provider.callback();
const loginRoute = /^\/palmgov-test\/login\/([A-Za-z0-9_-]+)$/;

server.on('request', async (req, res) => {
  if (args['log-urls']) appendFileSync(args['log-urls'], `${req.method} ${req.url}\n`);
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

// The issuer last: the shells' test hooks take the line's last word.
console.log(`palmgov test provider listening ${listening} on ${issuer}`);
