// oauth4webapi's RFC 9068 access-token validation, as its documentation shows, against a running
// Portcullis: discovery from the issuer, then validateJwtAccessToken for each token given.
// Usage: ISSUER=… AUDIENCE=… node validate.mjs TOKEN…   Prints one line per token: "ok <client_id>" or "refused <code>".
import * as oauth from 'oauth4webapi'

const issuer = new URL(process.env.ISSUER)
const audience = process.env.AUDIENCE
// http to loopback in the test only; against a real deployment (https) this option is left out
const options = { [oauth.allowInsecureRequests]: issuer.protocol === 'http:' }

const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { ...options, algorithm: 'oauth2' }))

for (const token of process.argv.slice(2)) {
  const request = new Request(new URL('/orders', issuer), { headers: { authorization: `Bearer ${token}` } })
  try {
    const claims = await oauth.validateJwtAccessToken(as, request, audience, options)
    console.log(`ok ${claims.client_id}`)
  } catch (e) {
    console.log(`refused ${e.code ?? e.name}`)
  }
}
