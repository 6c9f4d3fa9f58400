export { type Device, describeDevice, deviceLabel } from "./device";
export { createSessions, type Session, type SessionLimit, type Sessions } from "./sessions";
