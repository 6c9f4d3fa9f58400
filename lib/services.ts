import { type Account, createAccount } from "@/lib/account";
import { type ApiKeys, createApiKeys } from "@/lib/api-keys";
import { type Apps, createApps } from "@/lib/apps";
import { type Altcha, createAltcha } from "@/lib/bot-defence";
import { type Clock, systemClock } from "@/lib/clock";
import { createEncryption } from "@/lib/crypto/encryption";
import { createInstallationSecrets } from "@/lib/crypto/installation-secrets";
import { type Db, getDb } from "@/lib/db";
import {
  createEmailTemplates,
  createEmailTokens,
  createMailer,
  createOutbox,
  type EmailTemplates,
  type EmailTokens,
  LEASE_MS,
  type Mailer,
  type Outbox,
  type OutboxEmail,
} from "@/lib/email";
import { createDelivery, type Delivery, sendTimeoutFor } from "@/lib/email/delivery";
import { createLoginNotices, type LoginNotices } from "@/lib/email/login-notices";
import { createDevelopmentTransport, createSmtpTransport } from "@/lib/email/transport";
import { createEmailVerification, type EmailVerification } from "@/lib/email-verification";
import { env } from "@/lib/env";
import { createEvents, type Events } from "@/lib/events";
import { createLoginFlows, type LoginFlows } from "@/lib/flows";
import { createPendingFlows, type PendingFlows } from "@/lib/flows/pending-flows";
import { createInvitations, type Invitations } from "@/lib/invitations";
import { createMfa, createMfaPolicy, type Mfa } from "@/lib/mfa";
import {
  type Admission,
  createLoginAdmission,
  createPasswordHasher,
  defaultLoginQueue,
  type PasswordHasher,
} from "@/lib/passwords";
import { createRealms, type Realm, type Realms } from "@/lib/realms";
import { createSessions, type Sessions } from "@/lib/sessions";
import { createKnownDevices } from "@/lib/sessions/known-devices";
import { createIdentities, createSocialProviders, type Identities, type SocialProviders } from "@/lib/social";
import { createOutboundFetch } from "@/lib/social/outbound";
import { resolveProvider } from "@/lib/social/resolve";
import { createSocialUpstream, type SocialUpstream } from "@/lib/social/upstream";
import { createThrottle, createUserLocks, type Throttle, type UserLocks } from "@/lib/throttle";
import { createLoginTokens, createSigningKeys, type LoginTokens, type SigningKeys } from "@/lib/tokens";
import { createUserImport, createUsers, type UserImport, type Users } from "@/lib/users";

export interface Services {
  db: Db;
  clock: Clock;
  publicUrl: string;
  realmUrl(realm: Pick<Realm, "slug">): string;
  realms: Realms;
  users: Users;
  userImport: UserImport;
  apps: Apps;
  sessions: Sessions;
  keys: SigningKeys;
  tokens: LoginTokens;
  events: Events;
  flows: LoginFlows;
  pendingFlows: PendingFlows;
  apiKeys: ApiKeys;
  hasher: PasswordHasher;
  loginAdmission: Admission;
  invitations: Invitations;
  account: Account;
  throttle: Throttle;
  userLocks: UserLocks;
  altcha: Altcha;
  outbox: Outbox;
  emailTemplates: EmailTemplates;
  mailer: Mailer;
  emailTokens: EmailTokens;
  mfa: Mfa;
  loginNotices: LoginNotices;
  emailVerification: EmailVerification;
  socialProviders: SocialProviders;
  identities: Identities;
}

export interface ServiceConfig {
  db: Db;
  clock?: Clock;
  publicUrl: string;
  bootstrapApiKey?: string;
  hasher?: PasswordHasher;
  /**
   * Password logins that may wait for a hashing slot; beyond them a login is refused at once
   * (`server.busy`, lib/passwords/admission.ts). Unset: no bound (tests that fire bursts).
   */
  loginQueue?: number;
  /** Overrides the generated, database-stored HMAC key of ALTCHA challenges. */
  altchaHmacKey?: string;
  /** The installation's sender of email; default `Gatehouse <no-reply@{PUBLIC_URL host}>`. */
  mailFrom?: string;
  /** Called after an email is queued (wakes the delivery worker of this instance). */
  onEmailQueued?: (email: OutboxEmail) => void;
  /** GATEHOUSE_ENCRYPTION_KEYS; unset: a key generated once and stored in the database. */
  encryptionKeys?: string;
  /** GATEHOUSE_ALLOW_INSECURE_UPSTREAM=1: social-login providers on http and private addresses. */
  allowInsecureUpstream?: boolean;
  /** Replaces the network half of social logins (tests). */
  socialUpstream?: SocialUpstream;
  /** Where a warning about the configuration goes (once per process). */
  warn?: (message: string) => void;
}

