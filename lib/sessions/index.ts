export { createSessions, type Session, type Sessions } from "./sessions";
