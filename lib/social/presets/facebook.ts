import { emailOf, namesOf, subjectOf } from "../profile";
import type { RawProfile, UpstreamProfile } from "../types";
import type { Preset } from "./preset";

/**
 * The Graph API version of every Facebook endpoint. Meta keeps a version available for at least two
 * years after its release (https://developers.facebook.com/docs/graph-api/changelog); move this
 * forward when the version nears its end.
 */
export const FACEBOOK_GRAPH_VERSION = "v24.0";

/**
 * Facebook Login (OAuth 2.0 with the Graph API; its OpenID Connect "Limited Login" exists only in
 * the iOS SDK). The profile is `GET /me?fields=id,email,first_name,last_name`; `id` is the
 * app-scoped user id (a numeric string).
 */
export const facebook: Preset = {
  kind: "facebook",
  displayName: "Facebook",
  protocol: {
    protocol: "oauth2",
    authorizationEndpoint: `https://www.facebook.com/${FACEBOOK_GRAPH_VERSION}/dialog/oauth`,
    tokenEndpoint: `https://graph.facebook.com/${FACEBOOK_GRAPH_VERSION}/oauth/access_token`,
    userinfoEndpoint: `https://graph.facebook.com/${FACEBOOK_GRAPH_VERSION}/me?fields=id,email,first_name,last_name`,
    scopes: ["email", "public_profile"],
    tokenAuthMethod: "client_secret_post",
  },
  mapProfile: mapFacebookProfile,
};

export function mapFacebookProfile(raw: RawProfile): UpstreamProfile {
  const me = raw.userinfo ?? {};
  return {
    subject: subjectOf(me.id),
    email: emailOf(me.email),
    // Never verified. The User reference documents `email` as "the User's primary email address
    // listed on their profile", absent when "no valid email address is available"
    // (https://developers.facebook.com/docs/graph-api/reference/user/): it asserts no
    // verification, and the Graph API has no field that does. An account signed up with a phone
    // number can list an address it never confirmed.
    emailVerified: false,
    ...namesOf(me.first_name, me.last_name, undefined),
  };
}