/** The composition root: every service gets its dependencies here and nowhere else. */
export function createServices(config: ServiceConfig): Services {
  const { db, publicUrl } = config;
  const clock = config.clock ?? systemClock;
  const hasher = config.hasher ?? createPasswordHasher();
  const loginAdmission = createLoginAdmission(config.loginQueue);
  const realmUrl = (realm: Pick<Realm, "slug">) => `${publicUrl}/${realm.slug}`;
  const keys = createSigningKeys({ db, clock });
  const tokens = createLoginTokens({ keys, clock });
  const realms = createRealms({ db, clock, keys });
  const users = createUsers({ db, clock, hasher });
  const apps = createApps({ db, clock });
  const sessions = createSessions({ db, clock });
  const events = createEvents({ db });
  const secrets = createInstallationSecrets({ db });
  const altchaHmacKey = config.altchaHmacKey;
  const altcha = createAltcha({
    db,
    clock,
    secret: altchaHmacKey ? async () => altchaHmacKey : () => secrets.get("altcha_hmac"),
  });
  const userImport = createUserImport({ users, events });
  const outbox = createOutbox({ db, clock });
  const emailTemplates = createEmailTemplates({
    db,
    clock,
    realmUrl,
    theme: (id, tx) => realms.theme(id, tx),
  });
  const mailer = createMailer({
    outbox,
    templates: emailTemplates,
    clock,
    realmUrl,
    defaultFrom: config.mailFrom ?? `Gatehouse <no-reply@${new URL(publicUrl).hostname}>`,
    onQueued: config.onEmailQueued,
  });
  const emailTokens = createEmailTokens({ db, clock });
  const encryption = createEncryption({ configured: config.encryptionKeys, secrets, warn: config.warn });
  const mfa = createMfa({ db, clock, ring: encryption.ring });
  const socialProviders = createSocialProviders({ db, clock, ring: encryption.ring });
  const identities = createIdentities({ db, clock });
  const upstream =
    config.socialUpstream ??
    createSocialUpstream({
      fetch: createOutboundFetch({ allowInsecure: config.allowInsecureUpstream === true }),
      allowInsecure: config.allowInsecureUpstream === true,
      clientSecret: (provider) => socialProviders.clientSecret(provider),
      clock,
    });
  const loginNotices = createLoginNotices({ mailer, devices: createKnownDevices({ db, clock }) });
  const throttle = createThrottle({ db, clock });
  const userLocks = createUserLocks({ users, throttle, events });
  const pending = createPendingFlows({ db, clock });
  const invitations = createInvitations({ db, clock, apps, realmUrl });
  const emailVerification = createEmailVerification({
    db,
    clock,
    users,
    apps,
    mailer,
    emailTokens,
    throttle,
    events,
    realmUrl,
  });
  const flows = createLoginFlows({
    apps,
    users,
    hasher,
    sessions,
    tokens,
    events,
    invitations,
    throttle,
    realmUrl,
    clock,
    pending,
    altcha,
    notices: loginNotices,
    mailer,
    emailTokens,
    verification: emailVerification,
    mfa,
    mfaPolicy: createMfaPolicy({ db }),
    socialProviders,
    identities,
    upstream,
    resolveProvider,
    loginAdmission,
  });
  const apiKeys = createApiKeys({ db, clock, bootstrapKey: config.bootstrapApiKey });
  const account = createAccount({
    db,
    users,
    sessions,
    hasher,
    events,
    throttle,
    mailer,
    emailTokens,
    realmUrl,
    notices: loginNotices,
    clock,
    mfa,
    identities,
  });
  return {
    db,
    clock,
    publicUrl,
    realmUrl,
    realms,
    users,
    userImport,
    apps,
    sessions,
    keys,
    tokens,
    events,
    flows,
    pendingFlows: pending,
    apiKeys,
    hasher,
    loginAdmission,
    invitations,
    account,
    throttle,
    userLocks,
    altcha,
    outbox,
    emailTemplates,
    mailer,
    emailTokens,
    mfa,
    loginNotices,
    emailVerification,
    socialProviders,
    identities,
  };
}

const holder = globalThis as typeof globalThis & {
  __gatehouseServices?: Promise<Services & { delivery: Delivery }>;
  /** Read by scripts/serve.mjs to shed logins before Next.js parses them (shed-busy-logins.mjs). */
  __gatehouseLoginAdmission?: Admission;
};

/**
 * The process-wide services over the environment's database, with this instance's email
 * delivery worker (started by lib/boot.ts when the server starts, never by scripts or builds).
 */
export function services(): Promise<Services & { delivery: Delivery }> {
  holder.__gatehouseServices ??= getDb()
    .then(async (db) => {
      const e = env();
      const transport = e.SMTP_URL ? await createSmtpTransport(e.SMTP_URL) : createDevelopmentTransport();
      // GATEHOUSE_MAIL_LEASE_SECONDS shortens the lease for tests (a killed worker's emails come back sooner).
      const leaseMs = e.GATEHOUSE_MAIL_LEASE_SECONDS ? e.GATEHOUSE_MAIL_LEASE_SECONDS * 1000 : LEASE_MS;
      const outbox = createOutbox({ db, clock: systemClock, leaseMs });
      const delivery = createDelivery({ outbox, transport, sendTimeoutMs: sendTimeoutFor(leaseMs) });
      const gh = createServices({
        db,
        publicUrl: e.PUBLIC_URL,
        bootstrapApiKey: e.GATEHOUSE_BOOTSTRAP_API_KEY,
        altchaHmacKey: e.GATEHOUSE_ALTCHA_HMAC_KEY,
        mailFrom: e.GATEHOUSE_MAIL_FROM,
        encryptionKeys: e.GATEHOUSE_ENCRYPTION_KEYS,
        allowInsecureUpstream: e.GATEHOUSE_ALLOW_INSECURE_UPSTREAM === "1",
        loginQueue: e.GATEHOUSE_LOGIN_QUEUE ?? defaultLoginQueue(),
        warn: e.NODE_ENV === "production" ? (message) => console.error(`[gatehouse] ${message}`) : undefined,
        onEmailQueued: () => delivery.wake(),
      });
      holder.__gatehouseLoginAdmission = gh.loginAdmission;
      return { ...gh, delivery };
    })
    .catch((error) => {
      holder.__gatehouseServices = undefined;
      throw error;
    });
  return holder.__gatehouseServices;
}
