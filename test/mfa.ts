import { and, eq } from "drizzle-orm";
import type { Clock } from "@/lib/clock";
import { tables } from "@/lib/db";
import type { Completion, LoginOutcome, StepRequired } from "@/lib/flows";
import type { FlowVoided } from "@/lib/flows/second-factor-step";
import { totpCode } from "@/lib/mfa";
import type { Realm } from "@/lib/realms";
import type { Services } from "@/lib/services";

/** Turns on an authenticator app for a user (as the profile would) and moves past its step. */
export async function enrolTotp(
  gh: Services,
  clock: Clock & { advance(ms: number): void },
  realm: Realm,
  user: { id: string; email: string },
) {
  const { secret } = await gh.mfa.beginEnrolment(
    realm.id,
    user.id,
    {
      issuer: realm.name,
      account: user.email,
    },
    "test",
  );
  const recoveryCodes = await gh.mfa.confirmEnrolment(
    realm.id,
    user.id,
    totpCode(secret, clock.now()),
    "test",
  );
  // The confirming code's time step is spent: the next code comes from the next step.
  clock.advance(30_000);
  /** The app's code now, or `offsetMs` away from now. */
  const code = (offsetMs = 0) => totpCode(secret, new Date(clock.now().getTime() + offsetMs));
  return { secret, recoveryCodes, code };
}

/** A login (or a second-factor step) that must have finished: its session and redirect. */
export function finished(outcome: LoginOutcome | FlowVoided): Completion {
  if (outcome.kind !== "done") throw new Error(`expected a finished login, got ${outcome.kind}`);
  return outcome;
}

/** A login that must be waiting on a step: its flow cookie and the step's page. */
export function pendingStep(outcome: LoginOutcome | FlowVoided): StepRequired {
  if (outcome.kind !== "step") throw new Error(`expected a pending step, got ${outcome.kind}`);
  return outcome;
}

/** The events of one type in a realm, oldest first. */
export async function eventsOf(gh: Services, realm: Realm, type: string) {
  const rows = await gh.db
    .select()
    .from(tables.events)
    .where(and(eq(tables.events.realmId, realm.id), eq(tables.events.type, type)))
    .orderBy(tables.events.createdAt, tables.events.id);
  return rows.map((r) => ({ userId: r.userId, data: r.data as Record<string, unknown> }));
}

/** The live sessions of a user. */
export async function sessionsOf(gh: Services, realm: Realm, userId: string) {
  return gh.db
    .select()
    .from(tables.sessions)
    .where(and(eq(tables.sessions.realmId, realm.id), eq(tables.sessions.userId, userId)));
}
