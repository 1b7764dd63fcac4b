// A real OpenID Connect provider (the oidc-provider package) for Accord's single sign-on
// tests, on 127.0.0.1. Its development sign-in page accepts any login: the login typed is
// the account, and its e-mail address (verified) is that login.
//
//   PORT=9123 CLIENT_ID=accord CLIENT_SECRET=s REDIRECT_URI=http://127.0.0.1:8000/... node provider.mjs
import Provider from "oidc-provider";

const port = Number(process.env.PORT);
const issuer = `http://127.0.0.1:${port}`;

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: process.env.CLIENT_ID,
      client_secret: process.env.CLIENT_SECRET,
      redirect_uris: process.env.REDIRECT_URI.split(" "),
      grant_types: ["authorization_code"],
      response_types: ["code"],
      token_endpoint_auth_method: "client_secret_post",
    },
  ],
  claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
  async findAccount(ctx, id) {
    return {
      accountId: id,
      async claims() {
        return { sub: id, email: id, email_verified: true, name: `Tester ${id.split("@")[0]}` };
      },
    };
  },
  // Accord is a first-party client of this provider: no consent screen.
  async loadExistingGrant(ctx) {
    const grantId =
      ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope("openid email profile");
    await grant.save();
    return grant;
  },
  features: { devInteractions: { enabled: true } },
  cookies: { keys: ["accord-test-provider-only"] },
});

provider.listen(port, "127.0.0.1", () => {
  console.log(`listening ${issuer}`);
});
